//! People: ids, logins, names, roles and the password policy.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Database id of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PersonId(pub i64);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a value could not become a people type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PersonError {
    #[error("login must be 3 to 32 characters: letters, digits, `.`, `_`, `-` or `@`")]
    BadLogin,
    #[error("name must be 1 to 32 characters without control characters")]
    BadName,
    #[error("unknown role `{0}`; use member, organizer or admin")]
    BadRole(String),
    #[error("password must be 8 to 128 characters and not only digits")]
    WeakPassword,
    #[error("e-mail address must look like name@example.org (at most 254 characters)")]
    BadEmail,
}

/// What a person types to log in, often a mobile phone number. Stored
/// lower-cased so `Zhang.San` and `zhang.san` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    pub fn parse(s: &str) -> Result<Self, PersonError> {
        let s = s.trim().to_lowercase();
        let ok = (3..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'));
        if ok {
            Ok(Self(s))
        } else {
            Err(PersonError::BadLogin)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Login {
    type Error = PersonError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Login> for String {
    fn from(l: Login) -> Self {
        l.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name, e.g. `张三`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, PersonError> {
        let s = s.trim();
        if (1..=32).contains(&s.chars().count()) && !s.chars().any(char::is_control) {
            Ok(Self(s.to_owned()))
        } else {
            Err(PersonError::BadName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = PersonError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> Self {
        n.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where e-mail reminders go, e.g. `zhang.san@example.org`: one address,
/// no display name, a domain with a top-level part (`name@localhost` and
/// `name@[10.0.0.1]` are refused: reminders go to real mailboxes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Longest address the `people.email` column holds (RFC 5321's path limit).
    pub const MAX_LEN: usize = 254;

    pub fn parse(s: &str) -> Result<Self, PersonError> {
        use email_address::{EmailAddress, Options};
        let s = s.trim();
        let options = Options::default().with_required_tld().without_display_text().without_domain_literal();
        if s.len() > Self::MAX_LEN || EmailAddress::parse_with_options(s, options).is_err() {
            return Err(PersonError::BadEmail);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = PersonError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person may do. Organizers act on their own org node and its
/// subtree. Where someone is in the party (入党积极分子, 预备党员, …) is
/// their [`Standing`](crate::Standing), not a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Studies: members, and activists and candidates alike.
    Member,
    /// 组织员 / 支部书记
    Organizer,
    /// 系统管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Member, Self::Organizer, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Organizer => "organizer",
            Self::Admin => "admin",
        }
    }

    /// Accepts the English code or the Chinese title, as spreadsheets use
    /// both. A roster's 党员 or 入党积极分子 in the role column means a
    /// member who studies (the standing is read from it apart, see
    /// [`Standing::parse`](crate::Standing::parse)).
    pub fn parse(s: &str) -> Result<Self, PersonError> {
        match s.trim().to_lowercase().as_str() {
            "member" | "党员" | "正式党员" | "预备党员" | "学员" | "入党积极分子" | "积极分子" | "发展对象"
            | "入党申请人" => Ok(Self::Member),
            "organizer" | "组织员" | "支部书记" => Ok(Self::Organizer),
            "admin" | "管理员" => Ok(Self::Admin),
            _ => Err(PersonError::BadRole(s.trim().to_owned())),
        }
    }

    pub fn manages_people(self) -> bool {
        matches!(self, Self::Organizer | Self::Admin)
    }
}

/// A password that meets the policy. Never serialized, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(s: &str) -> Result<Self, PersonError> {
        let len = s.chars().count();
        if (8..=128).contains(&len) && !s.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(PersonError::WeakPassword)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Two-character surnames common enough to matter; any other name's
/// surname is its first character.
const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "钟离", "端木", "独孤", "南宫", "西门",
];

/// The surname of a Chinese name (for a name in Latin letters, its first word).
pub fn surname_of(name: &str) -> String {
    let name = name.trim();
    if let Some(s) = COMPOUND_SURNAMES.iter().find(|s| name.starts_with(**s) && name.chars().count() > 2) {
        return (*s).to_owned();
    }
    if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return name.split_whitespace().next().unwrap_or_default().to_owned();
    }
    name.chars().next().map(String::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_are_read_as_chinese_readers_read_them() {
        assert_eq!(surname_of("张三"), "张");
        assert_eq!(surname_of("欧阳修文"), "欧阳");
        assert_eq!(surname_of("欧阳"), "欧", "a two-character name is surname and given name");
        assert_eq!(surname_of(" 王 "), "王");
        assert_eq!(surname_of("Smith John"), "Smith");
        assert_eq!(surname_of(""), "");
    }

    #[test]
    fn logins_are_lowercased_and_limited_to_a_safe_alphabet() {
        assert_eq!(Login::parse(" Zhang.San ").unwrap().as_str(), "zhang.san");
        assert_eq!(Login::parse("13800138000").unwrap().as_str(), "13800138000");
        for bad in ["ab", "张三", "a b c", "a;drop", &"x".repeat(33)] {
            assert!(Login::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn roles_parse_from_codes_and_chinese_titles() {
        assert_eq!(Role::parse("党员").unwrap(), Role::Member);
        assert_eq!(Role::parse("入党积极分子").unwrap(), Role::Member, "a standing, who studies as a member");
        assert!(Role::parse("activist").is_err(), "not a role any more");
        assert_eq!(Role::parse("Organizer").unwrap(), Role::Organizer);
        assert!(Role::parse("chairman").is_err());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
    }

    #[test]
    fn passwords_need_eight_characters_and_not_only_digits() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("12345678").is_err());
        assert!(Password::parse("dangxiao-2026").is_ok());
        assert_eq!(format!("{:?}", Password::parse("dangxiao-2026").unwrap()), "Password(***)");
    }

    #[test]
    fn emails_need_a_mailbox_at_a_real_domain() {
        assert_eq!(Email::parse(" li.xuexi@example.org ").unwrap().as_str(), "li.xuexi@example.org");
        assert!(Email::parse("张红@例子.中国").is_ok());
        for bad in [
            "",
            "li",
            "li@",
            "@example.org",
            "li@localhost",
            "li@[127.0.0.1]",
            "Li <li@example.org>",
            "a b@example.org",
        ] {
            assert_eq!(Email::parse(bad), Err(PersonError::BadEmail), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(64))).is_ok());
        assert!(Email::parse(&format!("a@{}.org", "b".repeat(250))).is_err());
    }

    #[test]
    fn names_reject_empty_and_control_characters() {
        assert!(PersonName::parse("张三").is_ok());
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse("a\nb").is_err());
    }
}
