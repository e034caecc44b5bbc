//! A bank written back into the formats it is imported from. Each is read
//! back by its importer into the same questions, except what a format
//! cannot hold: GIFT has no short answer's reference answer or fill-in of
//! several blanks, Aiken holds single choice only. Those questions are
//! left out and counted, never written wrongly.

use courses::exam::bank::BankFormat;
use courses::exam::import::{aiken, gift_export, table};
use courses::exam::{Question, QuestionKind};
use courses::report::{Cell, Format, Table};
use courses::Actor;
use sea_orm::ConnectionTrait;

use super::managed;
use super::questions::{current, question_of};
use crate::error::Result;
use crate::services::reports::export::{file_stem, render, Download};

/// A bank as a file, and how many of its questions the format could not
/// hold.
pub struct Exported {
    pub file: Download,
    pub left_out: usize,
}

pub async fn export(db: &impl ConnectionTrait, actor: &Actor, bank_id: i64, format: BankFormat) -> Result<Exported> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let questions: Vec<Question> =
        current(db, bank.id).await?.iter().map(|(_, v)| question_of(v)).collect::<Result<_>>()?;
    let file_name = |ext: &str| format!("{}.{ext}", file_stem(&bank.name));
    match format {
        BankFormat::Csv | BankFormat::Xlsx => {
            let mut rows = table::export(&questions).into_iter();
            let headers = rows.next().unwrap_or_default();
            let sheet = Table {
                title: bank.name.clone(),
                headers,
                rows: rows.map(|r| r.into_iter().map(Cell::text).collect()).collect(),
            };
            let file = render(&sheet, if format == BankFormat::Csv { Format::Csv } else { Format::Xlsx })?;
            Ok(Exported { file, left_out: 0 })
        }
        BankFormat::Gift => {
            let (text, skipped) = gift_export::export(&questions);
            Ok(Exported { file: text_file(text, file_name("gift")), left_out: skipped.len() })
        }
        BankFormat::Aiken => {
            let single: Vec<Question> =
                questions.iter().filter(|q| q.kind() == QuestionKind::Single).cloned().collect();
            let left_out = questions.len() - single.len();
            Ok(Exported { file: text_file(aiken::export(&single), file_name("txt")), left_out })
        }
    }
}

fn text_file(text: String, file_name: String) -> Download {
    Download { bytes: text.into_bytes(), content_type: "text/plain; charset=utf-8", file_name }
}
