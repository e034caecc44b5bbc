//! Tests of [`assess`]: one scenario per rule, then properties that must hold
//! over any run of heartbeats a page (or someone faking one) could send.

use proptest::prelude::*;

use super::*;
use crate::progress::beat::{BeatEvent, MAX_RATE};

const SESSION_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
/// Any server clock reading; tests count from here.
const OPENED_AT: i64 = 1_700_000_000_000;
const SECOND: i64 = 1000;

fn span(start: u64, end: u64) -> Span {
    Span::new(start, end).unwrap()
}

fn video(duration_ms: u64) -> LessonFacts {
    LessonFacts { kind: LessonKind::Video, duration_ms, slide_count: 0, article_chars: 0 }
}

fn slide_deck(slide_count: u32) -> LessonFacts {
    LessonFacts { kind: LessonKind::Slides, duration_ms: 0, slide_count, article_chars: 0 }
}

fn article_of(article_chars: u32) -> LessonFacts {
    LessonFacts { kind: LessonKind::Article, duration_ms: 0, slide_count: 0, article_chars }
}

/// A visible, attentive 1x heartbeat playing `spans` (ms), positioned where
/// the last one ends.
fn beat(seq: u32, spans: &[(u64, u64)]) -> Heartbeat {
    let played: Vec<Span> = spans.iter().map(|&(a, b)| span(a, b)).collect();
    Heartbeat {
        session_id: SESSION_ID.into(),
        lesson_id: 1,
        seq,
        event: BeatEvent::Tick,
        position: played.last().map_or(0, |s| s.end()),
        played,
        rate: 1.0,
        visible: true,
        idle_ms: 0,
        slides: Vec::new(),
        visible_ms: 0,
    }
}

fn slides_beat(seq: u32, slides: &[(u32, u64)]) -> Heartbeat {
    Heartbeat { slides: slides.to_vec(), ..beat(seq, &[]) }
}

fn reading_beat(seq: u32, visible_ms: u64) -> Heartbeat {
    Heartbeat { visible_ms, ..beat(seq, &[]) }
}

fn fresh_session(opened_at: i64) -> SessionState {
    SessionState { opened_at, claimed_ms: 0, last_seq: 0, last_beat_at: opened_at, position: 0, superseded: false }
}

fn discarded(reason: DiscardReason) -> Outcome {
    Outcome::Discarded(reason)
}

fn on_media((start, end): (u64, u64), wall_ms: u64, outcome: Outcome) -> ReceiptEntry {
    ReceiptEntry { media: Some(span(start, end)), slide: None, wall_ms, outcome }
}

fn on_slide(slide: u32, wall_ms: u64, outcome: Outcome) -> ReceiptEntry {
    ReceiptEntry { media: None, slide: Some(slide), wall_ms, outcome }
}

fn on_page(wall_ms: u64, outcome: Outcome) -> ReceiptEntry {
    ReceiptEntry { media: None, slide: None, wall_ms, outcome }
}

/// One member in one lesson: what `assess` threads through, and the clock.
struct Playback {
    facts: LessonFacts,
    rules: CompletionRules,
    ledger: LessonLedger,
    session: SessionState,
    now: i64,
}

impl Playback {
    fn new(facts: LessonFacts, rules: CompletionRules) -> Self {
        let session = fresh_session(OPENED_AT);
        Playback { facts, rules, ledger: LessonLedger::default(), session, now: OPENED_AT }
    }

    /// Lets `wait_ms` of wall time pass, then delivers `beat`.
    fn send_after(&mut self, wait_ms: i64, beat: &Heartbeat) -> Assessment {
        self.now += wait_ms;
        assess(&self.facts, &self.rules, &mut self.ledger, &mut self.session, beat, self.now)
    }

    /// Watches `[0, until)` at 1x in 10 s heartbeats, numbered from 1.
    fn watch_from_start(&mut self, until: u64) -> u32 {
        let mut seq = 0;
        for start in (0..until).step_by(10_000) {
            seq += 1;
            self.send_after(10 * SECOND, &beat(seq, &[(start, (start + 10_000).min(until))]));
        }
        seq
    }
}

