//! A bank written as Moodle GIFT, in the form [`gift::parse`](super::gift::parse)
//! reads back: titles `::Q001::`, a `$CATEGORY:` line when the first
//! category changes, the difficulty in a `// 难度=N` comment (GIFT has no
//! field for it), and `####` feedback for the 解析.
//!
//! GIFT holds one answer box per question and no reference answer for an
//! essay, so a fill-in with several blanks is left out (and named in the
//! result), and a short answer's reference is not written.

use super::table::BLANK;
use crate::exam::question::{Key, Question};

/// The GIFT text, and the positions of the questions GIFT cannot hold.
pub fn export(questions: &[Question]) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut skipped = Vec::new();
    let mut category: Option<&str> = None;
    for (i, q) in questions.iter().enumerate() {
        let Some(block) = answer_block(q) else {
            skipped.push(i);
            continue;
        };
        let first = q.categories().first().map(|c| c.as_str());
        if first != category {
            // An empty `$CATEGORY:` ends the previous category.
            out.push_str(&format!("$CATEGORY: {}\n\n", first.unwrap_or_default()).replace(": \n", ":\n"));
            category = first;
        }
        out.push_str(&format!("// 难度={}\n::Q{:03}::", q.difficulty().level(), i + 1));
        match q.stem().split_once(BLANK) {
            Some((before, after)) if matches!(q.key(), Key::FillIn(_)) => {
                out.push_str(&format!("{}{block}{}", escape(before), escape(after)));
            }
            _ => out.push_str(&format!("{} {block}", escape(q.stem()))),
        }
        out.push_str("\n\n");
    }
    (out, skipped)
}

fn answer_block(q: &Question) -> Option<String> {
    let feedback = match q.explanation() {
        "" => String::new(),
        e => format!("####{}", escape(e)),
    };
    let block = match q.key() {
        Key::Single(_) | Key::Multiple(_) => {
            let correct: Vec<bool> = q
                .options()
                .iter()
                .map(|o| match q.key() {
                    Key::Single(id) => *id == o.id,
                    Key::Multiple(ids) => ids.contains(&o.id),
                    _ => false,
                })
                .collect();
            let share = weight(100.0 / correct.iter().filter(|c| **c).count().max(1) as f64);
            let mut lines = String::from("{\n");
            for (o, right) in q.options().iter().zip(&correct) {
                let mark = match (q.key(), right) {
                    (Key::Single(_), true) => "=".to_owned(),
                    (Key::Single(_), false) => "~".to_owned(),
                    (_, true) => format!("~%{share}%"),
                    (_, false) => "~%-100%".to_owned(),
                };
                lines.push_str(&format!("\t{mark}{}\n", escape(&o.text)));
            }
            if !feedback.is_empty() {
                lines.push_str(&format!("\t{feedback}\n"));
            }
            lines + "}"
        }
        Key::TrueFalse(t) => format!("{{{}{feedback}}}", if *t { "T" } else { "F" }),
        Key::FillIn(blanks) if blanks.len() == 1 => {
            let accepted: Vec<String> = blanks[0].accepted().iter().map(|a| format!("={}", escape(a))).collect();
            format!("{{{}{}{feedback}}}", accepted.join(" "), if feedback.is_empty() { "" } else { " " })
        }
        Key::FillIn(_) => return None,
        Key::ShortAnswer { .. } => format!("{{{feedback}}}"),
    };
    Some(block)
}

/// `33.33333`, `50`: five decimals at most, no trailing zeros.
fn weight(w: f64) -> String {
    let s = format!("{w:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Backslashes GIFT's special characters; a newline becomes `\n`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::import::gift;
    use crate::exam::QuestionDraft;

    fn draft(kind: &str, stem: &str, options: &[&str], answer: &str) -> Question {
        QuestionDraft {
            kind: kind.into(),
            stem: stem.into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            answer: answer.into(),
            explanation: "见 {党章}: 第一条 = #1 ~ \\ 完".into(),
            difficulty: Some(4),
            categories: vec!["党章".into()],
            ..Default::default()
        }
        .build()
        .unwrap()
    }

    #[test]
    fn every_kind_gift_holds_parses_back_the_same() {
        let mut fill =
            QuestionDraft { kind: "填空题".into(), stem: "年满____岁。".into(), ..Default::default() };
        fill.blanks = vec![vec!["十八".into(), "18".into()]];
        let questions = vec![
            draft("单选题", "选 a: 哪个？", &["a=1", "b~2"], "B"),
            draft("多选题", "多选", &["甲", "乙", "丙"], "A,C"),
            draft("判断题", "对吗", &[], "错"),
            fill.build().unwrap(),
            draft("简答题", "简述\n两行", &[], ""),
        ];
        let (text, skipped) = export(&questions);
        assert!(skipped.is_empty());
        let back: Vec<Question> = gift::parse(&text).into_iter().map(|e| e.outcome.unwrap()).collect();
        assert_eq!(back, questions, "{text}");
    }

    #[test]
    fn a_fill_in_with_two_blanks_is_left_out_and_named() {
        let mut two = QuestionDraft { kind: "填空题".into(), stem: "____和____".into(), ..Default::default() };
        two.blanks = vec![vec!["甲".into()], vec!["乙".into()]];
        let (text, skipped) = export(&[two.build().unwrap()]);
        assert_eq!((text.as_str(), skipped), ("", vec![0]));
    }

    #[test]
    fn weights_are_written_as_moodle_writes_them() {
        assert_eq!(weight(100.0 / 3.0), "33.33333");
        assert_eq!(weight(50.0), "50");
    }
}
