//! The `process_media` job: fetch an uploaded file, find out what it is,
//! transcode it (video, audio) or convert it (slides), upload the outputs
//! under a prefix of their own and publish them in one transaction with the
//! job's ending. Until then nothing of the run is visible; on any failure the
//! prefix is deleted, so nothing is ever half-published.
//!
//! A video is published with its lowest rendition only, and the same
//! transaction queues [`add_renditions`] for the rungs above it: the lesson
//! plays after a fraction of the whole ladder's time.

use std::time::Duration;

use anyhow::Context;
use courses::media::{MediaEvent, MediaKind, Problem};
use dangxiao_media::slides::{self, SlideSettings};
use dangxiao_media::sniff::{self, Format};
use dangxiao_media::video::{self, Part, VideoSettings};
use dangxiao_media::Control;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::outputs::{delete_prefix, download, rel, upload_dir, work_dir};
use super::queue::{self, NewJob};
use super::{add_renditions, Handler, JobError, Lease, Outcome};
use crate::config::Settings;
use crate::db::media::LadderState;
use crate::db::{media, media_slides, now};
use crate::services::media::state as media_state;
use crate::state::AppState;

pub const KIND: &str = "process_media";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub media_id: i64,
}

/// The job for one media item; enqueueing it twice is harmless.
pub fn job(settings: &Settings, media_id: i64) -> NewJob {
    NewJob {
        kind: KIND,
        dedupe_key: dedupe_key(media_id),
        payload: serde_json::json!(Payload { media_id }),
        max_attempts: 3,
        timeout: Duration::from_secs(u64::from(settings.job_timeout_minutes) * 60),
    }
}

pub fn dedupe_key(media_id: i64) -> String {
    format!("media:{media_id}")
}

pub struct ProcessMedia;

/// What a run produced, before it is published.
enum Produced {
    Video(video::VideoOutput),
    Slides(slides::DeckOutput),
}

#[async_trait::async_trait]
impl Handler for ProcessMedia {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, state: &AppState, lease: &Lease, control: &Control) -> Result<(), JobError> {
        let payload: Payload = lease.payload()?;
        let db = &state.db;
        let Some(item) = media::Entity::find_by_id(payload.media_id).one(db).await.context("loading media")? else {
            // Deleted while queued: nothing left to do.
            lease.succeed_alone(db).await.context("finishing")?;
            return Ok(());
        };
        media_state::record(db, item.id, &MediaEvent::Started).await.context("marking media as processing")?;

        let work = work_dir(&state.settings.data_dir)?;
        let source = work.path().join("source");
        download(&*state.store, &item.source_key, &source).await?;
        control.check()?;

        let file_name = item.file_name.clone();
        let sniff_path = source.clone();
        let limit = slide_settings(&state.settings).max_unpacked_bytes;
        let sniffed = tokio::task::spawn_blocking(move || sniff::sniff_with_limit(&sniff_path, &file_name, limit))
            .await
            .context("sniffing panicked")??;
        if !state.settings.accepts_type(sniffed.mime) {
            return Err(JobError::Rejected(Problem::TypeNotAccepted { detected: sniffed.mime.to_owned() }));
        }
        let out = work.path().join("out");
        tokio::fs::create_dir_all(&out).await.context("creating the output directory")?;
        let produced = match sniffed.format {
            Format::AudioVisual => {
                let settings = video_settings(&state.settings);
                let (input, output, control) = (source.clone(), out.clone(), control.clone());
                // The lowest rung alone, so that the lesson plays within a
                // fraction of the whole ladder's time; the rungs above
                // follow in `add_renditions`.
                let output = tokio::task::spawn_blocking(move || {
                    video::transcode_part(&input, &output, &settings, &control, Part::Lowest)
                })
                .await
                .context("transcoding panicked")??;
                Produced::Video(output)
            }
            format => {
                let settings = slide_settings(&state.settings);
                Produced::Slides(slides::convert(&source, format, &out, &settings, control).await?)
            }
        };
        control.check()?;