#[test]
fn watching_at_1x_credits_elapsed_time_and_completes_once_at_95_percent() {
    let mut p = Playback::new(video(200_000), CompletionRules::default());

    let results: Vec<Assessment> =
        (0..20u64).map(|i| p.send_after(10 * SECOND, &beat(i as u32 + 1, &[(i * 10_000, (i + 1) * 10_000)]))).collect();

    for (i, a) in (0u64..).zip(&results) {
        assert_eq!(a.entries, vec![on_media((i * 10_000, (i + 1) * 10_000), 10_000, Outcome::Credited)]);
    }
    assert_eq!(p.ledger.watched.total(), 200_000);
    assert_eq!(p.ledger.study_ms, 200_000);
    // 95% of 200 s is 190 s, reached by the 19th heartbeat.
    let completed: Vec<usize> = (0..).zip(&results).filter(|(_, a)| a.completed_now).map(|(i, _)| i).collect();
    assert_eq!(completed, vec![18]);
    assert_eq!(p.ledger.completed_at, Some(OPENED_AT + 190 * SECOND));
}

#[test]
fn the_same_seq_again_is_a_duplicate_and_changes_nothing() {
    let mut p = Playback::new(video(60_000), CompletionRules::default());
    let first = beat(1, &[(0, 10_000)]);
    p.send_after(10 * SECOND, &first);
    let (ledger, session) = (p.ledger.clone(), p.session);

    let again = p.send_after(10 * SECOND, &first);

    assert_eq!(again, Assessment { verdict: Verdict::Duplicate, entries: vec![], completed_now: false });
    assert_eq!((p.ledger, p.session), (ledger, session));
}

#[test]
fn a_seq_lower_than_the_last_is_out_of_order_and_discarded() {
    let mut p = Playback::new(video(60_000), CompletionRules::default());
    p.send_after(10 * SECOND, &beat(2, &[(0, 10_000)]));
    let (ledger, session) = (p.ledger.clone(), p.session);

    let late = p.send_after(SECOND, &beat(1, &[(10_000, 20_000)]));

    assert_eq!(late.verdict, Verdict::OutOfOrder);
    assert_eq!(late.entries, vec![on_media((10_000, 20_000), 10_000, discarded(DiscardReason::OutOfOrder))]);
    assert_eq!((p.ledger, p.session), (ledger, session));
}

#[test]
fn a_superseded_session_earns_nothing() {
    let mut p = Playback::new(video(60_000), CompletionRules::default());
    p.session.superseded = true;

    let a = p.send_after(10 * SECOND, &beat(1, &[(0, 10_000)]));

    assert_eq!(a.verdict, Verdict::Superseded);
    assert_eq!(a.entries, vec![on_media((0, 10_000), 10_000, discarded(DiscardReason::SecondSession))]);
    assert_eq!(p.ledger, LessonLedger::default());
}

#[test]
fn time_on_a_hidden_page_or_idle_longer_than_the_course_allows_is_discarded() {
    let rules = CompletionRules { idle_minutes: 5, ..Default::default() };
    let [mut hidden, mut idle, mut at_limit] = [(); 3].map(|_| Playback::new(video(60_000), rules));

    let h = hidden.send_after(10 * SECOND, &Heartbeat { visible: false, ..beat(1, &[(0, 10_000)]) });
    let i = idle.send_after(10 * SECOND, &Heartbeat { idle_ms: 5 * 60_000 + 1, ..beat(1, &[(0, 10_000)]) });
    let a = at_limit.send_after(10 * SECOND, &Heartbeat { idle_ms: 5 * 60_000, ..beat(1, &[(0, 10_000)]) });

    assert_eq!(h.entries, vec![on_media((0, 10_000), 10_000, discarded(DiscardReason::PageHidden))]);
    assert_eq!(i.entries, vec![on_media((0, 10_000), 10_000, discarded(DiscardReason::Idle))]);
    assert_eq!((hidden.ledger.watched.total(), hidden.ledger.study_ms, idle.ledger.study_ms), (0, 0, 0));
    assert_eq!(a.credited_ms(), 10_000);
}

#[test]
fn rewatched_media_earns_nothing_and_a_half_new_range_credits_only_the_new_half() {
    let mut p = Playback::new(video(60_000), CompletionRules::default());
    p.send_after(10 * SECOND, &beat(1, &[(0, 10_000)]));

    let again = p.send_after(10 * SECOND, &beat(2, &[(0, 10_000)]));
    let half = p.send_after(10 * SECOND, &beat(3, &[(5_000, 15_000)]));

    assert_eq!(again.entries, vec![on_media((0, 10_000), 10_000, discarded(DiscardReason::AlreadyWatched))]);
    let old = on_media((5_000, 10_000), 5_000, discarded(DiscardReason::AlreadyWatched));
    assert_eq!(half.entries, vec![old, on_media((10_000, 15_000), 5_000, Outcome::Credited)]);
    assert_eq!(p.ledger.watched.spans(), &[span(0, 15_000)]);
    assert_eq!(p.ledger.study_ms, 15_000);
}

