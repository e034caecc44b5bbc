//! Points as whole tenths, so sums, partial credit and pass marks never
//! drift the way `f64` sums do (0.1 + 0.2), and compare exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A score or a question's worth, in tenths of a point: `Points::from_tenths(25)`
/// is 2.5 points. Serialized as the number of tenths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Points(u32);

impl Points {
    pub const ZERO: Points = Points(0);

    pub const fn from_tenths(tenths: u32) -> Points {
        Points(tenths)
    }

    /// Whole points, e.g. `Points::whole(2)` for a 2-point question.
    pub const fn whole(points: u32) -> Points {
        Points(points.saturating_mul(10))
    }

    pub const fn tenths(self) -> u32 {
        self.0
    }

    /// `self × numerator / denominator`, rounded down to a tenth: a share
    /// never rounds up past what was earned. A zero denominator gives zero.
    pub fn share(self, numerator: u32, denominator: u32) -> Points {
        if denominator == 0 {
            return Points::ZERO;
        }
        let tenths = u64::from(self.0) * u64::from(numerator.min(denominator)) / u64::from(denominator);
        // At most `self.0`, since numerator ≤ denominator.
        Points(u32::try_from(tenths).unwrap_or(self.0))
    }

    pub fn saturating_add(self, other: Points) -> Points {
        Points(self.0.saturating_add(other.0))
    }

    /// Whether `self` is at least `percent` % of `max`, compared exactly in
    /// integers.
    pub fn reaches_percent(self, percent: u8, max: Points) -> bool {
        u64::from(self.0) * 100 >= u64::from(percent) * u64::from(max.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Points::saturating_add)
    }
}

/// `2`, `2.5`: how a person writes points.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 % 10 {
            0 => write!(f, "{}", self.0 / 10),
            d => write!(f, "{}.{d}", self.0 / 10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn points_print_as_people_write_them() {
        assert_eq!(Points::whole(2).to_string(), "2");
        assert_eq!(Points::from_tenths(25).to_string(), "2.5");
        assert_eq!(Points::from_tenths(3).to_string(), "0.3");
        assert_eq!(serde_json::to_value(Points::from_tenths(25)).unwrap(), 25);
    }

    #[test]
    fn a_share_rounds_down_to_a_tenth() {
        assert_eq!(Points::whole(3).share(1, 3), Points::whole(1));
        assert_eq!(Points::whole(2).share(1, 3), Points::from_tenths(6));
        assert_eq!(Points::whole(2).share(2, 2), Points::whole(2));
        assert_eq!(Points::whole(2).share(1, 0), Points::ZERO);
    }

    #[test]
    fn sixty_of_a_hundred_reaches_sixty_percent_exactly() {
        assert!(Points::whole(60).reaches_percent(60, Points::whole(100)));
        assert!(!Points::from_tenths(599).reaches_percent(60, Points::whole(100)));
        assert!(Points::ZERO.reaches_percent(0, Points::ZERO));
    }

    proptest! {
        #[test]
        fn a_share_never_exceeds_the_whole(tenths in 0u32..100_000, num in 0u32..50, den in 1u32..50) {
            let p = Points::from_tenths(tenths);
            prop_assert!(p.share(num, den) <= p);
            prop_assert_eq!(p.share(den, den), p);
        }

        #[test]
        fn sums_are_exact(parts in proptest::collection::vec(0u32..1000, 0..100)) {
            let total: Points = parts.iter().map(|&t| Points::from_tenths(t)).sum();
            prop_assert_eq!(total.tenths(), parts.iter().sum::<u32>());
        }
    }
}
