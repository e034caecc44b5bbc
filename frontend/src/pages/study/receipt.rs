//! The 学时 receipt as a member reads it: one entry per sitting (one lesson
//! studied without a long break) instead of one row per heartbeat, with
//! the time credited and, only when real time was left out, how much and
//! why. The API keeps every line and its exact figures; this is the view.

use courses::progress::api::ReceiptLine;
use courses::progress::DiscardReason;
use leptos::either::Either;
use leptos::prelude::*;

use crate::i18n::study::{duration, not_credited, ProgressText, StudyText};
use crate::lang::use_lang;

/// Lines of one lesson further apart than this start a new sitting.
const SITTING_GAP_MS: i64 = 5 * 60 * 1000;
/// Discarded time under this is rounding between the player's clock and
/// the server's (a few milliseconds per heartbeat), not time left out.
const ROUNDING_SECONDS: f64 = 1.0;

/// One sitting: consecutive receipt lines of one lesson on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Sitting {
    /// The first line's id (a stable key).
    pub id: i64,
    pub day: String,
    /// When the first and the last heartbeat arrived, ms since the epoch.
    pub from: i64,
    pub to: i64,
    pub course_title: String,
    pub lesson_id: i64,
    pub lesson_title: String,
    /// Exact credited seconds.
    pub credited: f64,
    /// Time not credited per reason, each at least a second, in the order
    /// first seen.
    pub left_out: Vec<(DiscardReason, f64)>,
}

/// Folds receipt lines (oldest first) into sittings. Discards under a
/// second per reason and sitting are rounding, not shown; a sitting with
/// nothing credited and nothing left out is dropped.
pub fn sittings(lines: &[ReceiptLine]) -> Vec<Sitting> {
    let mut out: Vec<(Sitting, Vec<(DiscardReason, f64)>)> = Vec::new();
    for line in lines {
        let same = out.last().is_some_and(|(s, _)| {
            s.lesson_id == line.lesson_id && s.day == line.day && line.at - s.to <= SITTING_GAP_MS
        });
        if !same {
            let sitting = Sitting {
                id: line.id,
                day: line.day.clone(),
                from: line.at,
                to: line.at,
                course_title: line.course_title.clone(),
                lesson_id: line.lesson_id,
                lesson_title: line.lesson_title.clone(),
                credited: 0.0,
                left_out: Vec::new(),
            };
            out.push((sitting, Vec::new()));
        }
        let Some((sitting, discards)) = out.last_mut() else { continue };
        sitting.to = sitting.to.max(line.at);
        match (line.credited, line.reason) {
            (true, _) => sitting.credited += line.seconds,
            (false, Some(reason)) => match discards.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, s)) => *s += line.seconds,
                None => discards.push((reason, line.seconds)),
            },
            (false, None) => {}
        }
    }
    out.into_iter()
        .filter_map(|(mut sitting, discards)| {
            sitting.left_out = discards.into_iter().filter(|(_, s)| *s >= ROUNDING_SECONDS).collect();
            (sitting.credited >= 0.5 || !sitting.left_out.is_empty()).then_some(sitting)
        })
        .collect()
}

/// "4月3日 10:02" / "Apr 3 10:02" from the platform-local day and Unix ms
/// (the platform's zone, UTC+8, as the other pages show times).
fn when(day: &str, from: i64, to: i64, lang: courses::Lang) -> String {
    let clock = |ms: i64| match (chrono::DateTime::from_timestamp_millis(ms), chrono::FixedOffset::east_opt(8 * 3600)) {
        (Some(at), Some(zone)) => at.with_timezone(&zone).format("%H:%M").to_string(),
        _ => String::new(),
    };
    let (a, b) = (clock(from), clock(to));
    let time = if a == b { a } else { format!("{a}–{b}") };
    let date = match (lang, day.splitn(3, '-').collect::<Vec<_>>().as_slice()) {
        (courses::Lang::Zh, [_, m, d]) => format!("{}月{}日", m.trim_start_matches('0'), d.trim_start_matches('0')),
        (courses::Lang::En, [_, m, d]) => format!("{}/{}", m.trim_start_matches('0'), d.trim_start_matches('0')),
        _ => day.to_owned(),
    };
    format!("{date} {time}")
}

