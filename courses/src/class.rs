//! Party classes (培训班) for activists and candidates: a class of an org
//! node with its term, its 班主任 (organizers who manage the node), the
//! students enrolled from the node's subtree, what they must complete
//! (courses, 学时) and how graduation is graded.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localize};
use crate::meeting::Date;
use crate::standing::Standing;
use crate::OrgId;

/// Longest class name, in characters.
pub const MAX_CLASS_NAME_CHARS: usize = 100;
/// Most 学时 a class may require.
pub const MAX_CLASS_HOURS: u32 = 500;
/// Standings a class enrols: activists and candidates.
pub const ENROLLABLE: [Standing; 2] = [Standing::Activist, Standing::Candidate];

/// How the final grade is weighed, in percent; they add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GradeWeights {
    pub exam: u8,
    pub essays: u8,
    pub attendance: u8,
}

impl Default for GradeWeights {
    /// One school's weighting: exam 70 %, essays 20 %, attendance 10 %.
    fn default() -> Self {
        GradeWeights { exam: 70, essays: 20, attendance: 10 }
    }
}

/// The lowest weighted scores for 优秀 and for 合格 (0–100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GradeThresholds {
    pub excellent: u8,
    pub pass: u8,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        GradeThresholds { excellent: 90, pass: 60 }
    }
}

/// A graduate's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GradeLevel {
    /// 优秀.
    Excellent,
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
}

impl GradeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Pass => "pass",
            Self::Fail => "fail",
        }
    }

    pub fn parse(s: &str) -> Option<GradeLevel> {
        [Self::Excellent, Self::Pass, Self::Fail].into_iter().find(|g| g.as_str() == s)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Self::Excellent => lang.pick("优秀", "Excellent"),
            Self::Pass => lang.pick("合格", "Pass"),
            Self::Fail => lang.pick("不合格", "Fail"),
        }
    }
}

/// The parts of a student's result, each in percent (0–100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResultParts {
    pub exam: f64,
    pub essays: f64,
    pub attendance: f64,
}

impl GradeWeights {
    /// The weighted score, 0–100, to one decimal.
    pub fn score(self, parts: ResultParts) -> f64 {
        let sum = parts.exam * f64::from(self.exam)
            + parts.essays * f64::from(self.essays)
            + parts.attendance * f64::from(self.attendance);
        (sum / 100.0 * 10.0).round() / 10.0
    }
}

impl GradeThresholds {
    pub fn level(self, score: f64) -> GradeLevel {
        if score >= f64::from(self.excellent) {
            GradeLevel::Excellent
        } else if score >= f64::from(self.pass) {
            GradeLevel::Pass
        } else {
            GradeLevel::Fail
        }
    }
}

/// A class to create or replace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassDraft {
    pub org_id: OrgId,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub term_from: String,
    /// `YYYY-MM-DD`, not before `term_from`.
    pub term_to: String,
    /// The 班主任: organizers who manage the class's node.
    pub teachers: Vec<i64>,
    /// Courses every student must complete.
    #[serde(default)]
    pub required_courses: Vec<i64>,
    /// Credited 学时 every student must have before the final exam, 0–500.
    #[serde(default)]
    pub required_hours: u32,
    /// The final exam (of the class's node or above).
    #[serde(default)]
    pub final_exam_id: Option<i64>,
    #[serde(default)]
    pub weights: GradeWeights,
    #[serde(default)]
    pub thresholds: GradeThresholds,
    /// A student who fails may resit the exam once.
    #[serde(default)]
    pub resit_allowed: bool,
    /// Shortest accepted essay (心得体会), in characters.
    #[serde(default = "default_essay_chars")]
    pub min_essay_chars: u32,
    /// Absent for more than this share of the sessions' hours: no certificate.
    #[serde(default = "default_absence")]
    pub max_absence_percent: u8,
}

fn default_essay_chars() -> u32 {
    1500
}

fn default_absence() -> u8 {
    25
}

/// A person in a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassPerson {
    pub id: i64,
    pub name: String,
    pub org_name: String,
    pub standing: Standing,
}

/// A class as its 班主任 and organizers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassView {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub name: String,
    pub term_from: String,
    pub term_to: String,
    pub teachers: Vec<ClassPerson>,
    pub students: Vec<ClassPerson>,
    pub required_courses: Vec<i64>,
    pub required_hours: u32,
    pub final_exam_id: Option<i64>,
    pub weights: GradeWeights,
    pub thresholds: GradeThresholds,
    pub resit_allowed: bool,
    pub min_essay_chars: u32,
    pub max_absence_percent: u8,
}

/// A class the caller studies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyClass {
    pub id: i64,
    pub name: String,
    pub org_name: String,
    pub term_from: String,
    pub term_to: String,
}

/// People to enrol (or to take out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    pub people: Vec<i64>,
}

/// Why a class cannot be saved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassError {
    #[error("a class name must be 1–100 characters without control characters")]
    BadName,
    #[error("the term must be two dates written YYYY-MM-DD, the end not before the start")]
    BadTerm,
    #[error("a class needs at least one 班主任")]
    NoTeacher,
    #[error("required hours must be a whole number from 0 to 500")]
    BadHours,
    #[error("the weights must add up to 100")]
    BadWeights,
    #[error("the thresholds must be at most 100, 优秀 not below 合格")]
    BadThresholds,
    #[error("the shortest essay must be 0–100,000 characters and the absence limit 0–100 %")]
    BadLimits,
}

