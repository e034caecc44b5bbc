use proptest::prelude::*;

use super::*;
use crate::exam::draft::QuestionDraft;

fn q(kind: &str, options: &[&str], answer: &str, blanks: &[&[&str]]) -> Question {
    QuestionDraft {
        kind: kind.into(),
        stem: "题干".into(),
        options: options.iter().map(|s| s.to_string()).collect(),
        answer: answer.into(),
        blanks: blanks.iter().map(|b| b.iter().map(|s| s.to_string()).collect()).collect(),
        ..Default::default()
    }
    .build()
    .unwrap()
}

fn multiple() -> Question {
    q("多选题", &["a", "b", "c", "d"], "A,C,D", &[])
}

fn ids(ids: &[u16]) -> Answer {
    Answer::Multiple { options: ids.iter().map(|&i| OptionId(i)).collect() }
}

fn points(g: Grade) -> u32 {
    g.points().map_or(999, Points::tenths)
}

const THREE: Points = Points::whole(3);

#[test]
fn single_choice_and_true_false_score_all_or_nothing() {
    let single = q("单选题", &["a", "b"], "B", &[]);
    let right =
        grade(&single, Some(&Answer::Single { option: OptionId(2) }), Points::whole(2), MultipleScoring::default());
    assert_eq!(right, Ok(Grade::Scored { points: Points::whole(2), correctness: Correctness::Correct }));
    let wrong =
        grade(&single, Some(&Answer::Single { option: OptionId(1) }), Points::whole(2), MultipleScoring::default());
    assert_eq!(wrong, Ok(Grade::Scored { points: Points::ZERO, correctness: Correctness::Wrong }));
    let tf = q("判断题", &[], "错", &[]);
    assert_eq!(
        points(
            grade(&tf, Some(&Answer::TrueFalse { value: false }), Points::whole(1), MultipleScoring::default())
                .unwrap()
        ),
        10
    );
}

#[test]
fn multiple_choice_all_or_nothing_needs_exactly_the_key() {
    let m = multiple();
    let score = |a: &[u16]| points(grade(&m, Some(&ids(a)), THREE, MultipleScoring::AllOrNothing).unwrap());
    assert_eq!(score(&[4, 1, 3]), 30);
    assert_eq!(score(&[1, 3]), 0);
    assert_eq!(score(&[1, 2, 3, 4]), 0);
}

#[test]
fn proportional_credit_shares_the_points_and_any_wrong_option_scores_zero() {
    let m = multiple();
    let score = |a: &[u16]| grade(&m, Some(&ids(a)), THREE, MultipleScoring::Proportional).unwrap();
    assert_eq!(score(&[1, 3]), Grade::Scored { points: Points::whole(2), correctness: Correctness::Partial });
    assert_eq!(points(score(&[1])), 10);
    assert_eq!(points(score(&[1, 3, 4])), 30);
    assert_eq!(score(&[1, 2]), Grade::Scored { points: Points::ZERO, correctness: Correctness::Wrong });
    assert_eq!(score(&[]), Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered });
}

#[test]
fn fill_in_blanks_are_compared_folded_and_score_per_blank() {
    let f = q("填空题", &[], "", &[&["1921", "一九二一"], &["Shanghai", "上海"]]);
    let answer = |a: &str, b: &str| Answer::FillIn { blanks: vec![a.into(), b.into()] };
    let score = |a: &Answer| points(grade(&f, Some(a), Points::whole(2), MultipleScoring::default()).unwrap());
    assert_eq!(score(&answer(" １９２１ ", "  SHANGHAI")), 20);
    assert_eq!(score(&answer("1921", "北京")), 10);
    assert_eq!(score(&answer("1921 年", "")), 0);
    let empty = grade(&f, Some(&answer(" ", "")), Points::whole(2), MultipleScoring::default());
    assert_eq!(empty, Ok(Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered }));
}

