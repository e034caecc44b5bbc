use super::*;
use crate::exam::problem::QuestionProblem;

fn choice(id: u16, text: &str) -> Choice {
    Choice { id: OptionId(id), text: text.into() }
}

fn single() -> QuestionData {
    QuestionData {
        kind: QuestionKind::Single,
        stem: "党的最高理想和最终目标是什么？".into(),
        options: vec![choice(1, "实现共产主义"), choice(2, "全面建成小康社会"), choice(3, "实现四个现代化")],
        correct: vec![OptionId(1)],
        truth: None,
        blanks: vec![],
        reference: String::new(),
        explanation: "见党章总纲。".into(),
        difficulty: 2,
        categories: vec!["党章".into()],
    }
}

#[test]
fn a_good_question_keeps_its_parts_and_round_trips_through_its_stored_form() {
    let q = Question::from_data(single()).unwrap();
    assert_eq!((q.kind(), q.key()), (QuestionKind::Single, &Key::Single(OptionId(1))));
    assert_eq!(q.explanation(), "见党章总纲。");
    let json = serde_json::to_value(&q).unwrap();
    assert_eq!(serde_json::from_value::<Question>(json).unwrap(), q);
}

#[test]
fn each_invalid_part_is_refused_with_its_own_problem() {
    type Change = fn(&mut QuestionData);
    let cases: [(Change, QuestionProblem); 11] = [
        (|d| d.stem = " \n ".into(), QuestionProblem::EmptyStem),
        (|d| d.stem = "题".repeat(MAX_STEM_CHARS + 1), QuestionProblem::StemTooLong),
        (|d| d.correct = vec![OptionId(7)], QuestionProblem::AnswerNotAnOption { answer: "7".into() }),
        (
            |d| d.options[2].text = " 实现共产主义 ".into(),
            QuestionProblem::DuplicateOption { first: "A".into(), again: "C".into() },
        ),
        (|d| d.options.truncate(1), QuestionProblem::TooFewOptions { given: 1 }),
        (
            |d| d.options = (1..=9).map(|i| choice(i, &i.to_string())).collect(),
            QuestionProblem::TooManyOptions { given: 9 },
        ),
        (
            |d| d.options[1].text = "x".repeat(MAX_OPTION_CHARS + 1),
            QuestionProblem::OptionTooLong { option: "B".into() },
        ),
        (|d| d.options[1].id = OptionId(1), QuestionProblem::DuplicateOptionId { id: 1 }),
        (|d| d.difficulty = 6, QuestionProblem::DifficultyOutOfRange { given: 6 }),
        (|d| d.explanation = "解".repeat(MAX_EXPLANATION_CHARS + 1), QuestionProblem::ExplanationTooLong),
        (|d| d.categories = vec![" ".into()], QuestionProblem::BadCategory { value: " ".into() }),
    ];
    for (change, expected) in cases {
        let mut d = single();
        change(&mut d);
        assert_eq!(Question::from_data(d), Err(vec![expected.clone()]), "{expected:?}");
    }
}

#[test]
fn a_blank_without_accepted_answers_is_refused() {
    let d = QuestionData {
        kind: QuestionKind::FillIn,
        options: vec![],
        correct: vec![],
        blanks: vec![vec!["1921".into()], vec![" ".into()]],
        ..single()
    };
    assert_eq!(Question::from_data(d), Err(vec![QuestionProblem::BlankWithoutAnswers { blank: 2 }]));
    let none = QuestionData { kind: QuestionKind::FillIn, options: vec![], correct: vec![], ..single() };
    assert_eq!(Question::from_data(none), Err(vec![QuestionProblem::NoBlanks]));
}

#[test]
fn answers_of_another_kind_and_options_of_a_true_false_question_are_refused() {
    let tf = QuestionData { kind: QuestionKind::TrueFalse, truth: Some(true), ..single() };
    assert_eq!(
        Question::from_data(tf),
        Err(vec![QuestionProblem::OptionsNotAllowed, QuestionProblem::AnswerDoesNotFitKind])
    );
    let ok = QuestionData {
        kind: QuestionKind::TrueFalse,
        truth: Some(false),
        options: vec![],
        correct: vec![],
        ..single()
    };
    assert_eq!(Question::from_data(ok).unwrap().key(), &Key::TrueFalse(false));
}

#[test]
fn a_stored_question_that_breaks_the_rules_does_not_deserialize() {
    let mut json = serde_json::to_value(Question::from_data(single()).unwrap()).unwrap();
    json["correct"] = serde_json::json!([9]);
    let err = serde_json::from_value::<Question>(json).unwrap_err().to_string();
    assert!(err.contains("not one of the options"), "{err}");
}

#[test]
fn the_taker_s_view_has_no_key_and_follows_the_paper_s_option_order() {
    let q = Question::from_data(single()).unwrap();
    let view = QuestionForTaker::new(&q, &[OptionId(3), OptionId(1), OptionId(3), OptionId(9)]);
    let order: Vec<u16> = view.options.iter().map(|c| c.id.0).collect();
    assert_eq!(order, [3, 1, 2]);
    let json = serde_json::to_string(&view).unwrap();
    for leak in ["correct", "truth", "explanation", "见党章总纲", "reference", "difficulty"] {
        assert!(!json.contains(leak), "{leak} in {json}");
    }
}
