//! Scoring a whole attempt, and which attempt counts.
//!
//! A result is final only when every answer is graded: while a short
//! answer waits for a grader the attempt is pending, neither passed nor
//! failed, so no pass, 学时 or completion comes before the grading.

use serde::{Deserialize, Serialize};

use super::grade::Grade;
use super::points::Points;

/// What passing takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum PassMark {
    /// A share of the paper's points, 0–100: stays right when a drawn
    /// paper's total changes.
    Percent(u8),
    /// At least this many points.
    Points(Points),
}

impl PassMark {
    pub fn passes(self, total: Points, max: Points) -> bool {
        match self {
            PassMark::Percent(p) => total.reaches_percent(p, max),
            PassMark::Points(p) => total >= p,
        }
    }
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Some answers wait for a grader.
    Pending,
    Passed,
    Failed,
}

/// An attempt's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptScore {
    /// Points of the graded answers so far.
    pub total: Points,
    /// The paper's points.
    pub max: Points,
    /// Answers waiting for a grader.
    pub pending: usize,
    pub outcome: Outcome,
}

/// Scores an attempt from each question's worth and grade.
pub fn score_attempt(graded: &[(Points, Grade)], pass: PassMark) -> AttemptScore {
    let max: Points = graded.iter().map(|(worth, _)| *worth).sum();
    // A grade above its worth cannot come from `grade` or `Grade::manual`;
    // capping keeps a corrupt row from lifting a total past the paper.
    let total: Points = graded.iter().filter_map(|(worth, g)| g.points().map(|p| p.min(*worth))).sum();
    let pending = graded.iter().filter(|(_, g)| *g == Grade::Pending).count();
    let outcome = if pending > 0 {
        Outcome::Pending
    } else if pass.passes(total, max) {
        Outcome::Passed
    } else {
        Outcome::Failed
    };
    AttemptScore { total, max, pending, outcome }
}

/// Which of several attempts is the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    #[default]
    Highest,
    Last,
}

/// The result of submitted attempts, oldest first (None if there are none).
///
/// `Last`: the last attempt, pending or not. `Highest`: a passed attempt
/// stands whatever is still being graded (grading only adds points, and
/// the best counts); otherwise a pending attempt makes the result pending,
/// since it might still pass; otherwise the highest total, the earliest on
/// a tie. A pass outranks a higher failed total (drawn papers' totals may
/// differ under a points pass mark).
pub fn counted(attempts: &[AttemptScore], counting: Counting) -> Option<AttemptScore> {
    match counting {
        Counting::Last => attempts.last().copied(),
        Counting::Highest => {
            let best_final = attempts
                .iter()
                .enumerate()
                .filter(|(_, a)| a.outcome != Outcome::Pending)
                .max_by_key(|(i, a)| (a.outcome == Outcome::Passed, a.total, std::cmp::Reverse(*i)))
                .map(|(_, a)| a);
            let pending = attempts.iter().find(|a| a.outcome == Outcome::Pending);
            match (best_final, pending) {
                (Some(b), _) if b.outcome == Outcome::Passed => Some(*b),
                (_, Some(p)) => Some(*p),
                (b, None) => b.copied(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::grade::Correctness;

    fn scored(points: u32) -> Grade {
        Grade::Scored { points: Points::whole(points), correctness: Correctness::Correct }
    }

    fn attempt(total: u32, outcome: Outcome) -> AttemptScore {
        AttemptScore { total: Points::whole(total), max: Points::whole(100), pending: 0, outcome }
    }

    #[test]
    fn an_attempt_at_the_pass_mark_passes() {
        let graded = [(Points::whole(60), scored(60)), (Points::whole(40), scored(0))];
        let s = score_attempt(&graded, PassMark::Percent(60));
        assert_eq!(
            s,
            AttemptScore { total: Points::whole(60), max: Points::whole(100), pending: 0, outcome: Outcome::Passed }
        );
        assert_eq!(score_attempt(&graded, PassMark::Points(Points::whole(61))).outcome, Outcome::Failed);
    }

    #[test]
    fn an_ungraded_short_answer_keeps_the_attempt_pending_even_above_the_pass_mark() {
        let graded = [(Points::whole(90), scored(90)), (Points::whole(10), Grade::Pending)];
        let s = score_attempt(&graded, PassMark::Percent(60));
        assert_eq!((s.total, s.pending, s.outcome), (Points::whole(90), 1, Outcome::Pending));
    }

    #[test]
    fn a_grade_above_its_worth_is_capped() {
        let s = score_attempt(&[(Points::whole(2), scored(5))], PassMark::Percent(60));
        assert_eq!(s.total, Points::whole(2));
    }

    #[test]
    fn the_highest_attempt_counts_and_a_pass_stands_while_another_is_graded() {
        let failed = attempt(50, Outcome::Failed);
        let passed = attempt(70, Outcome::Passed);
        let pending = AttemptScore { pending: 1, ..attempt(40, Outcome::Pending) };
        assert_eq!(counted(&[failed, passed, attempt(65, Outcome::Passed)], Counting::Highest), Some(passed));
        assert_eq!(counted(&[passed, pending], Counting::Highest), Some(passed));
        assert_eq!(counted(&[failed, pending], Counting::Highest), Some(pending));
        assert_eq!(counted(&[failed, attempt(50, Outcome::Failed)], Counting::Highest), Some(failed));
        assert_eq!(counted(&[], Counting::Highest), None);
    }

    #[test]
    fn under_points_pass_marks_a_lower_total_can_pass_where_a_higher_failed() {
        // Drawn papers may differ in total; a pass beats a higher failure.
        let failed_high = AttemptScore { max: Points::whole(200), ..attempt(80, Outcome::Failed) };
        let passed_low = attempt(70, Outcome::Passed);
        assert_eq!(counted(&[failed_high, passed_low], Counting::Highest), Some(passed_low));
    }

    #[test]
    fn the_last_attempt_counts_when_the_exam_says_so() {
        let passed = attempt(70, Outcome::Passed);
        let failed = attempt(50, Outcome::Failed);
        assert_eq!(counted(&[passed, failed], Counting::Last), Some(failed));
    }
}
