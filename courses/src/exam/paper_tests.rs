use proptest::prelude::*;

use super::*;
use crate::exam::draft::QuestionDraft;

/// 30 single choice (10 of them 党史), 25 true/false, 5 multiple choice.
fn bank() -> Vec<(QuestionId, Question)> {
    let mut out = Vec::new();
    for i in 0..60i64 {
        let (kind, answer, options, category) = match i {
            0..=29 => ("单选题", "A", vec!["甲", "乙", "丙", "丁"], if i < 10 { "党史" } else { "党章" }),
            30..=54 => ("判断题", "对", vec![], "党章"),
            _ => ("多选题", "A,B", vec!["甲", "乙", "丙"], "理论"),
        };
        let q = QuestionDraft {
            kind: kind.into(),
            stem: format!("第 {i} 题"),
            options: options.into_iter().map(String::from).collect(),
            answer: answer.into(),
            difficulty: Some(i % 5 + 1),
            categories: vec![category.into()],
            ..Default::default()
        }
        .build()
        .unwrap();
        out.push((QuestionId(100 + i), q));
    }
    out
}

fn refs(bank: &[(QuestionId, Question)]) -> Vec<(QuestionId, &Question)> {
    bank.iter().map(|(id, q)| (*id, q)).collect()
}

fn rule(count: u16, kind: QuestionKind, points: u32) -> DrawRule {
    DrawRule { count, kind, category: None, difficulty: None, points_each: Points::whole(points) }
}

/// The activist class final exam of the issue: 30 × 2 + 5 × 3 + 25 × 1.
fn final_exam() -> PaperSpec {
    PaperSpec::Drawn {
        rules: vec![
            rule(30, QuestionKind::Single, 2),
            rule(5, QuestionKind::Multiple, 3),
            rule(25, QuestionKind::TrueFalse, 1),
        ],
    }
}

#[test]
fn the_activist_final_exam_draws_sixty_questions_worth_a_hundred_points() {
    let bank = bank();
    let paper = final_exam().draw(&refs(&bank), Shuffle::default(), 7).unwrap();
    assert_eq!(paper.items.len(), 60);
    assert_eq!(paper.max_points(), Points::whole(100));
    let distinct: BTreeSet<QuestionId> = paper.items.iter().map(|i| i.question).collect();
    assert_eq!(distinct.len(), 60);
    assert_eq!(paper.items[0].points, Points::whole(2));
    assert_eq!(paper.items[59].points, Points::whole(1));
}

#[test]
fn the_same_seed_draws_the_same_paper_whatever_order_the_bank_comes_in() {
    let bank = bank();
    let spec = PaperSpec::Drawn { rules: vec![rule(5, QuestionKind::Single, 2)] };
    let shuffle = Shuffle { questions: true, options: true };
    let forward = spec.draw(&refs(&bank), shuffle, 42).unwrap();
    let mut reversed = refs(&bank);
    reversed.reverse();
    assert_eq!(spec.draw(&reversed, shuffle, 42).unwrap(), forward);
    let others: Vec<Paper> = (0..5).map(|seed| spec.draw(&refs(&bank), shuffle, seed).unwrap()).collect();
    assert!(others.iter().any(|p| *p != forward), "every seed drew the same paper");
}

#[test]
fn category_and_difficulty_narrow_a_rule() {
    let bank = bank();
    let history = DrawRule { category: Some(Category::parse("党史").unwrap()), ..rule(10, QuestionKind::Single, 2) };
    let paper = PaperSpec::Drawn { rules: vec![history] }.draw(&refs(&bank), Shuffle::default(), 1).unwrap();
    assert!(paper.items.iter().all(|i| i.question.0 < 110));
    let hard = DrawRule { difficulty: Some(Difficulty::new(5).unwrap()), ..rule(6, QuestionKind::Single, 2) };
    let paper = PaperSpec::Drawn { rules: vec![hard] }.draw(&refs(&bank), Shuffle::default(), 1).unwrap();
    assert!(paper.items.iter().all(|i| (i.question.0 - 100) % 5 == 4));
}

#[test]
fn a_rule_the_bank_cannot_fill_is_named_in_the_error() {
    let bank = bank();
    let history = DrawRule { category: Some(Category::parse("党史").unwrap()), ..rule(11, QuestionKind::Single, 2) };
    let spec = PaperSpec::Drawn { rules: vec![rule(25, QuestionKind::TrueFalse, 1), history] };
    let err = spec.draw(&refs(&bank), Shuffle::default(), 1).unwrap_err();
    assert!(matches!(err, PaperError::NotEnoughQuestions { rule: 2, wanted: 11, available: 10, .. }), "{err:?}");
    assert_eq!(
        err.localize(Lang::Zh),
        "第 2 条抽题规则（单选题 · 党史）需要 11 道题，题库中符合条件的只有 10 道；请补充试题或减少题数。"
    );
    assert_eq!(
        err.localize(Lang::En),
        "Rule 2 (single choice · 党史) wants 11 questions but the bank has 10 that match."
    );
}

#[test]
fn later_rules_do_not_draw_what_earlier_ones_took() {
    let bank = bank();
    let spec = PaperSpec::Drawn { rules: vec![rule(20, QuestionKind::Single, 2), rule(11, QuestionKind::Single, 1)] };
    let err = spec.draw(&refs(&bank), Shuffle::default(), 3).unwrap_err();
    assert!(matches!(err, PaperError::NotEnoughQuestions { rule: 2, available: 10, .. }));
}

