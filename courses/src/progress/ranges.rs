//! Watched intervals of media time: the ledger coverage is computed from.
//!
//! Media time is kept in whole milliseconds so that merging is exact: the
//! same spans merged in any order, any number of times, give the same set.

use serde::{Deserialize, Serialize};

/// A half-open span `[start, end)` of media time in milliseconds; never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "[u64; 2]", into = "[u64; 2]")]
pub struct Span {
    start: u64,
    end: u64,
}

/// Why two numbers are not a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a span must end after it starts (got {start}..{end})")]
pub struct EmptySpan {
    pub start: u64,
    pub end: u64,
}

impl Span {
    pub fn new(start: u64, end: u64) -> Result<Span, EmptySpan> {
        if end > start {
            Ok(Span { start, end })
        } else {
            Err(EmptySpan { start, end })
        }
    }

    pub fn start(self) -> u64 {
        self.start
    }

    pub fn end(self) -> u64 {
        self.end
    }

    /// Length in milliseconds (always at least 1).
    pub fn len(self) -> u64 {
        self.end - self.start
    }

    /// Spans are never empty; present for API symmetry with `len`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The part of the span before `limit`, if any.
    pub fn below(self, limit: u64) -> Option<Span> {
        Span::new(self.start, self.end.min(limit)).ok()
    }

    /// The part of the span from `limit` on, if any.
    pub fn from(self, limit: u64) -> Option<Span> {
        Span::new(self.start.max(limit), self.end).ok()
    }
}

impl TryFrom<[u64; 2]> for Span {
    type Error = EmptySpan;
    fn try_from([start, end]: [u64; 2]) -> Result<Self, Self::Error> {
        Span::new(start, end)
    }
}

