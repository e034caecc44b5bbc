//! Reading a member roster (CSV or XLSX, already decoded into cells).
//!
//! This module checks what can be checked without the database: the header,
//! each cell's format and duplicates inside the file. The server then checks
//! each row against the tree (does the org exist, may the importer manage it,
//! is the login someone else's) and imports the good rows in one transaction.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::i18n::{Lang, Localize};
use crate::org::OrgNamePath;
use crate::people::{Email, Login, PersonName, Role};
use crate::standing::Standing;

/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 10_000;

/// The columns of a roster: all but `Email` are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Name,
    Login,
    OrgPath,
    Role,
    /// Where e-mail reminders go; optional, and an empty cell changes nothing.
    Email,
    /// Party standing (入党积极分子, 发展对象, …); optional: read from the
    /// role column's 党员 or 入党积极分子 when absent.
    Standing,
}

impl Column {
    const REQUIRED: [Column; 4] = [Column::Name, Column::Login, Column::OrgPath, Column::Role];

    fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        match h.as_str() {
            "name" | "姓名" => Some(Column::Name),
            "login" | "登录名" | "手机号" | "手机号码" | "账号" => Some(Column::Login),
            "org_path" | "org" | "organization" | "组织" | "所在组织" | "组织路径" | "所在支部" => {
                Some(Column::OrgPath)
            }
            "role" | "角色" | "身份" => Some(Column::Role),
            "email" | "e-mail" | "邮箱" | "电子邮箱" | "电子邮件" => Some(Column::Email),
            "standing" | "党员身份" | "政治面貌" | "发展阶段" => Some(Column::Standing),
            _ => None,
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Column::Name => lang.pick("姓名", "name"),
            Column::Login => lang.pick("登录名", "login"),
            Column::OrgPath => lang.pick("组织路径", "org_path"),
            Column::Role => lang.pick("身份", "role"),
            Column::Email => lang.pick("电子邮箱", "email"),
            Column::Standing => lang.pick("党员身份", "standing"),
        }
    }
}

/// A problem with the file as a whole: nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("the file has no header row")]
    Empty,
    #[error("missing column(s): {0:?}")]
    MissingColumns(Vec<Column>),
    #[error("the file has more than {MAX_ROWS} rows")]
    TooManyRows,
}

impl Localize for FileError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileError::Empty, Lang::Zh) => "文件为空，第一行应为表头：姓名、登录名、组织路径、身份。".into(),
            (FileError::Empty, Lang::En) => {
                "The file is empty; the first row must be the header: name, login, org_path, role.".into()
            }
            (FileError::MissingColumns(cols), _) => {
                let names: Vec<&str> = cols.iter().map(|c| c.label(lang)).collect();
                match lang {
                    Lang::Zh => format!("缺少列：{}。第一行应为表头：姓名、登录名、组织路径、身份。", names.join("、")),
                    Lang::En => format!(
                        "Missing column(s): {}. The first row must be the header: name, login, org_path, role.",
                        names.join(", ")
                    ),
                }
            }
            (FileError::TooManyRows, Lang::Zh) => format!("文件超过 {MAX_ROWS} 行，请分批导入。"),
            (FileError::TooManyRows, Lang::En) => format!("The file has more than {MAX_ROWS} rows; split it up."),
        }
    }
}

/// Why one row was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RowProblem {
    BadName,
    BadLogin { value: String },
    BadRole { value: String },
    BadOrgPath { value: String },
    DuplicateInFile { first_row: usize },
    UnknownOrg { path: String },
    OrgOutOfScope { path: String },
    RoleNotAllowed { role: Role },
    LoginTaken { login: String },
    BadEmail { value: String },
    BadStanding { value: String },
}

