use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn window() -> Window {
    Window { opens: at("2026-06-01T08:00:00Z"), closes: at("2026-06-01T10:00:00Z") }
}

/// The activist class final exam of the issue: 40 minutes, pass at 60,
/// open once 20 学时 are credited.
fn final_exam() -> ExamSettings {
    ExamSettings {
        time_limit_minutes: Some(40),
        window: Some(window()),
        prerequisites: Prerequisites { courses: vec![], credited_hours: 20 },
        ..Default::default()
    }
}

fn taker(hours: f64, used: u32) -> TakerRecord {
    TakerRecord { completed_courses: BTreeSet::new(), credited_hours: hours, attempts_used: used }
}

#[test]
fn the_activist_final_exam_settings_are_valid() {
    assert_eq!(final_exam().check(), Ok(()));
    assert_eq!(ExamSettings::default().check(), Ok(()));
}

#[test]
fn each_bad_setting_is_refused_with_its_own_reason() {
    type Change = fn(&mut ExamSettings);
    let cases: [(Change, SettingsError); 8] = [
        (|s| s.time_limit_minutes = Some(0), SettingsError::BadTimeLimit),
        (|s| s.time_limit_minutes = Some(MAX_TIME_LIMIT_MINUTES + 1), SettingsError::BadTimeLimit),
        (
            |s| s.window = Some(Window { opens: window().closes, closes: window().opens }),
            SettingsError::WindowClosesBeforeOpening,
        ),
        (|s| s.attempts_allowed = Some(0), SettingsError::BadAttempts),
        (|s| s.pass_mark = PassMark::Percent(101), SettingsError::BadPassMark),
        (
            |s| {
                s.window = None;
                s.review = ReviewPolicy::AfterWindowCloses
            },
            SettingsError::ReviewNeedsWindow,
        ),
        (|s| s.prerequisites.courses = vec![3, 3], SettingsError::BadPrerequisiteCourses),
        (|s| s.prerequisites.credited_hours = MAX_PREREQUISITE_HOURS + 1, SettingsError::BadPrerequisiteHours),
    ];
    for (change, expected) in cases {
        let mut s = final_exam();
        change(&mut s);
        assert_eq!(s.check(), Err(expected.clone()), "{expected:?}");
        let (zh, en) = (expected.localize(Lang::Zh), expected.localize(Lang::En));
        assert!(!zh.is_empty() && zh != en && expected.code().starts_with("exam_"));
    }
}

#[test]
fn starting_needs_the_window_open_an_attempt_left_and_the_prerequisites() {
    let s = final_exam();
    let during = at("2026-06-01T09:00:00Z");
    assert_eq!(s.may_start(during, &taker(20.0, 0)), Ok(()));
    assert_eq!(
        s.may_start(at("2026-06-01T07:59:59Z"), &taker(20.0, 0)),
        Err(StartRefusal::NotOpenYet { opens: window().opens })
    );
    assert_eq!(s.may_start(window().closes, &taker(20.0, 0)), Err(StartRefusal::Closed { closes: window().closes }));
    assert_eq!(s.may_start(during, &taker(20.0, 1)), Err(StartRefusal::NoAttemptsLeft { allowed: 1 }));
    let short = s.may_start(during, &taker(19.5, 0)).unwrap_err();
    assert_eq!(short, StartRefusal::HoursMissing { needed: 20, have: "19.5".into() });
    assert_eq!(short.localize(Lang::Zh), "参加本考试须先取得 20 学时（您目前为 19.5 学时）。");
    let with_course = ExamSettings { prerequisites: Prerequisites { courses: vec![7, 8], credited_hours: 0 }, ..s };
    let mut record = taker(0.0, 0);
    record.completed_courses.insert(7);
    assert_eq!(with_course.may_start(during, &record), Err(StartRefusal::CoursesMissing { missing: 1 }));
}

#[test]
fn the_deadline_is_the_time_limit_or_the_window_s_end_whichever_is_first() {
    let s = final_exam();
    assert_eq!(s.deadline(at("2026-06-01T08:10:00Z")), Some(at("2026-06-01T08:50:00Z")));
    assert_eq!(s.deadline(at("2026-06-01T09:50:00Z")), Some(window().closes));
    let untimed = ExamSettings { time_limit_minutes: None, window: None, ..s };
    assert_eq!(untimed.deadline(at("2026-06-01T09:50:00Z")), None);
}

#[test]
fn answers_are_shown_as_the_review_policy_says_and_always_in_practice() {
    let before = at("2026-06-01T09:00:00Z");
    let after = window().closes;
    let with = |review, practice| ExamSettings { review, practice, ..final_exam() };
    assert!(with(ReviewPolicy::AfterSubmit, false).review_shows_answers(before));
    assert!(!with(ReviewPolicy::Never, false).review_shows_answers(after));
    assert!(!with(ReviewPolicy::AfterWindowCloses, false).review_shows_answers(before));
    assert!(with(ReviewPolicy::AfterWindowCloses, false).review_shows_answers(after));
    assert!(with(ReviewPolicy::Never, true).review_shows_answers(before));
}

#[test]
fn start_refusals_read_in_both_languages_with_stable_codes() {
    let all = [
        StartRefusal::NotOpenYet { opens: window().opens },
        StartRefusal::Closed { closes: window().closes },
        StartRefusal::NoAttemptsLeft { allowed: 3 },
        StartRefusal::CoursesMissing { missing: 2 },
        StartRefusal::HoursMissing { needed: 20, have: "3.0".into() },
    ];
    for e in &all {
        let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
        assert!(e.code().starts_with("exam_"));
    }
    assert_eq!(all[0].localize(Lang::En), "The exam opens at 2026-06-01 08:00 UTC.");
}

#[test]
fn settings_round_trip_through_json() {
    let s = ExamSettings { pass_mark: PassMark::Points(crate::exam::Points::whole(60)), ..final_exam() };
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["pass_mark"], serde_json::json!({"unit": "points", "value": 600}));
    assert_eq!(serde_json::from_value::<ExamSettings>(json).unwrap(), s);
}