#[test]
fn only_the_part_past_the_end_of_the_media_is_beyond_duration() {
    let mut p = Playback::new(video(5_000), CompletionRules::default());

    let a = p.send_after(10 * SECOND, &beat(1, &[(0, 8_000)]));

    let beyond = on_media((5_000, 8_000), 3_000, discarded(DiscardReason::BeyondDuration));
    assert_eq!(a.entries, vec![beyond, on_media((0, 5_000), 5_000, Outcome::Credited)]);
}

#[test]
fn more_media_than_the_elapsed_time_allows_is_cut_at_elapsed_plus_slack() {
    let mut p = Playback::new(video(120_000), CompletionRules::default());

    let a = p.send_after(10 * SECOND, &beat(1, &[(0, 60_000)]));

    let ok = 10_000 + SLACK_MS;
    let jump = on_media((ok, 60_000), 60_000 - ok, discarded(DiscardReason::ImplausibleJump));
    let slack = on_media((0, ok), SLACK_MS, discarded(DiscardReason::ImplausibleJump));
    assert_eq!(a.entries, vec![jump, on_media((0, ok), 10_000, Outcome::Credited), slack]);
    assert_eq!(p.ledger.study_ms, 10_000);
}

#[test]
fn on_first_viewing_skipping_into_unwatched_media_is_refused_but_ranges_from_watched_media_are_fine() {
    let [mut fresh, mut p] = [(); 2].map(|_| Playback::new(video(120_000), CompletionRules::default()));
    let seq = p.watch_from_start(30_000);
    // Back to the start, so only the watched media (not the playhead) makes 25 s reachable.
    p.send_after(SECOND, &Heartbeat { position: 2_000, ..beat(seq + 1, &[]) });

    let skip = fresh.send_after(10 * SECOND, &beat(1, &[(60_000, 70_000)]));
    let inside = p.send_after(10 * SECOND, &beat(seq + 2, &[(25_000, 35_000)]));

    assert_eq!(skip.entries, vec![on_media((60_000, 70_000), 10_000, discarded(DiscardReason::SkippedAhead))]);
    let old = on_media((25_000, 30_000), 5_000, discarded(DiscardReason::AlreadyWatched));
    assert_eq!(inside.entries, vec![old, on_media((30_000, 35_000), 5_000, Outcome::Credited)]);
}

#[test]
fn skipping_ahead_is_credited_once_the_lesson_is_complete_or_when_seeking_is_free() {
    let half = CompletionRules { coverage_percent: 50, ..Default::default() };
    let (mut done, mut free) = (
        Playback::new(video(100_000), half),
        Playback::new(video(100_000), CompletionRules { seek: SeekRule::Free, ..Default::default() }),
    );
    let seq = done.watch_from_start(50_000);

    let after = done.send_after(10 * SECOND, &beat(seq + 1, &[(80_000, 90_000)]));
    let anywhere = free.send_after(10 * SECOND, &beat(1, &[(80_000, 90_000)]));

    assert!(done.ledger.completed_at.is_some());
    for a in [after, anywhere] {
        assert_eq!(a.entries, vec![on_media((80_000, 90_000), 10_000, Outcome::Credited)]);
    }
}

#[test]
fn double_speed_covers_twice_the_media_but_earns_only_the_wall_time() {
    let mut p = Playback::new(video(120_000), CompletionRules::default());

    let a = p.send_after(10 * SECOND, &Heartbeat { rate: 2.0, ..beat(1, &[(0, 20_000)]) });

    assert_eq!(a.entries, vec![on_media((0, 20_000), 10_000, Outcome::Credited)]);
    assert_eq!((p.ledger.watched.total(), p.ledger.study_ms), (20_000, 10_000));
}