impl From<Span> for [u64; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

/// A set of media time: sorted, disjoint spans with gaps between them.
///
/// Serialized as `[[start_ms, end_ms], ...]`; reading normalizes whatever
/// was stored, so a hand-edited or older row can never break the invariant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<Span>", into = "Vec<Span>")]
pub struct WatchedRanges(Vec<Span>);

impl From<Vec<Span>> for WatchedRanges {
    fn from(spans: Vec<Span>) -> Self {
        WatchedRanges::from_spans(spans)
    }
}

impl From<WatchedRanges> for Vec<Span> {
    fn from(r: WatchedRanges) -> Self {
        r.0
    }
}

impl WatchedRanges {
    pub fn new() -> Self {
        Self::default()
    }

    /// The union of any spans, in any order.
    pub fn from_spans(spans: impl IntoIterator<Item = Span>) -> Self {
        let mut all: Vec<Span> = spans.into_iter().collect();
        all.sort_unstable();
        let mut merged: Vec<Span> = Vec::with_capacity(all.len());
        for s in all {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        WatchedRanges(merged)
    }

    pub fn spans(&self) -> &[Span] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a span, merging it with those it touches or overlaps.
    pub fn insert(&mut self, span: Span) {
        // Spans entirely before / after the new one stay; the rest merge.
        let first = self.0.partition_point(|s| s.end < span.start);
        let last = self.0.partition_point(|s| s.start <= span.end);
        let mut merged = span;
        if first < last {
            merged.start = merged.start.min(self.0[first].start);
            merged.end = merged.end.max(self.0[last - 1].end);
        }
        self.0.splice(first..last, [merged]);
    }

    /// The union of both sets.
    pub fn union(&self, other: &WatchedRanges) -> WatchedRanges {
        WatchedRanges::from_spans(self.0.iter().chain(other.0.iter()).copied())
    }

    /// Total milliseconds covered.
    pub fn total(&self) -> u64 {
        self.0.iter().map(|s| s.len()).sum()
    }

    /// The parts of `span` this set does not cover, in order.
    pub fn missing(&self, span: Span) -> Vec<Span> {
        let mut out = Vec::new();
        let mut cursor = span.start;
        let first = self.0.partition_point(|s| s.end <= span.start);
        for s in &self.0[first..] {
            if s.start >= span.end {
                break;
            }
            if let Ok(gap) = Span::new(cursor, s.start.min(span.end)) {
                out.push(gap);
            }
            cursor = cursor.max(s.end);
        }
        if let Ok(gap) = Span::new(cursor, span.end) {
            out.push(gap);
        }
        out
    }

    /// The parts of `span` this set covers, in order.
    pub fn covered(&self, span: Span) -> Vec<Span> {
        let first = self.0.partition_point(|s| s.end <= span.start);
        self.0[first..]
            .iter()
            .take_while(|s| s.start < span.end)
            .filter_map(|s| Span::new(s.start.max(span.start), s.end.min(span.end)).ok())
            .collect()
    }

    /// Whether `t` lies inside the set or within `slack` ms of a span.
    pub fn reaches(&self, t: u64, slack: u64) -> bool {
        self.0.iter().any(|s| t + slack >= s.start && t <= s.end + slack)
    }

    /// The end of the covered run that starts at 0, or 0: how far someone
    /// who never skipped has got.
    pub fn frontier(&self) -> u64 {
        match self.0.first() {
            Some(s) if s.start == 0 => s.end,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span(a: u64, b: u64) -> Span {
        Span::new(a, b).unwrap()
    }

    #[test]
    fn empty_and_reversed_spans_are_refused() {
        assert!(Span::new(5, 5).is_err());
        assert!(Span::new(6, 5).is_err());
        assert!(serde_json::from_str::<Span>("[9, 3]").is_err());
    }

    #[test]
    fn touching_spans_merge_and_gaps_stay() {
        let mut r = WatchedRanges::new();
        r.insert(span(10, 20));
        r.insert(span(30, 40));
        r.insert(span(20, 25));
        assert_eq!(r.spans(), &[span(10, 25), span(30, 40)]);
        r.insert(span(0, 100));
        assert_eq!(r.spans(), &[span(0, 100)]);
        assert_eq!(r.total(), 100);
    }

    #[test]
    fn missing_and_covered_split_a_span() {
        let r = WatchedRanges::from_spans([span(10, 20), span(30, 40)]);
        assert_eq!(r.missing(span(0, 50)), vec![span(0, 10), span(20, 30), span(40, 50)]);
        assert_eq!(r.covered(span(0, 50)), vec![span(10, 20), span(30, 40)]);
        assert_eq!(r.missing(span(12, 18)), vec![]);
        assert_eq!(r.covered(span(15, 35)), vec![span(15, 20), span(30, 35)]);
    }

    #[test]
    fn reading_normalizes_stored_rows() {
        let r: WatchedRanges = serde_json::from_str("[[30,40],[0,10],[5,20]]").unwrap();
        assert_eq!(r.spans(), &[span(0, 20), span(30, 40)]);
        assert_eq!(serde_json::to_string(&r).unwrap(), "[[0,20],[30,40]]");
        assert_eq!(r.frontier(), 20);
    }

    fn spans() -> impl Strategy<Value = Vec<Span>> {
        prop::collection::vec((0u64..10_000, 1u64..2_000).prop_map(|(s, l)| span(s, s + l)), 0..40)
    }

    proptest! {
        #[test]
        fn merging_is_order_independent(mut v in spans(), seed in any::<u64>()) {
            let a = WatchedRanges::from_spans(v.clone());
            // A deterministic shuffle driven by the seed.
            let n = v.len();
            for i in (1..n).rev() {
                let j = (seed.wrapping_mul(i as u64 + 7) % (i as u64 + 1)) as usize;
                v.swap(i, j);
            }
            let mut b = WatchedRanges::new();
            for s in &v {
                b.insert(*s);
            }
            prop_assert_eq!(a, b);
        }

        #[test]
        fn merging_is_idempotent(v in spans()) {
            let a = WatchedRanges::from_spans(v.clone());
            let mut b = a.clone();
            for s in &v {
                b.insert(*s);
            }
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.union(&a), a);
        }

        #[test]
        fn spans_stay_sorted_disjoint_and_apart(v in spans()) {
            let r = WatchedRanges::from_spans(v);
            for w in r.spans().windows(2) {
                prop_assert!(w[0].end() < w[1].start());
            }
        }

        #[test]
        fn missing_and_covered_partition_a_span(v in spans(), s in 0u64..10_000, l in 1u64..5_000) {
            let r = WatchedRanges::from_spans(v);
            let q = span(s, s + l);
            let missing: u64 = r.missing(q).iter().map(|x| x.len()).sum();
            let covered: u64 = r.covered(q).iter().map(|x| x.len()).sum();
            prop_assert_eq!(missing + covered, q.len());
            let mut after = r.clone();
            after.insert(q);
            prop_assert_eq!(after.total(), r.total() + missing);
        }
    }
}