impl Localize for RowProblem {
    fn localize(&self, lang: Lang) -> String {
        use RowProblem::*;
        match (self, lang) {
            (BadName, Lang::Zh) => "姓名为空或超过 32 个字符。".into(),
            (BadName, Lang::En) => "The name is empty or longer than 32 characters.".into(),
            (BadLogin { value }, Lang::Zh) => format!("登录名“{value}”无效：须为 3–32 个字母、数字或 . _ - @。"),
            (BadLogin { value }, Lang::En) => {
                format!("Login `{value}` is invalid: use 3-32 letters, digits or . _ - @.")
            }
            (BadRole { value }, Lang::Zh) => format!("身份“{value}”无效：请填写党员、入党积极分子或组织员。"),
            (BadRole { value }, Lang::En) => format!("Role `{value}` is invalid: use member, activist or organizer."),
            (BadStanding { value }, Lang::Zh) => {
                format!("党员身份“{value}”无效：请填写入党申请人、入党积极分子、发展对象、预备党员或正式党员。")
            }
            (BadStanding { value }, Lang::En) => {
                format!("Standing `{value}` is invalid: use applicant, activist, candidate, probationary or full.")
            }
            (BadOrgPath { value }, Lang::Zh) => format!("组织路径“{value}”格式不正确，例如：某党委/第一党支部。"),
            (BadOrgPath { value }, Lang::En) => {
                format!("Org path `{value}` is malformed; write it like Committee/Branch 1.")
            }
            (DuplicateInFile { first_row }, Lang::Zh) => format!("登录名与第 {first_row} 行重复。"),
            (DuplicateInFile { first_row }, Lang::En) => format!("The login repeats row {first_row}."),
            (UnknownOrg { path }, Lang::Zh) => format!("组织“{path}”不存在，请先创建该组织或更正路径。"),
            (UnknownOrg { path }, Lang::En) => {
                format!("There is no organization `{path}`; create it first or correct the path.")
            }
            (OrgOutOfScope { path }, Lang::Zh) => format!("您无权管理组织“{path}”。"),
            (OrgOutOfScope { path }, Lang::En) => format!("You may not manage the organization `{path}`."),
            (RoleNotAllowed { role }, Lang::Zh) => format!("您无权授予身份“{}”。", role.as_str()),
            (RoleNotAllowed { role }, Lang::En) => format!("You may not grant the role `{}`.", role.as_str()),
            (LoginTaken { login }, Lang::Zh) => format!("登录名“{login}”已被您管理范围之外的人员使用。"),
            (LoginTaken { login }, Lang::En) => {
                format!("Login `{login}` belongs to someone outside your part of the tree.")
            }
            (BadEmail { value }, Lang::Zh) => {
                format!("电子邮箱“{value}”无效，例如：name@example.org；不需要时请留空。")
            }
            (BadEmail { value }, Lang::En) => {
                format!("E-mail `{value}` is invalid; write it like name@example.org, or leave the cell empty.")
            }
        }
    }
}

/// A row whose cells are well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// 1-based line number in the file, header included (as a spreadsheet shows it).
    pub line: usize,
    pub name: PersonName,
    pub login: Login,
    pub org_path: OrgNamePath,
    pub role: Role,
    /// From the standing column, else from the role column's wording
    /// (入党积极分子, 预备党员; 组织员 and plain 党员 are 正式党员).
    pub standing: Standing,
    /// None: no e-mail column, or an empty cell (the address stays as it is).
    pub email: Option<Email>,
}

/// A row that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    pub problem: RowProblem,
}

/// The file after the checks that need no database.
#[derive(Debug, Default)]
pub struct Roster {
    pub good: Vec<RosterRow>,
    pub bad: Vec<BadRow>,
}

/// Checks a decoded roster: `rows[0]` is the header. Blank rows are skipped.
pub fn parse_roster(rows: &[Vec<String>]) -> Result<Roster, FileError> {
    let header = rows.first().ok_or(FileError::Empty)?;
    let mut index: HashMap<Column, usize> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        if let Some(col) = Column::from_header(cell) {
            index.entry(col).or_insert(i);
        }
    }
    let missing: Vec<Column> = Column::REQUIRED.into_iter().filter(|c| !index.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    if rows.len() - 1 > MAX_ROWS {
        return Err(FileError::TooManyRows);
    }
    let cell = |row: &Vec<String>, col: Column| {
        index.get(&col).and_then(|&i| row.get(i)).map(|s| s.trim()).unwrap_or("").to_owned()
    };

    let mut roster = Roster::default();
    let mut first_seen: HashMap<Login, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let line = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match parse_row(line, row, cell) {
            Ok(parsed) => match first_seen.get(&parsed.login) {
                Some(&first_row) => {
                    roster.bad.push(BadRow { line, problem: RowProblem::DuplicateInFile { first_row } })
                }
                None => {
                    first_seen.insert(parsed.login.clone(), line);
                    roster.good.push(parsed);
                }
            },
            Err(problem) => roster.bad.push(BadRow { line, problem }),
        }
    }
    Ok(roster)
}

