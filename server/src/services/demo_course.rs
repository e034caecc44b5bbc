//! The demo course for the quick start: a required course in two chapters
//! with a video lesson (with Chinese captions), an audio lecture, a mixed
//! video + slides lesson, a slide deck and an article, published for
//! 第一党支部, so a newcomer can study it at once as `member` and see it as
//! `organizer`.
//!
//! Its media go through the real pipeline: the files (embedded from
//! `tests/fixtures/`, see the README there for their sources) are stored as
//! uploads would leave them and queued for the worker. The course is created
//! only once every item is processed, so nobody sees it half-built; a
//! restart before then reuses what was already stored.

use std::time::Duration;

use courses::course::{Audience, ChapterIn, CourseSettings, NewCourse, NewLesson};
use courses::media::MediaState;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::config::Settings;
use crate::db::{courses as course_rows, media, orgs, people};
use crate::error::{Error, Result};
use crate::services::{auth, catalog, media as media_service};
use crate::storage::Store;

/// The course title; its presence in the organizer's branch means done.
pub const TITLE: &str = "学习党章 做合格党员（演示课程）";
const SUMMARY: &str = "演示课程：一段视频、一段音频讲座、一份课件和一篇导读文章。学习进度、学时和回执都会如实记录。";
const ORGANIZER: &str = "organizer";

/// The demo lessons, in course order: title, file name, bytes.
const MEDIA: [(&str, &str, &[u8]); 3] = [
    (
        "第一讲 视频：党章学习导引",
        "党章学习导引.webm",
        include_bytes!("../../../tests/fixtures/media/Big_Buck_Bunny_180_10s.webm"),
    ),
    ("第二讲 音频：支部书记讲党课", "支部书记讲党课.wav", include_bytes!("../../../tests/fixtures/media/audio-3s.wav")),
    ("第四讲 课件：学习党章", "学习党章.pptx", include_bytes!("../../../tests/fixtures/slides/chinese-2-slides.pptx")),
];

const MIXED_TITLE: &str = "第三讲 视频+课件：党章学习导引（配套课件）";
const ARTICLE_TITLE: &str = "第五讲 导读：怎样学好党章";
/// Chinese captions for the demo video.
const CAPTIONS: &[u8] = include_bytes!("../../../tests/fixtures/captions/demo-zh.vtt");
const ARTICLE: &str = "\
## 一、为什么要学党章

党章是党的根本大法，是全党必须共同遵守的根本行为规范。学习党章，是每名党员的基本功。

## 二、怎样学

### （一）通读原文

先完整读一遍，再按章节逐条学习，做好笔记。

### （二）联系实际

对照党员义务和权利，查找自己在思想、工作、作风上的差距。

## 三、问答

<details><summary>问：什么是“三会一课”？</summary>

答：定期召开支部党员大会、支部委员会、党小组会，按时上好党课。

</details>

<details><summary>问：缺席了支部学习怎么办？</summary>

答：在平台上补学会议使用的学习资料，补学进度会自动记录。

</details>
";

/// Seeds the demo course unless it exists; waits for the worker. Errors are
/// logged, never fatal: the demo course is a courtesy.
pub async fn seed(db: DatabaseConnection, store: std::sync::Arc<dyn Store>, settings: Settings) {
    if let Err(e) = try_seed(&db, &*store, &settings).await {
        tracing::warn!(error = %e, "the demo course was not created");
    }
}

async fn try_seed(db: &DatabaseConnection, store: &dyn Store, settings: &Settings) -> Result<()> {
    let Some(person) = people::Entity::find().filter(people::Column::Login.eq(ORGANIZER)).one(db).await? else {
        return Ok(());
    };
    let org = orgs::Entity::find_by_id(person.org_id).one(db).await?.ok_or(Error::NotFound)?;
    let exists = course_rows::Entity::find()
        .filter(course_rows::Column::OrgId.eq(org.id))
        .filter(course_rows::Column::Title.eq(TITLE))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let actor = auth::actor_of(&person, &org)?;
    let mut items = Vec::new();
    for (title, file_name, bytes) in MEDIA {
        let existing = media::Entity::find()
            .filter(media::Column::OrgId.eq(org.id))
            .filter(media::Column::FileName.eq(file_name))
            .filter(media::Column::State.ne(MediaState::Failed.as_str()))
            .filter(media::Column::State.ne(MediaState::Cancelled.as_str()))
            .one(db)
            .await?;
        let id = match existing {
            Some(m) => m.id,
            None => media_service::register_bytes(db, store, settings, org.id, &person, file_name, bytes).await?.id,
        };
        items.push((title, id));
    }
    tracing::info!("demo course: waiting for the worker to process its media");
    for _ in 0..600 {
        let states: Vec<MediaState> = media::Entity::find()
            .filter(media::Column::Id.is_in(items.iter().map(|(_, id)| *id)))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.state())
            .collect();
        if states.iter().any(|s| matches!(s, MediaState::Failed | MediaState::Cancelled)) {
            return Err(Error::Internal(anyhow::anyhow!("a demo media item could not be processed")));
        }
        if states.len() == items.len() && states.iter().all(|s| *s == MediaState::Ready) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let course = catalog::create(
        db,
        &actor,
        NewCourse {
            org_id: org.id,
            title: TITLE.into(),
            summary: SUMMARY.into(),
            rules: None,
            required: true,
            credit_hours: 2.0,
        },
    )
    .await?;
    // Required by the end of this year, for the whole branch.
    let year = chrono::Datelike::year(&chrono::Utc::now().with_timezone(&settings.time_zone()));
    catalog::update(
        db,
        &actor,
        course.id,
        CourseSettings {
            title: TITLE.into(),
            summary: SUMMARY.into(),
            required: true,
            credit_hours: 2.0,
            due_on: Some(format!("{year}-12-31")),
            audience: Audience::subtree_of(org.id),
        },
    )
    .await?;
    let watch = catalog::add_chapter(db, &actor, course.id, ChapterIn { title: "第一章 视听学习".into() }).await?;
    let read = catalog::add_chapter(db, &actor, course.id, ChapterIn { title: "第二章 课件与阅读".into() }).await?;
    let (video, audio, slides) = (items[0], items[1], items[2]);
    let lessons = [
        (video.0, Some(video.1), None, Some(watch.id)),
        (audio.0, Some(audio.1), None, Some(watch.id)),
        (MIXED_TITLE, Some(video.1), Some(slides.1), Some(watch.id)),
        (slides.0, Some(slides.1), None, Some(read.id)),
    ];
    let mut first_video = None;
    for (title, media_id, slides_media_id, chapter_id) in lessons {
        let lesson = catalog::add_lesson(
            db,
            &actor,
            course.id,
            NewLesson { title: title.into(), media_id, article: None, slides_media_id, chapter_id, exam_id: None },
        )
        .await?;
        first_video.get_or_insert(lesson.id);
    }
    catalog::add_lesson(
        db,
        &actor,
        course.id,
        NewLesson {
            title: ARTICLE_TITLE.into(),
            media_id: None,
            article: Some(ARTICLE.into()),
            slides_media_id: None,
            chapter_id: Some(read.id),
            exam_id: None,
        },
    )
    .await?;
    if let Some(lesson) = first_video {
        catalog::files::put_captions(db, store, &actor, lesson, bytes::Bytes::from_static(CAPTIONS)).await?;
    }
    catalog::set_published(db, &actor, course.id, true).await?;
    tracing::info!(course = course.id, "demo course published");
    Ok(())
}
