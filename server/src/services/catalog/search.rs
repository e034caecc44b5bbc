//! The catalog's search: one lower-cased text per course in
//! `course_search`, indexed by trigrams (SQLite FTS5 `trigram`, PostgreSQL
//! `pg_trgm`), queried with `LIKE '%word%'` per word. Chinese needs no
//! word breaking this way: any substring of three or more characters is
//! answered from the index; shorter words (most two-character Chinese
//! words) are checked by a scan of the same table, which still only holds
//! one row per course.

use courses::course::find::search_document;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::db::{courses as course_rows, lessons, media_slides};
use crate::error::Result;

fn table() -> Alias {
    Alias::new("course_search")
}

/// Rebuilds the search text of one course, inside the caller's
/// transaction.
pub async fn reindex(db: &impl ConnectionTrait, course_id: i64) -> Result<()> {
    let backend = db.get_database_backend();
    let delete =
        Query::delete().from_table(table()).and_where(Expr::col(Alias::new("course_id")).eq(course_id)).to_owned();
    db.execute_raw(backend.build(&delete)).await?;
    let Some(course) = course_rows::Entity::find_by_id(course_id).one(db).await? else {
        return Ok(());
    };
    let lessons = lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?;
    let decks: Vec<i64> = lessons.iter().flat_map(|l| [l.media_id, l.slides_media_id]).flatten().collect();
    let slides = media_slides::Entity::find()
        .filter(media_slides::Column::MediaId.is_in(decks))
        .order_by_asc(media_slides::Column::MediaId)
        .order_by_asc(media_slides::Column::Number)
        .all(db)
        .await?;
    let articles: Vec<String> = lessons.iter().filter_map(|l| l.article.as_deref()).map(plain_text).collect();
    let parts = [course.title.as_str(), course.summary.as_str()]
        .into_iter()
        .chain(lessons.iter().map(|l| l.title.as_str()))
        .chain(articles.iter().map(String::as_str))
        .chain(slides.iter().map(|s| s.text.as_str()));
    let body = search_document(parts);
    let insert = Query::insert()
        .into_table(table())
        .columns([Alias::new("course_id"), Alias::new("body")])
        .values([course_id.into(), body.into()])
        .map_err(|e| crate::error::Error::Internal(e.into()))?
        .to_owned();
    db.execute_raw(backend.build(&insert)).await?;
    Ok(())
}

/// Ids of the courses whose text contains every one of `terms` (already
/// lower-cased by `courses::course::find::search_terms`).
pub async fn matching(db: &impl ConnectionTrait, terms: &[String]) -> Result<Vec<i64>> {
    let mut select = Query::select().column(Alias::new("course_id")).from(table()).to_owned();
    for term in terms {
        let escaped = escape_like(term);
        // SQLite's FTS5 answers LIKE from its trigram index only without an
        // ESCAPE clause, so add one only when the word needs it.
        let like = if escaped.len() == term.len() {
            LikeExpr::new(format!("%{term}%"))
        } else {
            LikeExpr::new(format!("%{escaped}%")).escape('\\')
        };
        select.and_where(Expr::col(Alias::new("body")).like(like));
    }
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(backend.build(&select)).await?;
    rows.iter().map(|r| r.try_get::<i64>("", "course_id").map_err(Into::into)).collect()
}

/// Escapes `LIKE`'s wildcards so a search for `100%` finds "100%".
fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The words of a Markdown article without its markup: inline markup
/// (bold, links, code) joins its neighbours, so "**牢记**使命" is found as
/// 牢记使命; blocks and line breaks separate.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// A short, stable digest of `key`, to make a URL change with its object.
pub fn short_hash(key: &str) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
    }

    #[test]
    fn inline_markup_joins_its_neighbours() {
        let text = plain_text("**牢记**使命，*不忘*初心，[学习](https://example.org/)党章。");
        assert!(text.contains("牢记使命") && text.contains("不忘初心") && text.contains("学习党章"), "{text}");
    }

    #[test]
    fn markup_is_dropped_from_articles() {
        assert_eq!(
            plain_text("## 学习**党章**\n\n- 第一条").split_whitespace().collect::<Vec<_>>(),
            ["学习党章", "第一条"]
        );
    }
}
