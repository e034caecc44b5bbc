//! How typed answers are compared: the same words typed on a Chinese input
//! method, in another case or with stray spaces count as the same answer.

/// Folds a typed answer for comparison: trims, maps full-width ASCII forms
/// (`ＡＢＣ１２３`, the ideographic space) to their half-width letters,
/// lower-cases Latin letters and collapses runs of white space to one
/// space. Only the full-width ASCII block is folded, not full NFKC: NFKC
/// would also turn `①` into `1` and `㈠` into `(一)`, which a key may mean
/// literally.
pub fn fold(raw: &str) -> String {
    let half: String = raw
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    half.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length in characters, as limits are stated to people.
pub(crate) fn chars(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_case_and_spaces_fold_away() {
        assert_eq!(fold("  ＣＰＣ　Party "), "cpc party");
        assert_eq!(fold("中国  共产党"), "中国 共产党");
        assert_eq!(fold("１９２１"), "1921");
        assert_eq!(fold("（一）"), "(一)");
    }

    #[test]
    fn circled_numbers_are_left_as_they_are() {
        assert_eq!(fold("①"), "①");
    }

    proptest! {
        #[test]
        fn folding_twice_changes_nothing_more(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }
    }
}
