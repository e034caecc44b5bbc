//! A party class's report for its 班主任: each student's 学时 against the
//! class's requirement, required courses done, essays accepted, the final
//! exam's result, and what still blocks them from graduating, in words.
//! As a table for CSV and XLSX too.

use serde::{Deserialize, Serialize};

use crate::class::GradeLevel;
use crate::exam::{AttemptScore, Outcome};
use crate::i18n::Lang;
use crate::report::{Cell, Table};
use crate::standing::Standing;

/// What keeps a student from graduating now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    HoursShort {
        have: f64,
        need: u32,
    },
    CoursesMissing {
        missing: u32,
    },
    EssaysMissing {
        missing: u32,
    },
    /// No final result yet, or not a pass.
    ExamNotPassed,
    /// Absent (or on leave) for more than the class allows of its sessions.
    AbsentTooOften {
        percent: u32,
        limit: u8,
    },
}

impl Blocker {
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::HoursShort { have, need }, Lang::Zh) => format!("学时不足（{have:.1}/{need}）"),
            (Self::HoursShort { have, need }, Lang::En) => format!("hours short ({have:.1} of {need})"),
            (Self::CoursesMissing { missing }, Lang::Zh) => format!("必修课程未完成 {missing} 门"),
            (Self::CoursesMissing { missing }, Lang::En) => format!("{missing} required courses not completed"),
            (Self::EssaysMissing { missing }, Lang::Zh) => format!("心得未通过 {missing} 篇"),
            (Self::EssaysMissing { missing }, Lang::En) => format!("{missing} essays not accepted"),
            (Self::ExamNotPassed, Lang::Zh) => "结业考试未通过".into(),
            (Self::ExamNotPassed, Lang::En) => "final exam not passed".into(),
            (Self::AbsentTooOften { percent, limit }, Lang::Zh) => format!("缺勤 {percent}%，超过 {limit}%"),
            (Self::AbsentTooOften { percent, limit }, Lang::En) => format!("absent {percent}%, more than {limit}%"),
        }
    }
}

/// One student of the class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentRow {
    pub person_id: i64,
    pub name: String,
    pub org_name: String,
    pub standing: Standing,
    /// Credited 学时 (all study, with passed exams).
    pub hours: f64,
    pub courses_done: u32,
    pub essays_accepted: u32,
    /// Minutes of class sessions missed (absent or on leave).
    pub absent_minutes: u32,
    /// The final exam's result that counts, once there is one.
    pub exam: Option<AttemptScore>,
    /// The weighted score (exam, essays, attendance), once the exam's
    /// result is final (or the class has no exam).
    pub score: Option<f64>,
    pub grade: Option<GradeLevel>,
    /// The 班主任 confirmed their graduation, with this grade.
    pub graduated: Option<GradeLevel>,
    /// Empty: nothing blocks graduation any more.
    pub blocked: Vec<Blocker>,
}

/// A class's students and what each still needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassReport {
    pub class_id: i64,
    pub name: String,
    pub required_hours: u32,
    pub required_courses: u32,
    pub essay_tasks: u32,
    pub has_final_exam: bool,
    /// Minutes of the class's offline sessions so far.
    pub session_minutes: u32,
    pub max_absence_percent: u8,
    pub students: Vec<StudentRow>,
}

impl StudentRow {
    /// What blocks graduation, from the student's record and the class's
    /// requirements.
    pub fn blockers(&self, report: &ClassReport) -> Vec<Blocker> {
        let mut out = Vec::new();
        if self.hours < f64::from(report.required_hours) {
            out.push(Blocker::HoursShort { have: self.hours, need: report.required_hours });
        }
        if self.courses_done < report.required_courses {
            out.push(Blocker::CoursesMissing { missing: report.required_courses - self.courses_done });
        }
        if self.essays_accepted < report.essay_tasks {
            out.push(Blocker::EssaysMissing { missing: report.essay_tasks - self.essays_accepted });
        }
        if report.has_final_exam && !self.exam.is_some_and(|s| s.outcome == Outcome::Passed) {
            out.push(Blocker::ExamNotPassed);
        }
        if report.session_minutes > 0 {
            let percent = u64::from(self.absent_minutes) * 100 / u64::from(report.session_minutes);
            let percent = u32::try_from(percent).unwrap_or(u32::MAX);
            if percent > u32::from(report.max_absence_percent) {
                out.push(Blocker::AbsentTooOften { percent, limit: report.max_absence_percent });
            }
        }
        out
    }
}

impl ClassReport {
    fn headers(lang: Lang) -> Vec<String> {
        crate::report::table::headers(
            lang,
            &[
                ("姓名", "Name"),
                ("所在组织", "Node"),
                ("党员身份", "Standing"),
                ("学时", "Hours"),
                ("必修课程完成", "Courses done"),
                ("心得通过", "Essays accepted"),
                ("缺勤（分钟）", "Absent (min)"),
                ("结业考试", "Final exam"),
                ("总评", "Score"),
                ("等级", "Grade"),
                ("结业", "Graduated"),
                ("尚需", "Still needed"),
            ],
        )
    }