/// The receipt as a list: on a phone each sitting is a compact entry, on a
/// PC a row under labelled columns.
#[component]
pub fn ReceiptList(lines: Vec<ReceiptLine>, more: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let entries = sittings(&lines);
    let more = more.map(|after| {
        view! { <a id="receipt-more" href=format!("/learning?after={after}")>{StudyText::ReceiptMore.get(lang)}</a> }
    });
    let body = if entries.is_empty() {
        Either::Left(view! { <p class="muted">{StudyText::ReceiptEmpty.get(lang)}</p> })
    } else {
        Either::Right(view! {
            <ol class="receipt-list" id="receipt-list">
                <li class="receipt-head" aria-hidden="true">
                    <span>{ProgressText::ReceiptWhen.get(lang)}</span>
                    <span>{ProgressText::ReceiptLesson.get(lang)}</span>
                    <span>{ProgressText::ReceiptCredited.get(lang)}</span>
                    <span>{ProgressText::ReceiptNote.get(lang)}</span>
                </li>
                {entries
                    .into_iter()
                    .map(|s| {
                        let notes = s
                            .left_out
                            .iter()
                            .map(|&(reason, seconds)| view! { <span class="receipt-note-line">{not_credited(reason, seconds, lang)}</span> })
                            .collect_view();
                        view! {
                            <li class="receipt-entry" data-first-line=s.id class:has-note=!s.left_out.is_empty()>
                                <span class="receipt-when">{when(&s.day, s.from, s.to, lang)}</span>
                                <span class="receipt-lesson">
                                    <strong>{s.lesson_title}</strong>
                                    <span class="muted small">{s.course_title}</span>
                                </span>
                                <span class="receipt-credited">
                                    <span class="receipt-label">{StudyText::Credited.get(lang)} " "</span>
                                    {duration(s.credited, lang)}
                                </span>
                                <span class="receipt-note muted small">{notes}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        })
    };
    view! {
        <section class="card" id="receipt">
            <h2>{StudyText::Receipt.get(lang)}</h2>
            {body}
            {more}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i64, at_s: i64, lesson: &str, seconds: f64, reason: Option<DiscardReason>) -> ReceiptLine {
        ReceiptLine {
            id,
            at: 1_775_000_000_000 + at_s * 1000,
            day: "2026-04-01".into(),
            course_id: 1,
            course_title: "党章".into(),
            lesson_id: if lesson == "a" { 1 } else { 2 },
            lesson_title: lesson.into(),
            media: None,
            slide: None,
            seconds,
            credited: reason.is_none(),
            reason,
            reason_text: None,
        }
    }

    #[test]
    fn heartbeats_of_one_sitting_fold_into_one_entry_and_rounding_trims_disappear() {
        let jump = Some(DiscardReason::ImplausibleJump);
        let got = sittings(&[
            line(1, 0, "a", 12.0, None),
            line(2, 12, "a", 0.004, jump),
            line(3, 12, "a", 11.996, None),
            line(4, 24, "a", 0.002, jump),
        ]);
        assert_eq!(got.len(), 1);
        assert!((got[0].credited - 23.996).abs() < 1e-9, "{}", got[0].credited);
        assert!(got[0].left_out.is_empty(), "a few ms are rounding, not a discard: {:?}", got[0].left_out);
    }

    #[test]
    fn real_discards_show_with_their_total_and_a_break_or_another_lesson_starts_a_new_entry() {
        let hidden = Some(DiscardReason::PageHidden);
        let got = sittings(&[
            line(1, 0, "a", 12.0, None),
            line(2, 12, "a", 12.0, hidden),
            line(3, 24, "a", 8.0, hidden),
            line(4, 36, "b", 12.0, None),
            line(5, 36 + 600, "b", 12.0, None),
        ]);
        let summary: Vec<_> = got.iter().map(|s| (s.id, s.credited, s.left_out.clone())).collect();
        assert_eq!(summary, [(1, 12.0, vec![(DiscardReason::PageHidden, 20.0)]), (4, 12.0, vec![]), (5, 12.0, vec![])]);
    }

    #[test]
    fn an_entry_with_only_rounding_in_it_is_not_shown() {
        assert!(sittings(&[line(1, 0, "a", 0.003, Some(DiscardReason::ImplausibleJump))]).is_empty());
    }
}