#[test]
fn a_fixed_paper_keeps_its_order_unless_shuffled_and_needs_its_questions_in_the_bank() {
    let bank = bank();
    let item = |id, points| FixedItem { question: QuestionId(id), points: Points::whole(points) };
    let spec = PaperSpec::Fixed { items: vec![item(130, 1), item(100, 2), item(159, 3)] };
    let paper = spec.draw(&refs(&bank), Shuffle::default(), 9).unwrap();
    let ids: Vec<i64> = paper.items.iter().map(|i| i.question.0).collect();
    assert_eq!(ids, [130, 100, 159]);
    assert_eq!(paper.items[1].option_order, [OptionId(1), OptionId(2), OptionId(3), OptionId(4)]);
    assert!(paper.items[0].option_order.is_empty());
    let missing = PaperSpec::Fixed { items: vec![item(999, 1)] };
    assert_eq!(missing.draw(&refs(&bank), Shuffle::default(), 9), Err(PaperError::UnknownQuestion { id: 999 }));
}

#[test]
fn a_paper_spec_is_checked_before_drawing() {
    let item = |id, points| FixedItem { question: QuestionId(id), points: Points::whole(points) };
    assert_eq!(PaperSpec::Fixed { items: vec![] }.check(), Err(PaperError::Empty));
    assert_eq!(
        PaperSpec::Fixed { items: vec![item(1, 1), item(1, 2)] }.check(),
        Err(PaperError::DuplicateQuestion { id: 1 })
    );
    assert_eq!(PaperSpec::Fixed { items: vec![item(1, 0)] }.check(), Err(PaperError::ZeroPoints { item: 1 }));
    let rules = |count| PaperSpec::Drawn { rules: vec![rule(count, QuestionKind::Single, 1)] };
    assert_eq!(rules(0).check(), Err(PaperError::ZeroCount { rule: 1 }));
    assert_eq!(rules(301).check(), Err(PaperError::TooManyQuestions));
    assert_eq!(rules(300).check(), Ok(()));
}

#[test]
fn paper_errors_read_in_both_languages_with_stable_codes() {
    let all = [
        PaperError::Empty,
        PaperError::TooManyQuestions,
        PaperError::ZeroCount { rule: 1 },
        PaperError::ZeroPoints { item: 2 },
        PaperError::DuplicateQuestion { id: 3 },
        PaperError::UnknownQuestion { id: 4 },
        PaperError::NotEnoughQuestions {
            rule: 1,
            what: Box::new(rule(3, QuestionKind::FillIn, 1)),
            wanted: 3,
            available: 0,
        },
    ];
    let mut codes = BTreeSet::new();
    for e in &all {
        assert!(codes.insert(e.code()));
        let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
    }
}

#[test]
fn a_paper_round_trips_through_json() {
    let bank = bank();
    let paper = final_exam().draw(&refs(&bank), Shuffle { questions: true, options: true }, 5).unwrap();
    let json = serde_json::to_string(&paper).unwrap();
    assert_eq!(serde_json::from_str::<Paper>(&json).unwrap(), paper);
    let spec_json = serde_json::to_value(final_exam()).unwrap();
    assert_eq!(spec_json["mode"], "drawn");
    assert_eq!(serde_json::from_value::<PaperSpec>(spec_json).unwrap(), final_exam());
}

proptest! {
    #[test]
    fn any_seed_draws_distinct_questions_with_every_option_once(seed in any::<u64>()) {
        let bank = bank();
        let paper = final_exam().draw(&refs(&bank), Shuffle { questions: true, options: true }, seed).unwrap();
        let distinct: BTreeSet<QuestionId> = paper.items.iter().map(|i| i.question).collect();
        prop_assert_eq!(distinct.len(), 60);
        for item in &paper.items {
            let q = &bank.iter().find(|(id, _)| *id == item.question).unwrap().1;
            let mut shown = item.option_order.clone();
            shown.sort();
            let authored: Vec<OptionId> = q.options().iter().map(|c| c.id).collect();
            prop_assert_eq!(shown, authored);
        }
    }
}

#[test]
fn a_spec_knows_its_size_and_worth_without_a_bank() {
    use crate::exam::{DrawRule, FixedItem, PaperSpec, Points, QuestionId, QuestionKind};
    let drawn = PaperSpec::Drawn {
        rules: vec![
            DrawRule {
                count: 30,
                kind: QuestionKind::Single,
                category: None,
                difficulty: None,
                points_each: Points::whole(2),
            },
            DrawRule {
                count: 5,
                kind: QuestionKind::Multiple,
                category: None,
                difficulty: None,
                points_each: Points::whole(3),
            },
            DrawRule {
                count: 25,
                kind: QuestionKind::TrueFalse,
                category: None,
                difficulty: None,
                points_each: Points::whole(1),
            },
        ],
    };
    assert_eq!((drawn.question_count(), drawn.max_points()), (60, Points::whole(100)));
    let fixed = PaperSpec::Fixed {
        items: vec![
            FixedItem { question: QuestionId(1), points: Points::from_tenths(25) },
            FixedItem { question: QuestionId(2), points: Points::whole(5) },
        ],
    };
    assert_eq!((fixed.question_count(), fixed.max_points()), (2, Points::from_tenths(75)));
}
