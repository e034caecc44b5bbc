//! The order of people's names in every list: as Chinese readers expect,
//! by pinyin (阿明, 陈六, 李四, 王五, 张三), not by code point, which puts
//! 张 before 李 and 陈 last.
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
    fn latin_names_follow_the_chinese_ones_alphabetically() {
        let mut names = vec!["张三", "Zoe", "Bob", "陈六"];
        names.sort_by(|a, b| compare_names(a, b));
        assert_eq!(names, ["陈六", "张三", "Bob", "Zoe"]);
    }
}