    pub fn to_table(&self, lang: Lang) -> Table {
        let headers = Self::headers(lang);
        let rows = self
            .students
            .iter()
            .map(|s| {
                let exam = match &s.exam {
                    None => Cell::Empty,
                    Some(score) => Cell::text(format!(
                        "{} / {} {}",
                        score.total,
                        score.max,
                        match score.outcome {
                            Outcome::Passed => lang.pick("通过", "passed"),
                            Outcome::Failed => lang.pick("未通过", "not passed"),
                            Outcome::Pending => lang.pick("待评分", "awaiting grading"),
                        }
                    )),
                };
                let needed = if s.blocked.is_empty() {
                    lang.pick("可以结业", "ready to graduate").to_owned()
                } else {
                    s.blocked.iter().map(|b| b.describe(lang)).collect::<Vec<_>>().join(lang.pick("；", "; "))
                };
                vec![
                    Cell::text(&s.name),
                    Cell::text(&s.org_name),
                    Cell::text(s.standing.name(lang)),
                    Cell::Number(s.hours),
                    Cell::Number(f64::from(s.courses_done)),
                    Cell::Number(f64::from(s.essays_accepted)),
                    Cell::Number(f64::from(s.absent_minutes)),
                    exam,
                    s.score.map_or(Cell::Empty, Cell::Number),
                    s.grade.map_or(Cell::Empty, |g| Cell::text(g.name(lang))),
                    Cell::text(match s.graduated {
                        Some(_) => lang.pick("已结业", "graduated"),
                        None => lang.pick("未结业", "not yet"),
                    }),
                    Cell::text(needed),
                ]
            })
            .collect();
        Table { title: self.name.clone(), headers, rows }
    }
}

/// A student's own view of a class: the class, their row of its report,
/// the final exam to open, and their certificate once issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyClassStatus {
    pub class: crate::class::MyClass,
    /// The class's requirements, with the caller's row only.
    pub report: ClassReport,
    pub final_exam_id: Option<i64>,
    pub certificate: Option<crate::certificate::CertificateView>,
}

/// Everything a class's page shows its 班主任: the class, its report, who
/// may still be enrolled, its written work and its certificates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassDesk {
    pub class: crate::class::ClassView,
    pub report: ClassReport,
    /// Activists and candidates of the class's subtree not enrolled yet.
    pub eligible: Vec<crate::class::ClassPerson>,
    pub essays: Vec<crate::essay::EssayTaskView>,
    pub certificates: Vec<crate::certificate::CertificateView>,
}

/// A branch's students in every party class they are enrolled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BranchClassReport {
    pub org_id: i64,
    pub org_name: String,
    /// Each class with the branch's students only, the newest class first.
    pub classes: Vec<ClassReport>,
}

impl BranchClassReport {
    /// One row per student and class, the class named first.
    pub fn to_table(&self, lang: Lang) -> Table {
        let headers =
            std::iter::once(lang.pick("培训班", "Party class").to_owned()).chain(ClassReport::headers(lang)).collect();
        let mut rows = Vec::new();
        for class in &self.classes {
            let table = class.to_table(lang);
            rows.extend(table.rows.into_iter().map(|r| std::iter::once(Cell::text(&class.name)).chain(r).collect()));
        }
        Table { title: self.org_name.clone(), headers, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::Points;

    fn report() -> ClassReport {
        ClassReport {
            class_id: 1,
            name: "培训班".into(),
            required_hours: 40,
            required_courses: 2,
            essay_tasks: 1,
            has_final_exam: true,
            session_minutes: 0,
            max_absence_percent: 25,
            students: vec![],
        }
    }

    fn student(hours: f64, courses: u32, essays: u32, exam: Option<Outcome>) -> StudentRow {
        StudentRow {
            person_id: 1,
            name: "赵进步".into(),
            org_name: "第一党支部".into(),
            standing: Standing::Activist,
            hours,
            courses_done: courses,
            essays_accepted: essays,
            absent_minutes: 0,
            score: None,
            grade: None,
            graduated: None,
            exam: exam.map(|outcome| AttemptScore {
                total: Points::whole(80),
                max: Points::whole(100),
                pending: 0,
                outcome,
            }),
            blocked: vec![],
        }
    }

    #[test]
    fn every_missing_requirement_is_named_and_none_when_all_are_met() {
        let r = report();
        let all = student(12.5, 1, 0, None).blockers(&r);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].describe(Lang::Zh), "学时不足（12.5/40）");
        assert_eq!(student(40.0, 2, 1, Some(Outcome::Pending)).blockers(&r), vec![Blocker::ExamNotPassed]);
        assert!(student(40.0, 2, 1, Some(Outcome::Passed)).blockers(&r).is_empty());
    }

    #[test]
    fn absence_blocks_only_above_the_limit() {
        let r = ClassReport { session_minutes: 400, ..report() };
        let mut s = student(40.0, 2, 1, Some(Outcome::Passed));
        s.absent_minutes = 100;
        assert!(s.blockers(&r).is_empty(), "a quarter is the limit itself");
        s.absent_minutes = 120;
        assert_eq!(s.blockers(&r), vec![Blocker::AbsentTooOften { percent: 30, limit: 25 }]);
    }

    #[test]
    fn the_table_says_what_is_still_needed_in_words() {
        let mut r = report();
        let mut s = student(12.5, 2, 1, Some(Outcome::Passed));
        s.blocked = s.blockers(&r);
        r.students.push(s);
        let t = r.to_table(Lang::Zh);
        assert_eq!(t.headers.last().map(String::as_str), Some("尚需"));
        assert!(matches!(&t.rows[0][11], Cell::Text(s) if s == "学时不足（12.5/40）"));
    }
}