fn parse_row(
    line: usize,
    row: &Vec<String>,
    cell: impl Fn(&Vec<String>, Column) -> String,
) -> Result<RosterRow, RowProblem> {
    let name = PersonName::parse(&cell(row, Column::Name)).map_err(|_| RowProblem::BadName)?;
    let login_raw = cell(row, Column::Login);
    let login = Login::parse(&login_raw).map_err(|_| RowProblem::BadLogin { value: login_raw })?;
    let path_raw = cell(row, Column::OrgPath);
    let org_path = OrgNamePath::parse(&path_raw).map_err(|_| RowProblem::BadOrgPath { value: path_raw })?;
    let role_raw = cell(row, Column::Role);
    // A standing in the role column (activist, 发展对象) is a learner's.
    let role = Role::parse(&role_raw)
        .ok()
        .or_else(|| Standing::parse(&role_raw).map(|_| Role::Member))
        .ok_or_else(|| RowProblem::BadRole { value: role_raw.clone() })?;
    let standing_raw = cell(row, Column::Standing);
    let standing = if standing_raw.is_empty() {
        Standing::parse(&role_raw).unwrap_or(Standing::Full)
    } else {
        Standing::parse(&standing_raw).ok_or(RowProblem::BadStanding { value: standing_raw })?
    };
    let email_raw = cell(row, Column::Email);
    let email = if email_raw.is_empty() {
        None
    } else {
        Some(Email::parse(&email_raw).map_err(|_| RowProblem::BadEmail { value: email_raw })?)
    };
    Ok(RosterRow { line, name, login, org_path, role, standing, email })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn chinese_headers_in_any_order_are_understood() {
        let r = parse_roster(&rows(&[
            &["身份", "姓名", "组织路径", "手机号"],
            &["党员", "张三", "某党委/第一党支部", "13800000001"],
        ]))
        .unwrap();
        assert_eq!(r.bad, vec![]);
        assert_eq!(r.good[0].name.as_str(), "张三");
        assert_eq!(r.good[0].line, 2);
        assert_eq!(r.good[0].org_path.to_string(), "某党委/第一党支部");
    }

    #[test]
    fn an_email_column_is_optional_and_checked_when_filled() {
        let r = parse_roster(&rows(&[
            &["姓名", "登录名", "组织路径", "身份", "电子邮箱"],
            &["张三", "zhangsan", "A/B", "党员", "zhang@example.org"],
            &["李四", "lisi", "A/B", "党员", ""],
            &["王五", "wangwu", "A/B", "党员", "not an address"],
        ]))
        .unwrap();
        assert_eq!(r.good.len(), 2);
        assert_eq!(r.good[0].email.as_ref().map(|e| e.to_string()), Some("zhang@example.org".into()));
        assert_eq!(r.good[1].email, None);
        assert_eq!(r.bad, vec![BadRow { line: 4, problem: RowProblem::BadEmail { value: "not an address".into() } }]);
        let without = parse_roster(&rows(&[&["name", "login", "org_path", "role"], &["张三", "zs1", "A/B", "member"]]));
        assert_eq!(without.unwrap().good[0].email, None);
    }

    #[test]
    fn a_missing_column_rejects_the_whole_file() {
        let err = parse_roster(&rows(&[&["name", "login"], &["a", "abc"]])).unwrap_err();
        assert_eq!(err, FileError::MissingColumns(vec![Column::OrgPath, Column::Role]));
        assert!(err.localize(Lang::Zh).contains("组织路径"));
        assert_eq!(parse_roster(&[]).unwrap_err(), FileError::Empty);
    }

    #[test]
    fn each_bad_row_is_named_with_its_reason() {
        let r = parse_roster(&rows(&[
            &["name", "login", "org_path", "role"],
            &["张三", "zhangsan", "A/B", "member"],
            &["", "lisi", "A/B", "member"],
            &["王五", "x", "A/B", "member"],
            &["赵六", "zhaoliu", "A/B", "chairman"],
            &["", "", "", ""],
            &["孙七", "ZhangSan", "A/B", "member"],
        ]))
        .unwrap();
        assert_eq!(r.good.len(), 1);
        let problems: Vec<(usize, RowProblem)> = r.bad.into_iter().map(|b| (b.line, b.problem)).collect();
        assert_eq!(
            problems,
            vec![
                (3, RowProblem::BadName),
                (4, RowProblem::BadLogin { value: "x".into() }),
                (5, RowProblem::BadRole { value: "chairman".into() }),
                (7, RowProblem::DuplicateInFile { first_row: 2 }),
            ]
        );
    }

    #[test]
    fn too_many_rows_is_a_file_error() {
        let mut r = rows(&[&["name", "login", "org_path", "role"]]);
        r.extend(std::iter::repeat_n(vec!["a".to_string(); 4], MAX_ROWS + 1));
        assert_eq!(parse_roster(&r).unwrap_err(), FileError::TooManyRows);
    }
}