#[test]
fn the_resume_position_is_stored_unless_it_lies_in_unwatched_media_on_first_viewing() {
    let free = CompletionRules { seek: SeekRule::Free, ..Default::default() };
    let [mut within, mut anywhere] = [CompletionRules::default(), free].map(|r| Playback::new(video(120_000), r));
    let ahead = Heartbeat { position: 50_000, ..beat(2, &[(10_000, 20_000)]) };

    within.send_after(10 * SECOND, &Heartbeat { position: 9_000, ..beat(1, &[(0, 10_000)]) });
    let stored = (within.ledger.position, within.session.position);
    within.send_after(10 * SECOND, &ahead);
    anywhere.send_after(10 * SECOND, &beat(1, &[(0, 10_000)]));
    anywhere.send_after(10 * SECOND, &ahead);

    assert_eq!(stored, (9_000, 9_000));
    // Resuming at 50 s would skip 30 s never watched; the end of what was watched is used.
    assert_eq!((within.ledger.position, within.session.position), (20_000, 20_000));
    assert_eq!(anywhere.ledger.position, 50_000);
}

#[test]
fn slide_and_article_positions_are_clamped_to_the_last_slide_and_to_1000_permille() {
    let mut deck = Playback::new(slide_deck(5), CompletionRules::default());
    let mut reading = Playback::new(article_of(100), CompletionRules::default());

    let mut positions = Vec::new();
    for (seq, slide_ms, permille) in [(1, 2_000, 400), (2, 7_000, 1_500)] {
        deck.send_after(SECOND, &Heartbeat { position: slide_ms, ..slides_beat(seq, &[]) });
        reading.send_after(SECOND, &Heartbeat { position: permille, ..reading_beat(seq, 0) });
        positions.push((deck.ledger.position, reading.ledger.position));
    }

    assert_eq!(positions, vec![(2, 400), (4, 1000)]);
}

#[test]
fn a_slide_deck_completes_when_every_slide_was_shown_long_enough_and_missing_slides_are_beyond_it() {
    let mut p = Playback::new(slide_deck(3), CompletionRules::default());

    let first = p.send_after(12 * SECOND, &slides_beat(1, &[(0, 6_000), (1, 6_000)]));
    let short = p.send_after(9 * SECOND, &slides_beat(2, &[(2, 4_000), (3, 5_000)]));
    let last = p.send_after(SECOND, &slides_beat(3, &[(2, 1_000)]));

    assert_eq!([first.completed_now, short.completed_now, last.completed_now], [false, false, true]);
    assert_eq!(short.entries[1], on_slide(3, 5_000, discarded(DiscardReason::BeyondDuration)));
    assert_eq!(p.ledger.slide_ms, vec![6_000, 6_000, 5_000]);
    assert_eq!(p.ledger.study_ms, 17_000);
}

#[test]
fn slide_credit_stops_at_slide_max_seconds_and_at_the_elapsed_time() {
    let mut capped = Playback::new(slide_deck(2), CompletionRules { slide_max_seconds: 10, ..Default::default() });
    let mut rushed = Playback::new(slide_deck(3), CompletionRules::default());

    let a = capped.send_after(20 * SECOND, &slides_beat(1, &[(0, 15_000)]));
    let b = capped.send_after(5 * SECOND, &slides_beat(2, &[(0, 5_000)]));
    let r = rushed.send_after(10 * SECOND, &slides_beat(1, &[(0, 8_000), (1, 8_000)]));

    let over = |ms| on_slide(0, ms, discarded(DiscardReason::BeyondDuration));
    assert_eq!(a.entries, vec![on_slide(0, 10_000, Outcome::Credited), over(5_000)]);
    assert_eq!(b.entries, vec![over(5_000)]);
    assert_eq!(capped.ledger.slide_ms, vec![10_000, 0]);
    let jump = discarded(DiscardReason::ImplausibleJump);
    let jumped: u64 = r.entries.iter().filter(|e| e.outcome == jump).map(|e| e.wall_ms).sum();
    // Past the elapsed 10 s, all of it: what the slack let through is
    // plausible but was not credited for want of elapsed time.
    assert_eq!(jumped, 16_000 - 10_000);
    assert_eq!(r.credited_ms(), 10_000);
}

#[test]
fn an_article_completes_after_its_reading_time_and_earns_at_most_twice_that() {
    // 100 characters read in 15 s; the 30 s floor applies, so the cap is 60 s.
    let mut p = Playback::new(article_of(100), CompletionRules::default());

    let results: Vec<Assessment> = (1..=7).map(|seq| p.send_after(10 * SECOND, &reading_beat(seq, 10_000))).collect();

    let completed: Vec<usize> = (0..).zip(&results).filter(|(_, a)| a.completed_now).map(|(i, _)| i).collect();
    assert_eq!(completed, vec![2]);
    assert_eq!(p.ledger.completed_at, Some(OPENED_AT + 30 * SECOND));
    assert_eq!(results[6].entries, vec![on_page(10_000, discarded(DiscardReason::BeyondDuration))]);
    assert_eq!((p.ledger.visible_ms, p.ledger.study_ms), (60_000, 60_000));
}

