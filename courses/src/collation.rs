//! The order of names in every list, as Chinese readers expect. People's
//! names by pinyin (阿明, 陈六, 李四, 王五, 张三), not by code point, which
//! puts 张 before 李 and 陈 last. Labels (org nodes, course titles) by
//! pinyin too, except that the numbers in them count: 第二党支部 comes
//! before 第十党支部, though pinyin alone puts 第二 (èr) after 第十 (shí)
//! and code points put 二 after 三.
//!
//! The ICU root collation with the `zh` tailoring (whose default is pinyin)
//! from ICU4X's compiled data, so SQLite and PostgreSQL lists read the same
//! whatever the database's own collation: lists of people are sorted here,
//! after they are read. Names in Latin letters come after the Chinese ones
//! (the `zh` tailoring puts Han script first), alphabetically.
//!
//! The collation data (about 1 MB: the root table and every locale's
//! tailoring, which ICU4X links whole) comes with the feature
//! `collation`, which the server enables; the browser build, which sorts
//! no lists of people, compares by code point instead.

use std::cmp::Ordering;

#[cfg(feature = "collation")]
mod zh {
    use std::cmp::Ordering;
    use std::sync::LazyLock;

    use icu_collator::options::CollatorOptions;
    use icu_collator::{Collator, CollatorBorrowed};
    use icu_locale_core::locale;

    /// Built once from static data. `None` only if the compiled data lacked
    /// the root collation, which its build guarantees; names then fall back
    /// to code point order rather than stopping a list.
    static ZH: LazyLock<Option<CollatorBorrowed<'static>>> =
        LazyLock::new(|| Collator::try_new(locale!("zh").into(), CollatorOptions::default()).ok());

    pub fn compare(a: &str, b: &str) -> Ordering {
        ZH.as_ref().map(|c| c.compare(a, b)).unwrap_or(Ordering::Equal)
    }
}

#[cfg(not(feature = "collation"))]
mod zh {
    pub fn compare(_: &str, _: &str) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// Compares two names by pinyin; names the collation holds equal (the same
/// characters in another normalization form) by code point, so the order
/// is total.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    zh::compare(a, b).then_with(|| a.cmp(b))
}

/// A label cut into runs of text and numbers (in digits or in Chinese
/// numerals).
#[derive(Debug, PartialEq)]
enum Run<'a> {
    Text(&'a str),
    Number(u64),
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万".contains(c)
}

/// The value of a run of Chinese numerals (十一 is 11, 二十 is 20), or None
/// when the run is not a number (一一十).
#[cfg(feature = "collation")]
fn numeral_value(run: &str) -> Option<u64> {
    use chinese_number::{ChineseCountMethod, ChineseToNumber};
    run.to_number(ChineseCountMethod::TenThousand).ok()
}

#[cfg(not(feature = "collation"))]
fn numeral_value(_: &str) -> Option<u64> {
    None
}

fn runs(label: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut rest = label;
    while let Some(first) = rest.chars().next() {
        let class = |c: char| {
            if is_digit(c) {
                1
            } else if is_numeral(c) {
                2
            } else {
                0
            }
        };
        let kind = class(first);
        let end = rest.find(|c: char| class(c) != kind).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        let number = match kind {
            1 => run.parse().ok(),
            2 => numeral_value(run),
            _ => None,
        };
        match (number, out.last_mut()) {
            (Some(n), _) => out.push(Run::Number(n)),
            // A run that is no number reads as text, joined to the text before.
            (None, Some(Run::Text(prev))) => {
                let start = label.len() - rest.len() - prev.len();
                *prev = &label[start..label.len() - tail.len()];
            }
            (None, _) => out.push(Run::Text(run)),
        }
        rest = tail;
    }
    out
}

/// Compares two labels (org names, course titles): text by pinyin, numbers
/// by value, a number before text; labels the runs hold equal by code
/// point, so the order is total.
pub fn compare_labels(a: &str, b: &str) -> Ordering {
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let step = match (x, y) {
            (Run::Number(m), Run::Number(n)) => m.cmp(n),
            (Run::Number(_), Run::Text(_)) => Ordering::Less,
            (Run::Text(_), Run::Number(_)) => Ordering::Greater,
            (Run::Text(s), Run::Text(t)) => zh::compare(s, t),
        };
        if step.is_ne() {
            return step;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

/// Sorts `items` by name (pinyin), then by `id` for namesakes, so the same
/// people always come out in the same order.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str, id: impl Fn(&T) -> i64) {
    items.sort_by(|a, b| compare_names(name(a), name(b)).then_with(|| id(a).cmp(&id(b))));
}

#[cfg(all(test, feature = "collation"))]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_come_out_in_pinyin_order() {
        let mut names = vec!["张三", "李四", "王五", "陈六", "阿明"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["阿明", "陈六", "李四", "王五", "张三"]);
    }

    #[test]
    fn namesakes_keep_a_stable_order_by_id() {
        let mut people = vec![(9, "王五"), (3, "王五"), (5, "李四")];
        sort_by_name(&mut people, |p| p.1, |p| p.0);
        assert_eq!(people, [(5, "李四"), (3, "王五"), (9, "王五")]);
    }

    #[test]
    fn numbered_labels_come_out_by_their_numbers() {
        let mut labels = vec![
            "第十党支部",
            "第二党支部",
            "第一党支部",
            "第十一党支部",
            "第三党支部",
            "机关党总支",
            "第2党小组",
            "第10党小组",
        ];
        labels.sort_by(|a, b| compare_labels(a, b));
        assert_eq!(
            labels,
            [
                "第一党支部",
                "第2党小组",
                "第二党支部",
                "第三党支部",
                "第10党小组",
                "第十党支部",
                "第十一党支部",
                "机关党总支"
            ]
        );
    }

    #[test]
    fn labels_without_numbers_follow_pinyin() {
        let mut labels = vec!["张庄党支部", "李村党支部", "阿坝党支部", "陈家党支部"];
        labels.sort_by(|a, b| compare_labels(a, b));
        assert_eq!(labels, ["阿坝党支部", "陈家党支部", "李村党支部", "张庄党支部"]);
    }

    #[test]
    fn a_run_of_numerals_that_is_no_number_reads_as_text() {
        assert_eq!(runs("一一十支部"), [Run::Text("一一十支部")]);
        assert_eq!(runs("第十一组"), [Run::Text("第"), Run::Number(11), Run::Text("组")]);
        assert_eq!(compare_labels("甲", "甲"), Ordering::Equal);
    }

    #[test]
    fn latin_names_follow_the_chinese_ones_alphabetically() {
        let mut names = vec!["张三", "Zoe", "Bob", "陈六"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["陈六", "张三", "Bob", "Zoe"]);
    }
}