impl Localize for ClassError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadName => (
                "班级名称须为 1–100 个字符，且不能包含控制字符。",
                "A class name must be 1–100 characters without control characters.",
            ),
            Self::BadTerm => (
                "培训时间须为两个写作 YYYY-MM-DD 的日期，结束不早于开始。",
                "The term must be two dates written YYYY-MM-DD, the end not before the start.",
            ),
            Self::NoTeacher => ("每个班级至少要有一位班主任。", "A class needs at least one 班主任 (class teacher)."),
            Self::BadHours => {
                ("要求学时须为 0 到 500 之间的整数。", "Required hours must be a whole number from 0 to 500.")
            }
            Self::BadWeights => (
                "考试、心得和出勤的权重之和须为 100。",
                "The weights of exam, essays and attendance must add up to 100.",
            ),
            Self::BadThresholds => (
                "优秀和合格的分数线不能超过 100，优秀不能低于合格。",
                "The thresholds must be at most 100, and 优秀 (excellent) not below 合格 (pass).",
            ),
            Self::BadLimits => (
                "心得最少字数须在 0 到 100,000 之间，缺勤上限须在 0% 到 100% 之间。",
                "The shortest essay must be 0–100,000 characters and the absence limit 0–100 %.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl ClassDraft {
    /// Checks what needs no database; answers the term's dates.
    pub fn check(&self) -> Result<(Date, Date), ClassError> {
        let name = self.name.trim();
        let n = name.chars().count();
        if n == 0 || n > MAX_CLASS_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(ClassError::BadName);
        }
        let (from, to) = match (Date::parse(&self.term_from), Date::parse(&self.term_to)) {
            (Ok(from), Ok(to)) if from <= to => (from, to),
            _ => return Err(ClassError::BadTerm),
        };
        if self.teachers.is_empty() {
            return Err(ClassError::NoTeacher);
        }
        if self.required_hours > MAX_CLASS_HOURS {
            return Err(ClassError::BadHours);
        }
        let w = self.weights;
        if u32::from(w.exam) + u32::from(w.essays) + u32::from(w.attendance) != 100 {
            return Err(ClassError::BadWeights);
        }
        let t = self.thresholds;
        if t.excellent > 100 || t.pass > 100 || t.excellent < t.pass {
            return Err(ClassError::BadThresholds);
        }
        if self.min_essay_chars > 100_000 || self.max_absence_percent > 100 {
            return Err(ClassError::BadLimits);
        }
        Ok((from, to))
    }
}

/// Why someone cannot be enrolled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolError {
    #[error("{name} is not in the class's organization")]
    Outside { name: String },
    #[error("{name} is neither an activist nor a candidate")]
    WrongStanding { name: String },
    #[error("person {id} does not exist")]
    Unknown { id: i64 },
}

impl Localize for EnrolError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Outside { name }, Lang::Zh) => format!("{name}不在本班所属组织内，不能报名。"),
            (Self::Outside { name }, Lang::En) => {
                format!("{name} is not in the class's organization and cannot be enrolled.")
            }
            (Self::WrongStanding { name }, Lang::Zh) => format!("{name}不是入党积极分子或发展对象，不能报名。"),
            (Self::WrongStanding { name }, Lang::En) => {
                format!("{name} is neither an activist nor a candidate and cannot be enrolled.")
            }
            (Self::Unknown { id }, Lang::Zh) => format!("人员 {id} 不存在。"),
            (Self::Unknown { id }, Lang::En) => format!("Person {id} does not exist."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ClassDraft {
        ClassDraft {
            org_id: OrgId(1),
            name: "2026年第二期入党积极分子培训班".into(),
            term_from: "2026-09-01".into(),
            term_to: "2026-12-31".into(),
            teachers: vec![2],
            required_courses: vec![],
            required_hours: 40,
            final_exam_id: None,
            weights: GradeWeights::default(),
            thresholds: GradeThresholds::default(),
            resit_allowed: true,
            min_essay_chars: 1500,
            max_absence_percent: 25,
        }
    }

    #[test]
    fn the_grade_weighs_exam_essays_and_attendance() {
        let parts = ResultParts { exam: 90.0, essays: 100.0, attendance: 50.0 };
        let score = GradeWeights::default().score(parts);
        assert_eq!(score, 88.0, "70 % of 90, 20 % of 100, 10 % of 50");
        let t = GradeThresholds::default();
        assert_eq!(
            (t.level(score), t.level(90.0), t.level(59.9)),
            (GradeLevel::Pass, GradeLevel::Excellent, GradeLevel::Fail)
        );
    }

    #[test]
    fn a_class_needs_a_name_a_term_a_teacher_and_sane_grading() {
        assert!(draft().check().is_ok());
        assert_eq!(ClassDraft { name: " ".into(), ..draft() }.check(), Err(ClassError::BadName));
        assert_eq!(ClassDraft { term_to: "2026-08-31".into(), ..draft() }.check(), Err(ClassError::BadTerm));
        assert_eq!(ClassDraft { teachers: vec![], ..draft() }.check(), Err(ClassError::NoTeacher));
        assert_eq!(ClassDraft { required_hours: 501, ..draft() }.check(), Err(ClassError::BadHours));
        let w = GradeWeights { exam: 70, essays: 20, attendance: 20 };
        assert_eq!(ClassDraft { weights: w, ..draft() }.check(), Err(ClassError::BadWeights));
        let t = GradeThresholds { excellent: 50, pass: 60 };
        assert_eq!(ClassDraft { thresholds: t, ..draft() }.check(), Err(ClassError::BadThresholds));
        assert_eq!(ClassDraft { max_absence_percent: 101, ..draft() }.check(), Err(ClassError::BadLimits));
    }
}