#[test]
fn a_span_played_at_one_and_a_half_speed_well_within_the_elapsed_time_is_credited_whole() {
    let mut p = Playback::new(video(120_000), CompletionRules::default());

    let a = p.send_after(20 * SECOND, &Heartbeat { rate: 1.5, ..beat(1, &[(0, 10_001)]) });

    assert_eq!(a.entries, vec![on_media((0, 10_001), 6_667, Outcome::Credited)]);
}

#[test]
fn time_within_the_slack_is_not_called_beyond_the_lessons_length() {
    let mut reading = Playback::new(article_of(100), CompletionRules::default());
    let mut deck = Playback::new(slide_deck(3), CompletionRules::default());

    let a = reading.send_after(10 * SECOND, &reading_beat(1, 11_000));
    let s = deck.send_after(10 * SECOND, &slides_beat(1, &[(0, 11_000)]));

    let jump = discarded(DiscardReason::ImplausibleJump);
    assert_eq!(a.entries, vec![on_page(10_000, Outcome::Credited), on_page(1_000, jump)]);
    assert_eq!(s.entries, vec![on_slide(0, 10_000, Outcome::Credited), on_slide(0, 1_000, jump)]);
}

#[test]
fn a_burst_of_heartbeats_cannot_cover_media_faster_than_time_passes() {
    let mut p = Playback::new(video(600_000), CompletionRules::default());

    // 200 heartbeats in the first second, each claiming 3 s of media at 2x.
    for i in 0..200u64 {
        let wait = if i == 0 { SECOND } else { 0 };
        p.send_after(wait, &Heartbeat { rate: MAX_RATE, ..beat(i as u32 + 1, &[(i * 3_000, (i + 1) * 3_000)]) });
    }

    let most = ((SECOND as u64 + SLACK_MS) as f64 * MAX_RATE) as u64;
    assert!(p.ledger.watched.total() <= most, "covered {} ms in 1 s", p.ledger.watched.total());
    assert_eq!(p.ledger.completed_at, None);
}

/// One heartbeat of a random run. An honest step plays on from the playhead
/// for as long as it waited; otherwise it plays `spans`, each
/// `(from_playhead, offset or permille of the duration, len)`. `beat` holds
/// the rest (rate, visibility, idleness, slides, reading time).
#[derive(Debug, Clone)]
struct Step {
    wait_ms: i64,
    seq_move: u8,
    honest: bool,
    spans: Vec<(bool, u64, u64)>,
    position: Option<u64>,
    beat: Heartbeat,
}

prop_compose! {
    fn step()(
        wait_ms in 0i64..30_000, seq_move in 0u8..8, honest in any::<bool>(),
        spans in prop::collection::vec((any::<bool>(), 0u64..1_100, 1u64..40_000), 0..4),
        rate in 0.5f64..=2.0, visible in prop::bool::weighted(0.85),
        idle_ms in prop_oneof![3 => Just(0u64), 1 => 0u64..3_600_000],
        position in prop::option::of(0u64..320_000),
        slides in prop::collection::vec((0u32..6, 1u64..20_000), 0..3), visible_ms in 0u64..20_000
    ) -> Step {
        let beat = Heartbeat { rate, visible, idle_ms, slides, visible_ms, ..beat(1, &[]) };
        Step { wait_ms, seq_move, honest, spans, position, beat }
    }
}

fn run_case() -> impl Strategy<Value = (LessonFacts, CompletionRules, Vec<Step>)> {
    let kind = prop_oneof![3 => Just(LessonKind::Video), 1 => Just(LessonKind::Slides), 1 => Just(LessonKind::Article)];
    let seek = prop_oneof![Just(SeekRule::WithinWatched), Just(SeekRule::Free)];
    (kind, 1_000u64..300_000, seek, 50u8..=100, 5u32..60, prop::collection::vec(step(), 1..40)).prop_map(
        |(kind, duration_ms, seek, coverage_percent, slide_max_seconds, steps)| {
            let facts = LessonFacts { kind, duration_ms, slide_count: 4, article_chars: 300 };
            let rules = CompletionRules { seek, coverage_percent, slide_max_seconds, ..Default::default() };
            (facts, rules, steps)
        },
    )
}

