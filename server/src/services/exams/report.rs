//! An exam's reports for its organizers: results by org node with
//! drill-down, and per question (share correct, wrong options chosen).
//! Read in memory from the submitted attempts: an exam's takers are a
//! class or a few branches, thousands at most.

use std::collections::{BTreeMap, HashMap};

use courses::exam::report::{ExamCounts, ExamNodeRow, ExamQuestionReport, ExamResultsReport, OptionStat, QuestionStat};
use courses::exam::{counted, Answer, AttemptScore, Correctness, Grade, Outcome, Question};
use courses::report::views::NodeRef;
use courses::report::ArchiveExam;
use courses::{Actor, OrgId, OrgPath, PersonId, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::grading::score_of;
use super::{column, managed};
use crate::config::Settings;
use crate::db::exam_attempts;
use crate::db::{attempt_answers, exams, orgs, people};
use crate::error::Result;
use crate::services::question_banks::questions::{question_of as question_of_version, versions_by_id};
use crate::services::{hide_out_of_scope, orgs as org_service};

/// Submitted attempts that count (not practice), oldest first.
async fn counted_attempts(db: &impl ConnectionTrait, exam_id: i64) -> Result<Vec<exam_attempts::Model>> {
    let mut list = exam_attempts::counting().filter(exam_attempts::Column::ExamId.eq(exam_id)).all(db).await?;
    list.sort_by_key(|a| (a.person_id, a.number));
    Ok(list)
}

fn percent_of(score: &AttemptScore) -> f64 {
    if score.max.tenths() == 0 {
        return 0.0;
    }
    f64::from(score.total.tenths()) * 100.0 / f64::from(score.max.tenths())
}

/// Results below `node` (the exam's own node when None).
pub async fn results(
    db: &impl ConnectionTrait,
    actor: &Actor,
    exam_id: i64,
    node: Option<i64>,
) -> Result<ExamResultsReport> {
    let exam = managed(db, actor, exam_id).await?;
    let top = match node {
        Some(id) => org_service::find_visible(db, actor, OrgId(id)).await?,
        None => orgs::Entity::find_by_id(exam.row.org_id).one(db).await?.ok_or(crate::error::Error::NotFound)?,
    };
    let top_path = org_service::path_of(&top)?;
    hide_out_of_scope(actor.can_view_reports(&top_path))?;

    let nodes = orgs::Entity::find().filter(org_service::subtree(&top_path)).all(db).await?;
    let mut paths: HashMap<i64, OrgPath> = HashMap::with_capacity(nodes.len());
    let mut names: HashMap<i64, String> = HashMap::with_capacity(nodes.len());
    for n in &nodes {
        paths.insert(n.id, org_service::path_of(n)?);
        names.insert(n.id, n.name.clone());
    }
    // The child of `top` a node lies under (None: `top` itself).
    let depth = top_path.depth();
    let bucket = |org_id: i64| paths.get(&org_id).and_then(|p| p.ids().nth(depth)).map(|id| id.0);
    let has_children: HashMap<i64, bool> = paths
        .keys()
        .map(|id| (*id, paths.values().any(|p| p.depth() > paths[id].depth() && paths[id].contains(p))))
        .collect();

    let people_rows = people::Entity::find()
        .filter(people::Column::OrgId.is_in(paths.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let mut per: BTreeMap<Option<i64>, ExamCounts> = BTreeMap::new();
    let mut in_subtree: HashMap<i64, Option<i64>> = HashMap::new();
    for p in &people_rows {
        let (Some(path), Ok(role), Some(standing)) =
            (paths.get(&p.org_id), Role::parse(&p.role), courses::Standing::parse(&p.standing))
        else {
            continue;
        };
        let b = bucket(p.org_id);
        in_subtree.insert(p.id, b);
        if exam.audience.admits(PersonId(p.id), role, standing, path) {
            per.entry(b).or_default().audience += 1;
        }
    }
    let mut by_person: BTreeMap<i64, Vec<AttemptScore>> = BTreeMap::new();
    for a in counted_attempts(db, exam.row.id).await? {
        if in_subtree.contains_key(&a.person_id) {
            if let Some(score) = score_of(&a) {
                by_person.entry(a.person_id).or_default().push(score);
            }
        }
    }
    for (person, scores) in by_person {
        let Some(result) = counted(&scores, exam.settings.counting) else { continue };
        let counts = per.entry(in_subtree[&person]).or_default();
        counts.takers += 1;
        match result.outcome {
            Outcome::Passed => counts.passed += 1,
            Outcome::Failed => counts.failed += 1,
            Outcome::Pending => counts.pending += 1,
        }
        if result.outcome != Outcome::Pending {
            counts.percent_sum += percent_of(&result);
        }
    }

    let node_ref = |id: i64| NodeRef { id, name: names.get(&id).cloned().unwrap_or_default() };
    let mut total = ExamCounts::default();
    for c in per.values() {
        total.add(c);
    }
    let mut children: Vec<ExamNodeRow> = paths
        .iter()
        .filter(|(_, p)| p.depth() == depth + 1)
        .map(|(id, _)| {
            let counts = per.get(&Some(*id)).cloned().unwrap_or_default();
            ExamNodeRow::new(node_ref(*id), counts, has_children.get(id).copied().unwrap_or(false))
        })
        .collect();
    children.sort_by(|a, b| courses::collation::compare_labels(&a.org.name, &b.org.name).then(a.org.id.cmp(&b.org.id)));
    let own = per.get(&None).map(|c| ExamNodeRow::new(node_ref(top.id), c.clone(), false));
    Ok(ExamResultsReport {
        exam_id: exam.row.id,
        title: exam.row.title.clone(),
        org: node_ref(top.id),
        total: ExamNodeRow::new(node_ref(top.id), total, !children.is_empty()),
        children,
        own,
    })
}

/// A person's exam results for their 学习档案: per exam, the attempts
/// that count and the result the exam's counting picks, latest first.
pub async fn archive(db: &impl ConnectionTrait, settings: &Settings, person_id: i64) -> Result<Vec<ArchiveExam>> {
    let attempts = exam_attempts::counting().filter(exam_attempts::Column::PersonId.eq(person_id)).all(db).await?;
    let mut by_exam: BTreeMap<i64, Vec<exam_attempts::Model>> = BTreeMap::new();
    for a in attempts {
        by_exam.entry(a.exam_id).or_default().push(a);
    }
    let mut out = Vec::with_capacity(by_exam.len());
    for (exam_id, mut list) in by_exam {
        let Some(exam) = exams::Entity::find_by_id(exam_id).one(db).await? else { continue };
        let counting = column::<courses::exam::ExamSettings>(&exam.settings, "settings of exam", exam.id)?.counting;
        list.sort_by_key(|a| a.number);
        let scores: Vec<AttemptScore> = list.iter().filter_map(score_of).collect();
        let last = list.iter().filter_map(|a| a.submitted_at_ms).max();
        out.push((
            last.unwrap_or(0),
            ArchiveExam {
                exam: NodeRef { id: exam.id, name: exam.title },
                attempts: u32::try_from(list.len()).unwrap_or(u32::MAX),
                result: counted(&scores, counting),
                submitted_on: last.and_then(|ms| crate::services::reports::day_of_ms(settings, ms)),
            },
        ));
    }
    out.sort_by_key(|(last, e)| (std::cmp::Reverse(*last), e.exam.id));
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

#[derive(Default)]
struct Tally {
    shown: u32,
    correct: u32,
    partial: u32,
    wrong: u32,
    unanswered: u32,
    pending: u32,
    chosen: HashMap<u16, u32>,
}

/// How each question of the exam went, hardest first.
pub async fn questions(db: &impl ConnectionTrait, actor: &Actor, exam_id: i64) -> Result<ExamQuestionReport> {
    let exam = managed(db, actor, exam_id).await?;
    let attempts: Vec<i64> = counted_attempts(db, exam.row.id).await?.into_iter().map(|a| a.id).collect();
    let mut rows = Vec::new();
    for chunk in attempts.chunks(500) {
        rows.extend(
            attempt_answers::Entity::find()
                .filter(attempt_answers::Column::AttemptId.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    let mut version_ids: Vec<i64> = rows.iter().map(|r| r.version_id).collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    // Each version's question, and the newest version seen of each question
    // (whose options the report lists).
    let mut question_of: HashMap<i64, i64> = HashMap::new();
    let mut latest: HashMap<i64, (i64, Question)> = HashMap::new();
    for v in versions_by_id(db, &version_ids).await?.into_values() {
        question_of.insert(v.id, v.question_id);
        let q = question_of_version(&v)?;
        match latest.get(&v.question_id) {
            Some((id, _)) if *id > v.id => {}
            _ => {
                latest.insert(v.question_id, (v.id, q));
            }
        }
    }
    let mut tallies: HashMap<i64, Tally> = HashMap::new();
    for row in &rows {
        let Some(question) = question_of.get(&row.version_id) else { continue };
        let t = tallies.entry(*question).or_default();
        t.shown += 1;
        let grade: Grade = match &row.grade {
            Some(json) => column(json, "grade of attempt", row.attempt_id)?,
            None => Grade::Pending,
        };
        match grade {
            Grade::Pending => t.pending += 1,
            Grade::Scored { correctness, .. } => match correctness {
                Correctness::Correct => t.correct += 1,
                Correctness::Partial => t.partial += 1,
                Correctness::Wrong => t.wrong += 1,
                Correctness::Unanswered => t.unanswered += 1,
            },
        }
        let answer: Option<Answer> = row.answer.as_deref().map(|a| column(a, "answer", row.attempt_id)).transpose()?;
        match answer {
            Some(Answer::Single { option }) => *t.chosen.entry(option.0).or_default() += 1,
            Some(Answer::Multiple { options }) => {
                for o in options {
                    *t.chosen.entry(o.0).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    let mut questions: Vec<QuestionStat> = tallies
        .into_iter()
        .filter_map(|(question_id, t)| {
            let (_, q) = latest.get(&question_id)?;
            let correct_ids: Vec<u16> = match q.key() {
                courses::exam::Key::Single(id) => vec![id.0],
                courses::exam::Key::Multiple(ids) => ids.iter().map(|i| i.0).collect(),
                _ => vec![],
            };
            let options = q
                .options()
                .iter()
                .map(|c| OptionStat {
                    id: c.id.0,
                    text: c.text.clone(),
                    correct: correct_ids.contains(&c.id.0),
                    chosen: t.chosen.get(&c.id.0).copied().unwrap_or(0),
                })
                .collect();
            Some(QuestionStat {
                question_id,
                kind: q.kind(),
                stem: q.stem().to_owned(),
                correct_percent: (t.shown > 0)
                    .then(|| (f64::from(t.correct) * 1000.0 / f64::from(t.shown)).round() / 10.0),
                shown: t.shown,
                correct: t.correct,
                partial: t.partial,
                wrong: t.wrong,
                unanswered: t.unanswered,
                pending: t.pending,
                options,
            })
        })
        .collect();
    questions.sort_by(|a, b| {
        a.correct_percent
            .unwrap_or(100.0)
            .total_cmp(&b.correct_percent.unwrap_or(100.0))
            .then(a.question_id.cmp(&b.question_id))
    });
    Ok(ExamQuestionReport { exam_id: exam.row.id, title: exam.row.title.clone(), questions })
}
