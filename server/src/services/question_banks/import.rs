//! A file of questions into a bank: the table layout of Chinese exam
//! systems (CSV in UTF-8 or GB18030, or XLSX), Moodle GIFT or Aiken. Every
//! question of the file gets a line in the report, in the caller's
//! language; the good ones are written in one transaction, or nothing on a
//! dry run. A question the bank already holds (the same content) is
//! reported unchanged, so importing the same file again adds nothing.

use std::collections::HashMap;

use courses::exam::bank::{
    BankFormat, QuestionImportOutcome, QuestionImportReport, QuestionImportRow, MAX_IMPORT_QUESTIONS,
};
use courses::exam::import::{aiken, gift, table, ImportProblem, Report};
use courses::i18n::{Lang, Localize};
use courses::Actor;
use sea_orm::DatabaseConnection;

use super::managed;
use super::questions::{current, insert, stored};
use crate::db;
use crate::error::{Detail, Error, Result};
use crate::services::decode;

/// What the caller said of the file.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    /// Overrides the file name's extension.
    pub format: Option<BankFormat>,
}

/// The file's format: a ZIP container is XLSX whatever it is called; text
/// goes by the format asked for, else by the file name's extension.
fn format_of(upload: &Upload) -> Result<BankFormat> {
    if upload.bytes.starts_with(b"PK\x03\x04") {
        return Ok(BankFormat::Xlsx);
    }
    let named = upload.file_name.as_deref().and_then(BankFormat::from_file_name);
    match upload.format.or(named) {
        Some(BankFormat::Xlsx) => {
            Err(Error::ImportFile(Detail::text("文件不是有效的 XLSX 表格。", "The file is not a valid XLSX workbook.")))
        }
        Some(format) => Ok(format),
        None => Err(Error::Invalid(Detail::text(
            "无法判断文件格式：请使用 .csv、.xlsx、.gift 或 .txt（Aiken）文件，或指定 format。",
            "Cannot tell the file's format: use a .csv, .xlsx, .gift or .txt (Aiken) file, or give `format`.",
        ))),
    }
}

fn file_problems(problems: &[ImportProblem]) -> Error {
    Error::ImportFile(Detail::all(problems))
}

/// Decodes and parses the file (CPU work, off the async threads).
fn parse(upload: &Upload, format: BankFormat) -> Result<Report> {
    let report = match format {
        BankFormat::Csv | BankFormat::Xlsx => {
            let rows = decode::table(&upload.bytes)?;
            table::parse(&rows).map_err(|p| file_problems(&p))?
        }
        BankFormat::Gift => gift::parse(&decode::text(&upload.bytes)?),
        BankFormat::Aiken => aiken::parse(&decode::text(&upload.bytes)?),
    };
    if report.is_empty() {
        return Err(Error::ImportFile(Detail::text("文件中没有找到试题。", "The file holds no questions.")));
    }
    if report.len() > MAX_IMPORT_QUESTIONS {
        return Err(Error::ImportFile(Detail::text(
            format!("一次最多导入 {MAX_IMPORT_QUESTIONS} 道题，文件中有 {} 道；请分成几个文件。", report.len()),
            format!("At most {MAX_IMPORT_QUESTIONS} questions per import; the file has {}. Split it.", report.len()),
        )));
    }
    Ok(report)
}

pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    bank_id: i64,
    upload: Upload,
    dry_run: bool,
    lang: Lang,
) -> Result<QuestionImportReport> {
    let (bank, _) = managed(db, actor, bank_id).await?;
    let format = format_of(&upload)?;
    let report =
        tokio::task::spawn_blocking(move || parse(&upload, format)).await.map_err(|e| Error::Internal(e.into()))??;

    let txn = db::begin_writing(db).await?;
    // The bank's questions by content, and those this file added above.
    let mut known: HashMap<String, Option<i64>> =
        current(&txn, bank.id).await?.into_iter().map(|(q, _)| (q.fingerprint, Some(q.id))).collect();
    let mut rows = Vec::with_capacity(report.len());
    for entry in report {
        let row = match entry.outcome {
            Ok(question) => {
                let (_, hash) = stored(&question)?;
                match known.get(&hash) {
                    Some(id) => QuestionImportRow {
                        location: entry.location,
                        outcome: QuestionImportOutcome::Unchanged,
                        question_id: *id,
                        codes: vec![],
                        messages: vec![],
                    },
                    None => {
                        let id = if dry_run { None } else { Some(insert(&txn, actor, bank.id, &question).await?.0.id) };
                        known.insert(hash, id);
                        QuestionImportRow {
                            location: entry.location,
                            outcome: QuestionImportOutcome::Created,
                            question_id: id,
                            codes: vec![],
                            messages: vec![],
                        }
                    }
                }
            }
            Err(problems) => QuestionImportRow {
                location: entry.location,
                outcome: QuestionImportOutcome::Rejected,
                question_id: None,
                codes: problems.iter().map(|p| p.code().to_owned()).collect(),
                messages: problems.iter().map(|p| p.localize(lang)).collect(),
            },
        };
        rows.push(row);
    }
    let count = |o: QuestionImportOutcome| rows.iter().filter(|r| r.outcome == o).count();
    let created = count(QuestionImportOutcome::Created);
    if dry_run || created == 0 {
        txn.rollback().await?;
    } else {
        super::questions::touch_bank(&txn, bank).await?;
        txn.commit().await?;
    }
    Ok(QuestionImportReport {
        dry_run,
        format,
        created,
        unchanged: count(QuestionImportOutcome::Unchanged),
        rejected: count(QuestionImportOutcome::Rejected),
        rows,
    })
}