#[test]
fn a_short_answer_waits_for_a_grader_unless_left_empty() {
    let s = q("简答题", &[], "", &[]);
    let text = |t: &str| Answer::ShortAnswer { text: t.into() };
    assert_eq!(grade(&s, Some(&text("为人民服务")), THREE, MultipleScoring::default()), Ok(Grade::Pending));
    assert_eq!(points(grade(&s, Some(&text("  ")), THREE, MultipleScoring::default()).unwrap()), 0);
    assert_eq!(Grade::manual(Points::whole(2), THREE).unwrap().points(), Some(Points::whole(2)));
    assert_eq!(Grade::manual(Points::whole(4), THREE), Err(AnswerError::ScoreAboveWorth { worth: THREE }));
}

#[test]
fn no_answer_scores_zero_as_unanswered() {
    let g = grade(&multiple(), None, THREE, MultipleScoring::Proportional);
    assert_eq!(g, Ok(Grade::Scored { points: Points::ZERO, correctness: Correctness::Unanswered }));
}

#[test]
fn an_answer_that_does_not_fit_the_question_is_an_error() {
    let m = multiple();
    let err = |a: Answer| grade(&m, Some(&a), THREE, MultipleScoring::default()).unwrap_err();
    assert_eq!(
        err(Answer::Single { option: OptionId(1) }),
        AnswerError::WrongKind { expected: QuestionKind::Multiple, given: QuestionKind::Single }
    );
    assert_eq!(err(ids(&[1, 9])), AnswerError::UnknownOption { id: 9 });
    assert_eq!(err(ids(&[1, 1])), AnswerError::RepeatedOption);
    let f = q("填空题", &[], "", &[&["x"]]);
    assert_eq!(
        Answer::FillIn { blanks: vec![] }.check(&f),
        Err(AnswerError::WrongBlankCount { expected: 1, given: 0 })
    );
    let huge = Answer::ShortAnswer { text: "党".repeat(MAX_ANSWER_CHARS + 1) };
    assert_eq!(huge.check(&q("简答题", &[], "", &[])), Err(AnswerError::TextTooLong));
}

#[test]
fn answers_from_the_page_ignore_a_score_the_client_made_up() {
    let a: Answer =
        serde_json::from_value(serde_json::json!({"kind": "single", "option": 2, "score": 100, "correct": true}))
            .unwrap();
    assert_eq!(a, Answer::Single { option: OptionId(2) });
    let fill: Answer = serde_json::from_value(serde_json::json!({"kind": "fill_in", "blanks": ["1921"]})).unwrap();
    assert_eq!(fill.kind(), QuestionKind::FillIn);
}

#[test]
fn answer_errors_read_in_both_languages_with_stable_codes() {
    let all = [
        AnswerError::WrongKind { expected: QuestionKind::Single, given: QuestionKind::FillIn },
        AnswerError::UnknownOption { id: 9 },
        AnswerError::RepeatedOption,
        AnswerError::WrongBlankCount { expected: 2, given: 1 },
        AnswerError::TextTooLong,
        AnswerError::ScoreAboveWorth { worth: THREE },
    ];
    for e in &all {
        let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
        assert!(e.code().starts_with("answer_") || e.code() == "score_above_worth");
    }
}

proptest! {
    #[test]
    fn a_grade_never_exceeds_the_question_s_worth(
        chosen in proptest::collection::btree_set(1u16..=4, 0..=4),
        worth in 0u32..100,
        proportional in any::<bool>(),
    ) {
        let scoring = if proportional { MultipleScoring::Proportional } else { MultipleScoring::AllOrNothing };
        let worth = Points::from_tenths(worth);
        let answer = Answer::Multiple { options: chosen.into_iter().map(OptionId).collect() };
        let g = grade(&multiple(), Some(&answer), worth, scoring).unwrap();
        prop_assert!(g.points().unwrap() <= worth);
    }
}