/// What a random run left behind.
struct Trace {
    assessments: Vec<Assessment>,
    ledger: LessonLedger,
    elapsed_ms: u64,
    /// Deliveries of a beat a second time that changed the ledger or session.
    replays_that_changed_state: usize,
}

/// Plays `steps`; with `replay`, delivers every beat a second time at once.
fn run(facts: LessonFacts, rules: CompletionRules, steps: &[Step], replay: bool) -> Trace {
    let mut p = Playback::new(facts, rules);
    let (mut top, mut playhead) = (0u32, 0u64);
    let (mut assessments, mut replays_that_changed_state) = (Vec::new(), 0);
    for s in steps {
        let seq = match s.seq_move {
            0 => top.max(1),
            1 => top.saturating_sub(1).max(1),
            2 => top + 2,
            _ => top + 1,
        };
        top = top.max(seq);
        let honest = [(true, 0, ((s.wait_ms as f64 * s.beat.rate) as u64).max(1))];
        let mut played = Vec::new();
        for &(from_playhead, at, len) in if s.honest { &honest[..] } else { &s.spans[..] } {
            let start = if from_playhead { playhead + at % 2_000 } else { facts.duration_ms * at / 1000 };
            playhead = start + len;
            played.push(span(start, playhead));
        }
        let b = Heartbeat { seq, played, position: s.position.unwrap_or(playhead), ..s.beat.clone() };
        assessments.push(p.send_after(s.wait_ms, &b));
        if replay {
            let before = (p.ledger.clone(), p.session);
            p.send_after(0, &b);
            replays_that_changed_state += usize::from(before != (p.ledger.clone(), p.session));
        }
    }
    let elapsed_ms = (p.now - OPENED_AT) as u64;
    Trace { assessments, ledger: p.ledger, elapsed_ms, replays_that_changed_state }
}

fn credited_media(assessments: &[Assessment]) -> Vec<Span> {
    let entries = assessments.iter().flat_map(|a| &a.entries);
    entries.filter(|e| e.outcome == Outcome::Credited).filter_map(|e| e.media).collect()
}

proptest! {
    #[test]
    fn credited_study_time_never_exceeds_the_time_since_the_session_opened((facts, rules, steps) in run_case()) {
        let t = run(facts, rules, &steps, false);
        let credited: u64 = t.assessments.iter().map(Assessment::credited_ms).sum();
        prop_assert!(credited <= t.elapsed_ms, "credited {} ms in {} ms", credited, t.elapsed_ms);
        prop_assert!(t.ledger.study_ms <= t.elapsed_ms);
    }

    #[test]
    fn coverage_stays_inside_the_media((facts, rules, steps) in run_case()) {
        let t = run(facts, rules, &steps, false);
        prop_assert!(t.ledger.watched.total() <= facts.duration_ms);
        for s in t.ledger.watched.spans() {
            prop_assert!(s.end() <= facts.duration_ms, "{:?} past {}", s, facts.duration_ms);
        }
    }

    #[test]
    fn a_heartbeat_delivered_twice_changes_nothing((facts, rules, steps) in run_case()) {
        let once = run(facts, rules, &steps, false);
        let twice = run(facts, rules, &steps, true);
        prop_assert_eq!(twice.replays_that_changed_state, 0);
        prop_assert_eq!(twice.ledger, once.ledger);
    }

    #[test]
    fn the_watched_set_is_the_union_of_the_credited_media((facts, rules, steps) in run_case()) {
        let t = run(facts, rules, &steps, false);
        prop_assert_eq!(WatchedRanges::from_spans(credited_media(&t.assessments)), t.ledger.watched);
    }

    #[test]
    fn study_time_is_the_sum_of_credited_wall_time((facts, rules, steps) in run_case()) {
        let t = run(facts, rules, &steps, false);
        prop_assert_eq!(t.ledger.study_ms, t.assessments.iter().map(Assessment::credited_ms).sum::<u64>());
    }

    #[test]
    fn no_media_is_credited_twice((facts, rules, steps) in run_case()) {
        let mut credited = credited_media(&run(facts, rules, &steps, false).assessments);
        credited.sort();
        for w in credited.windows(2) {
            prop_assert!(w[0].end() <= w[1].start(), "{:?} and {:?} overlap", w[0], w[1]);
        }
    }
}
