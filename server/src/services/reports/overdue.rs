//! Overdue lists: assigned courses not completed by their due day, of the
//! subtree's people; and make-up study (补学) not done by the deadline, of
//! the subtree's meetings (a meeting belongs to its node: a member who
//! moved away still shows on the meeting's list, and their new branch does
//! not see the old branch's meetings).

use courses::collation::compare_names;
use courses::meeting::Date;
use courses::report::{NodeRef, OverdueReport, OverdueRow};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::{days_after, Node};
use crate::error::Result;

#[derive(Debug, FromQueryResult)]
struct Row {
    person_id: i64,
    name: String,
    org_id: i64,
    org_name: String,
    subject_id: i64,
    subject: String,
    due_on: String,
    done: i64,
    total: i64,
}

impl Row {
    fn into_overdue(self, source: &str, today: Date) -> OverdueRow {
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        OverdueRow {
            days_overdue: days_after(&self.due_on, today),
            person_id: self.person_id,
            name: self.name,
            org: NodeRef { id: self.org_id, name: self.org_name },
            source: source.to_owned(),
            subject: NodeRef { id: self.subject_id, name: self.subject },
            due_on: self.due_on,
            lessons_done: n(self.done),
            lessons_total: n(self.total),
        }
    }
}

/// Assigned courses of the subtree `$1`..`$2`'s people not completed
/// before `$3` (today), at most `$4`.
const ASSIGNED: &str = "SELECT cr.person_id, p.name, cr.org_id, o.name AS org_name, c.id AS subject_id, \
     c.title AS subject, cr.due_on, CAST(cr.lessons_done AS BIGINT) AS done, \
     CAST(cr.lessons_total AS BIGINT) AS total \
     FROM course_records cr JOIN orgs o ON o.id = cr.org_id JOIN people p ON p.id = cr.person_id \
     JOIN courses c ON c.id = cr.course_id \
     WHERE o.path >= $1 AND o.path < $2 AND cr.assigned AND cr.completed_at_ms IS NULL AND cr.due_on < $3 \
     ORDER BY cr.due_on, p.name, cr.person_id LIMIT $4";

/// Make-up study of the subtree `$1`..`$2`'s meetings not done before `$3`
/// (today), at most `$4`. A meeting's task is done when every lesson of the
/// meeting is completed (see `services::meetings`).
const MAKEUPS: &str = "SELECT * FROM (SELECT ma.person_id, p.name, p.org_id, po.name AS org_name, \
     m.id AS subject_id, m.topic AS subject, m.makeup_deadline AS due_on, \
     (SELECT COUNT(*) FROM meeting_lessons ml JOIN lesson_progress lp ON lp.lesson_id = ml.lesson_id \
       AND lp.person_id = ma.person_id AND lp.completed_at_ms IS NOT NULL WHERE ml.meeting_id = m.id) AS done, \
     (SELECT COUNT(*) FROM meeting_lessons ml WHERE ml.meeting_id = m.id) AS total \
     FROM meeting_attendance ma JOIN meetings m ON m.id = ma.meeting_id JOIN orgs o ON o.id = m.org_id \
     JOIN people p ON p.id = ma.person_id JOIN orgs po ON po.id = p.org_id \
     WHERE o.path >= $1 AND o.path < $2 AND ma.status <> 'present' AND m.makeup_deadline < $3) AS t \
     WHERE t.done < t.total ORDER BY t.due_on, t.name, t.person_id LIMIT $4";

pub(super) async fn overdue(db: &impl ConnectionTrait, node: &Node, today: Date, cap: usize) -> Result<OverdueReport> {
    let backend = db.get_database_backend();
    let params = || {
        let mut p = node.subtree_params();
        p.bind(today.to_string());
        // One more tells there are more.
        p.bind(i64::try_from(cap + 1).unwrap_or(i64::MAX));
        p
    };
    let mut rows: Vec<OverdueRow> = Row::find_by_statement(params().statement(backend, ASSIGNED))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.into_overdue("assignment", today))
        .collect();
    rows.extend(
        Row::find_by_statement(params().statement(backend, MAKEUPS))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.into_overdue("meeting", today)),
    );
    rows.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then_with(|| compare_names(&a.name, &b.name))
            .then(a.person_id.cmp(&b.person_id))
    });
    let truncated = rows.len() > cap;
    rows.truncate(cap);
    Ok(OverdueReport { org: node.as_ref(), as_of: today.to_string(), rows, truncated })
}
