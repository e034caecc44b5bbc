//! What a lesson page shows: the lesson in its course, the media it plays
//! or pages through, and the member's progress.
//!
//! Media files are served under the lesson (`/api/v1/lessons/{id}/files/…`)
//! to whoever may study it: studying needs no access to the organizers'
//! material library, and the lesson's audience decides who may fetch it.

use courses::course::LessonStudy;
use courses::progress::api::LessonProgress;
use courses::Actor;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::db::media;
use crate::error::{Error, Result};
use crate::services::{catalog, media as media_service};
use crate::storage::ObjectKey;

/// Where a lesson's media file is served, given its path relative to the
/// media's outputs (as playlists name them).
pub fn file_url(lesson_id: i64, rel: &str) -> String {
    format!("/api/v1/lessons/{lesson_id}/files/{rel}")
}

/// Where a file of a mixed lesson's companion slide deck is served.
pub fn deck_url(lesson_id: i64, rel: &str) -> String {
    format!("/api/v1/lessons/{lesson_id}/deck/{rel}")
}

/// The lesson page's data, if the actor may study the lesson.
pub async fn lesson_page(db: &DatabaseConnection, actor: &Actor, lesson_id: i64) -> Result<LessonStudy> {
    let lesson = catalog::lesson_for_study(db, actor, lesson_id).await?;
    let item = match lesson.row.media_id {
        Some(id) => media::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let ready = item.as_ref().filter(|m| m.is_ready());
    let url = |rel: &str| file_url(lesson_id, rel);
    let slides = match ready {
        Some(m) if m.slide_count.unwrap_or(0) > 0 => media_service::slides_of(db, m, url).await?,
        _ => match lesson.row.slides_media_id {
            // The companion deck of a mixed lesson.
            Some(deck) => match media::Entity::find_by_id(deck).one(db).await? {
                Some(d) if d.is_ready() => {
                    media_service::slides_of(db, &d, |rel: &str| deck_url(lesson_id, rel)).await?
                }
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
    };
    let ledger = super::ledger_for(db, actor.id.0, lesson_id).await?;
    Ok(LessonStudy {
        lesson: catalog::lesson_view(&lesson.row)?,
        course_title: lesson.course.row.title.clone(),
        rules: lesson.course.rules,
        playlist_url: ready.and_then(|m| m.playlist.as_deref()).map(url),
        poster_url: ready.and_then(|m| m.poster.as_deref()).map(url),
        renditions: ready.map(media_service::renditions_of).unwrap_or_default(),
        slides,
        article: lesson.row.article.as_deref().map(super::article::render),
        siblings: catalog::lessons_of(db, lesson.row.course_id).await?,
        chapters: catalog::chapters_of(db, lesson.row.course_id).await?,
        captions_url: lesson.row.captions_key.as_ref().map(|_| format!("/api/v1/lessons/{lesson_id}/captions.vtt")),
        attachments: catalog::attachments_of(db, lesson_id).await?,
        preview: actor.can_manage_course(&lesson.course.org).is_ok(),
        article_source: lesson.row.article.clone().filter(|_| actor.can_manage_course(&lesson.course.org).is_ok()),
        progress: LessonProgress::of(lesson_id, &lesson.facts, &lesson.course.rules, &ledger),
    })
}

/// Which of a lesson's media a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonMedia {
    /// What the lesson plays or shows.
    Main,
    /// The slide deck beside a mixed lesson's video.
    Deck,
}

/// The object key of a file of the lesson's media, if the actor may study
/// the lesson and the media is ready.
pub async fn file_key(
    db: &DatabaseConnection,
    actor: &Actor,
    lesson_id: i64,
    which: LessonMedia,
    rel: &str,
) -> Result<ObjectKey> {
    let lesson = catalog::lesson_for_study(db, actor, lesson_id).await?;
    let media_id = match which {
        LessonMedia::Main => lesson.row.media_id,
        LessonMedia::Deck => lesson.row.slides_media_id,
    }
    .ok_or(Error::NotFound)?;
    let item = media::Entity::find_by_id(media_id).one(db).await?.ok_or(Error::NotFound)?;
    media_service::output_key(&item, rel)
}
