//! The questions an exam draws from: every current question of its banks,
//! read as the version stored now. A paper names questions by their
//! stable id while drawing, and keeps the version ids once drawn.

use std::collections::HashMap;

use courses::exam::{Paper, Question, QuestionId};
use sea_orm::ConnectionTrait;

use crate::error::{Error, Result};
use crate::services::question_banks::questions::{current, question_of};

pub(crate) struct Pool {
    /// (question id, version id, question), by question id.
    items: Vec<(i64, i64, Question)>,
}

impl Pool {
    pub async fn load(db: &impl ConnectionTrait, banks: &[i64]) -> Result<Pool> {
        let mut items = Vec::new();
        for bank in banks {
            for (q, v) in current(db, *bank).await? {
                items.push((q.id, v.id, question_of(&v)?));
            }
        }
        items.sort_by_key(|(id, _, _)| *id);
        Ok(Pool { items })
    }

    /// What `PaperSpec::draw` takes: questions by their stable id.
    pub fn entries(&self) -> Vec<(QuestionId, &Question)> {
        self.items.iter().map(|(id, _, q)| (QuestionId(*id), q)).collect()
    }

    /// A drawn paper with each question id replaced by the version drawn,
    /// which the attempt keeps whatever later edits do.
    pub fn pin_versions(&self, mut paper: Paper) -> Result<Paper> {
        let versions: HashMap<i64, i64> = self.items.iter().map(|(id, v, _)| (*id, *v)).collect();
        for item in &mut paper.items {
            let v = versions.get(&item.question.0).ok_or_else(|| {
                Error::Internal(anyhow::anyhow!("drawn question {} is not in the pool", item.question.0))
            })?;
            item.question = QuestionId(*v);
        }
        Ok(paper)
    }
}