        let prefix = format!("media/{}/j{}a{}/", item.id, lease.job.id, lease.job.attempts);
        let published = async {
            upload_dir(&*state.store, &out, &prefix).await?;
            publish(state, lease, &item, &prefix, &produced).await
        }
        .await;
        match published {
            Ok(true) => {
                if let Some(old) = item.output_prefix.as_deref().filter(|old| *old != prefix) {
                    delete_prefix(&*state.store, old).await;
                }
                Ok(())
            }
            Ok(false) => {
                delete_prefix(&*state.store, &prefix).await;
                Err(JobError::Failed(anyhow::anyhow!("lease lost before publishing; results discarded")))
            }
            Err(e) => {
                delete_prefix(&*state.store, &prefix).await;
                Err(JobError::Failed(e))
            }
        }
    }

    async fn ended(&self, txn: &DatabaseTransaction, lease: &Lease, outcome: &Outcome) -> anyhow::Result<()> {
        let payload: Payload = lease.payload()?;
        let event = match outcome {
            Outcome::Failed(problem) => MediaEvent::Failed(problem.clone()),
            Outcome::Cancelled => MediaEvent::Cancelled,
            Outcome::Retrying => MediaEvent::Retrying,
        };
        media_state::record(txn, payload.media_id, &event).await?;
        Ok(())
    }
}

pub fn video_settings(settings: &Settings) -> VideoSettings {
    VideoSettings { max_duration_seconds: u64::from(settings.video_max_minutes) * 60, ..VideoSettings::default() }
}

pub fn slide_settings(settings: &Settings) -> SlideSettings {
    SlideSettings {
        convert_timeout: Duration::from_secs(u64::from(settings.slides_timeout_seconds)),
        ..SlideSettings::default()
    }
}

/// Makes the outputs the item's current ones, with the job's ending.
async fn publish(
    state: &AppState,
    lease: &Lease,
    item: &media::Model,
    prefix: &str,
    produced: &Produced,
) -> anyhow::Result<bool> {
    let txn = state.db.begin().await?;
    if !lease.succeed(&txn).await? {
        return Ok(false);
    }
    let mut active = item.clone().into_active_model();
    active.output_prefix = Set(Some(prefix.to_owned()));
    active.updated_at = Set(now());
    media_slides::Entity::delete_many().filter(media_slides::Column::MediaId.eq(item.id)).exec(&txn).await?;
    match produced {
        Produced::Video(v) => {
            active.kind = Set(Some(v.kind.into()));
            active.duration_seconds = Set(Some(v.duration_seconds));
            let heights: Vec<String> = v.renditions.iter().map(|r| r.height.to_string()).collect();
            active.renditions = Set(Some(heights.join(",")));
            active.playlist = Set(Some(rel(&v.master_playlist)));
            active.poster = Set(Some(rel(&v.poster)));
            active.thumbnails = Set(v.thumbnails.as_deref().map(rel));
            active.slide_count = Set(None);
            active.ladder_problem = Set(None);
            if v.rungs_left.is_empty() {
                active.ladder = Set(None);
            } else {
                active.ladder = Set(Some(LadderState::Pending));
                // A job of an earlier publication of this item, if any, made
                // rungs for outputs that are being replaced.
                queue::delete(&txn, &add_renditions::dedupe_key(item.id)).await?;
                queue::enqueue(&txn, add_renditions::job(&state.settings, item.id, prefix)).await?;
            }
        }
        Produced::Slides(deck) => {
            active.kind = Set(Some(MediaKind::Slides.into()));
            active.slide_count = Set(Some(deck.slides.len() as i32));
            active.poster = Set(deck.slides.first().map(|s| rel(&s.small)));
            active.duration_seconds = Set(None);
            active.renditions = Set(None);
            active.playlist = Set(None);
            active.thumbnails = Set(None);
            active.ladder = Set(None);
            active.ladder_problem = Set(None);
            for slide in &deck.slides {
                media_slides::ActiveModel {
                    media_id: Set(item.id),
                    number: Set(slide.number as i32),
                    small_key: Set(format!("{prefix}{}", rel(&slide.small))),
                    large_key: Set(format!("{prefix}{}", rel(&slide.large))),
                    text: Set(slide.text.clone()),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    active.update(&txn).await?;
    media_state::record(&txn, item.id, &MediaEvent::Published).await?;
    txn.commit().await?;
    Ok(true)
}

/// The problem to show for a stored failure, if it can be read.
pub fn stored_problem(raw: Option<&str>) -> Option<Problem> {
    raw.and_then(|r| serde_json::from_str(r).ok())
}
