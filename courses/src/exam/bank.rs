//! Question banks as the API shows them: a bank, a question with its key
//! (for organizers only), and the report of an import.

use serde::{Deserialize, Serialize};

use super::import::Location;
use super::question::{QuestionData, QuestionKind};
use crate::i18n::{Lang, Localize};
use crate::OrgId;

/// Longest bank name, in characters.
pub const MAX_BANK_NAME_CHARS: usize = 100;
/// Longest bank description, in characters.
pub const MAX_BANK_DESCRIPTION_CHARS: usize = 2_000;
/// Most questions one import may bring.
pub const MAX_IMPORT_QUESTIONS: usize = 5_000;

/// A bank in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankSummary {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub name: String,
    pub description: String,
    /// Questions in the bank now (retired ones not counted).
    pub questions: u32,
    /// Unix seconds.
    pub updated_at: i64,
}

/// A bank to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBank {
    pub org_id: OrgId,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A bank's new name or description.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankPatch {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// What is wrong with a bank's name or description.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankProblem {
    #[error("the bank needs a name")]
    EmptyName,
    #[error("the name is longer than {MAX_BANK_NAME_CHARS} characters")]
    NameTooLong,
    #[error("the description is longer than {MAX_BANK_DESCRIPTION_CHARS} characters")]
    DescriptionTooLong,
}

impl BankProblem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyName => "empty_name",
            Self::NameTooLong => "name_too_long",
            Self::DescriptionTooLong => "description_too_long",
        }
    }
}

impl Localize for BankProblem {
    fn localize(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => match self {
                Self::EmptyName => "请填写题库名称。".to_owned(),
                Self::NameTooLong => format!("题库名称不能超过 {MAX_BANK_NAME_CHARS} 个字。"),
                Self::DescriptionTooLong => format!("题库说明不能超过 {MAX_BANK_DESCRIPTION_CHARS} 个字。"),
            },
            Lang::En => crate::i18n::sentence(self),
        }
    }
}

/// A bank name, trimmed, 1 to [`MAX_BANK_NAME_CHARS`] characters.
pub fn check_name(raw: &str) -> Result<String, BankProblem> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err(BankProblem::EmptyName),
        n if n > MAX_BANK_NAME_CHARS => Err(BankProblem::NameTooLong),
        _ => Ok(name.to_owned()),
    }
}

/// A bank description, trimmed, at most [`MAX_BANK_DESCRIPTION_CHARS`].
pub fn check_description(raw: &str) -> Result<String, BankProblem> {
    let text = raw.trim();
    if text.chars().count() > MAX_BANK_DESCRIPTION_CHARS {
        return Err(BankProblem::DescriptionTooLong);
    }
    Ok(text.to_owned())
}

/// A question as its bank's organizers see it: content, key and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankQuestion {
    pub id: i64,
    pub bank_id: i64,
    /// The current version's number (1, 2, …).
    pub version: i32,
    /// The current version's id, which papers and attempts keep.
    pub version_id: i64,
    pub kind: QuestionKind,
    pub data: QuestionData,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What an edit did to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EditOutcome {
    /// Nothing differed.
    Unchanged,
    /// No attempt's paper held it: changed in place.
    ChangedInPlace,
    /// An attempt's paper held it and only its key (or 解析,
    /// difficulty, categories) changed: corrected in place, since what the
    /// takers saw is the same, and the attempts that used it regraded.
    KeyCorrected,
    /// An attempt's paper held it and what takers see changed: a new
    /// version, the old one kept for those attempts.
    NewVersion,
}

/// The answer to an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditedQuestion {
    pub outcome: EditOutcome,
    pub question: BankQuestion,
    /// Submitted attempts regraded by a key correction.
    #[serde(default)]
    pub regraded: usize,
}

/// The formats a bank is imported from and exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BankFormat {
    /// Comma-separated, UTF-8 (with or without a byte-order mark) or GB18030.
    Csv,
    Xlsx,
    Gift,
    Aiken,
}

impl BankFormat {
    /// The format a file name's extension names.
    pub fn from_file_name(name: &str) -> Option<BankFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            "gift" => Some(Self::Gift),
            "txt" => Some(Self::Aiken),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Gift => "gift",
            Self::Aiken => "txt",
        }
    }
}

/// What became of one question of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionImportOutcome {
    Created,
    /// The bank already holds the same question (or the file did, above).
    Unchanged,
    Rejected,
}

/// One question of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionImportRow {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub location: Location,
    pub outcome: QuestionImportOutcome,
    /// The question created or found (not on a dry run's new ones).
    pub question_id: Option<i64>,
    /// Stable codes of the problems, for a rejected question.
    pub codes: Vec<String>,
    /// The problems in the caller's language, for a rejected question.
    pub messages: Vec<String>,
}

/// The report of an import: every question of the file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionImportReport {
    pub dry_run: bool,
    pub format: BankFormat,
    pub created: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub rows: Vec<QuestionImportRow>,
}
