//! The admins' sensitive-word list, and finding its words in a comment.
//!
//! Comments and words are normalised alike before matching, so that the
//! usual ways around a list do not get around it:
//! - NFKC folds full-width letters and digits (ＡＢＣ１２３) to ASCII;
//! - traditional characters are mapped to simplified ones (賭博 → 赌博);
//! - everything but letters, digits and ideographs is dropped, so spaces,
//!   punctuation and zero-width characters between characters do not split
//!   a word (赌 博, 赌.博, 赌\u{200b}博);
//! - letters are lower-cased.
//!
//! Then one aho-corasick automaton finds every listed word in one pass.

use aho_corasick::AhoCorasick;
use courses::discussion::{DiscussionError, SensitiveWords};
use courses::Actor;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, TransactionTrait};
use unicode_normalization::UnicodeNormalization;

use crate::db::{self, sensitive_words};
use crate::error::{Error, Result};
use crate::services::hide_out_of_scope;

/// The text as it is matched.
pub fn normalize(text: &str) -> String {
    let folded: String = text.nfkc().collect();
    let simplified = character_converter::traditional_to_simplified(&folded);
    simplified.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The list, ready to match.
pub struct WordList {
    /// The words as listed, in the automaton's pattern order.
    words: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl WordList {
    pub fn new(listed: Vec<String>) -> Result<WordList> {
        let (words, patterns): (Vec<String>, Vec<String>) =
            listed.into_iter().map(|w| (normalize(&w), w)).filter(|(n, _)| !n.is_empty()).map(|(n, w)| (w, n)).unzip();
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&patterns).map_err(|e| Error::Internal(anyhow::anyhow!("word list: {e}")))?)
        };
        Ok(WordList { words, matcher })
    }

    /// The listed words found in `text`, each once, as listed.
    pub fn matches(&self, text: &str) -> Vec<String> {
        let Some(m) = &self.matcher else { return Vec::new() };
        let mut found: Vec<usize> = m.find_overlapping_iter(&normalize(text)).map(|h| h.pattern().as_usize()).collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| self.words[i].clone()).collect()
    }
}

pub async fn load(db: &impl ConnectionTrait) -> Result<WordList> {
    let words = sensitive_words::Entity::find()
        .order_by_asc(sensitive_words::Column::Word)
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect();
    WordList::new(words)
}

/// The list, for admins.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<SensitiveWords> {
    hide_out_of_scope(actor.can_edit_word_list())?;
    let words = sensitive_words::Entity::find()
        .order_by_asc(sensitive_words::Column::Word)
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect();
    Ok(SensitiveWords { words })
}

/// Replaces the list (admins). Every word must keep a letter, digit or
/// ideograph once normalised; a word of punctuation alone would match nothing.
pub async fn replace(db: &DatabaseConnection, actor: &Actor, new: SensitiveWords) -> Result<SensitiveWords> {
    hide_out_of_scope(actor.can_edit_word_list())?;
    let words = new.checked().map_err(|e| Error::invalid(&e))?;
    if words.iter().any(|w| normalize(w).is_empty()) {
        return Err(Error::invalid(&DiscussionError::BadWord));
    }
    let now = db::now_ms();
    let tx = db.begin().await?;
    sensitive_words::Entity::delete_many().exec(&tx).await?;
    for chunk in words.chunks(500) {
        sensitive_words::Entity::insert_many(chunk.iter().map(|w| sensitive_words::ActiveModel {
            word: Set(w.clone()),
            added_by_id: Set((actor.id.0 > 0).then_some(actor.id.0)),
            added_at_ms: Set(now),
        }))
        .exec_without_returning(&tx)
        .await?;
    }
    tx.commit().await?;
    list(db, actor).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> WordList {
        WordList::new(words.iter().map(|w| (*w).to_owned()).collect()).unwrap()
    }

    #[test]
    fn full_width_spaced_and_traditional_forms_are_found() {
        let l = list(&["赌博", "代开发票", "abc"]);
        assert_eq!(l.matches("周末一起去赌博吧"), vec!["赌博"]);
        assert_eq!(l.matches("赌 博"), vec!["赌博"], "spaces between the characters");
        assert_eq!(l.matches("赌\u{3000}博"), vec!["赌博"], "an ideographic space");
        assert_eq!(l.matches("赌\u{200b}博"), vec!["赌博"], "a zero-width space");
        assert_eq!(l.matches("赌.博，代-开-发-票"), vec!["赌博", "代开发票"]);
        assert_eq!(l.matches("去賭博"), vec!["赌博"], "traditional characters");
        assert_eq!(l.matches("代開發票"), vec!["代开发票"]);
        assert_eq!(l.matches("ＡＢＣ"), vec!["abc"], "full-width letters and any case");
        assert!(l.matches("认真学习党章").is_empty());
    }

    #[test]
    fn listed_words_in_any_form_match_plain_text() {
        let l = list(&["賭 博", "ＸＹ"]);
        assert_eq!(l.matches("不要赌博"), vec!["賭 博"]);
        assert_eq!(l.matches("xy"), vec!["ＸＹ"]);
        assert!(list(&[]).matches("任何内容").is_empty());
        assert!(list(&["!!!"]).matches("!!!").is_empty(), "a word of punctuation alone is no word");
    }
}
