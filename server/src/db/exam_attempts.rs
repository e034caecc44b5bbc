//! `exam_attempts`: one person's attempt at an exam, with its drawn paper.

use courses::exam::Outcome as ExamOutcome;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub exam_id: i64,
    pub person_id: i64,
    /// 1, 2, … per (exam, person).
    pub number: i32,
    pub practice: bool,
    pub state: State,
    pub seed: i64,
    /// `courses::exam::Paper` JSON: question version ids, points, option order.
    pub paper: String,
    /// The page that holds the attempt (a token it made up).
    pub holder: String,
    pub started_at_ms: i64,
    /// When the server submits it (time limit or window end); None: untimed.
    pub deadline_ms: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub submitted_by: Option<SubmittedBy>,
    /// Points so far in tenths; None while open.
    pub total_tenths: Option<i64>,
    pub max_tenths: i64,
    /// Answers waiting for a grader.
    pub pending: i32,
    pub outcome: Option<Outcome>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Attempts whose results count: submitted, not practice.
pub fn counting() -> Select<Entity> {
    Entity::find().filter(Column::State.eq(State::Submitted)).filter(Column::Practice.eq(false))
}

/// The `state` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum State {
    /// Being answered.
    #[sea_orm(string_value = "open")]
    Open,
    /// Submitted by the taker or at the deadline; answers are final.
    #[sea_orm(string_value = "submitted")]
    Submitted,
}

/// The `submitted_by` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SubmittedBy {
    #[sea_orm(string_value = "taker")]
    Taker,
    /// The server, when the time was up.
    #[sea_orm(string_value = "deadline")]
    Deadline,
}

/// The `outcome` column: a [`courses::exam::Outcome`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Outcome {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "passed")]
    Passed,
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl From<ExamOutcome> for Outcome {
    fn from(o: ExamOutcome) -> Outcome {
        match o {
            ExamOutcome::Pending => Outcome::Pending,
            ExamOutcome::Passed => Outcome::Passed,
            ExamOutcome::Failed => Outcome::Failed,
        }
    }
}

impl From<Outcome> for ExamOutcome {
    fn from(o: Outcome) -> ExamOutcome {
        match o {
            Outcome::Pending => ExamOutcome::Pending,
            Outcome::Passed => ExamOutcome::Passed,
            Outcome::Failed => ExamOutcome::Failed,
        }
    }
}
