//! The `add_renditions` job: the second pass over a video that
//! [`super::process_media`] published with its lowest rendition only. It
//! decodes the source again, makes the rungs above the lowest, uploads them
//! beside the published outputs under a directory of this attempt's own
//! (`<prefix>j<job>a<attempt>/`), writes a master playlist of the whole
//! ladder (`<prefix>master-j<job>a<attempt>.m3u8`) and switches the item to
//! it in one transaction with the job's ending. Players that loaded the
//! first master keep playing the lowest rung; the next load gets them all.
//! Until the switch nothing of the run is referenced; on failure its files
//! are deleted, and the lesson keeps playing in the lowest rendition.
//!
//! Queued when the lowest rung is published, after the uploads queued
//! before it: the claim takes jobs oldest first, so a batch of lectures all
//! becomes playable before any of them gets its higher rungs.

use std::time::Duration;

use anyhow::Context;
use dangxiao_media::video::{self, Part};
use dangxiao_media::Control;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};

use super::outputs::{content_type_of, delete_prefix, download, upload_dir, work_dir};
use super::queue::NewJob;
use super::{process_media, Handler, JobError, Lease, Outcome};
use crate::config::Settings;
use crate::db::media::LadderState;
use crate::db::{media, now};
use crate::services::media::renditions_of;
use crate::state::AppState;
use crate::storage::{bytes_stream, read_all, ObjectKey};

pub const KIND: &str = "add_renditions";

/// A master playlist is a few hundred bytes; anything far larger is not ours.
const MASTER_LIMIT: usize = 64 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payload {
    pub media_id: i64,
    /// The published outputs the rungs are added to; when the item has
    /// other outputs by the time the job runs, it has nothing to do.
    pub prefix: String,
}

pub fn job(settings: &Settings, media_id: i64, prefix: &str) -> NewJob {
    NewJob {
        kind: KIND,
        dedupe_key: dedupe_key(media_id),
        payload: serde_json::json!(Payload { media_id, prefix: prefix.to_owned() }),
        max_attempts: 3,
        timeout: Duration::from_secs(u64::from(settings.job_timeout_minutes) * 60),
    }
}

pub fn dedupe_key(media_id: i64) -> String {
    format!("renditions:{media_id}")
}

pub struct AddRenditions;

#[async_trait::async_trait]
impl Handler for AddRenditions {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, state: &AppState, lease: &Lease, control: &Control) -> Result<(), JobError> {
        let payload: Payload = lease.payload()?;
        let item = media::Entity::find_by_id(payload.media_id).one(&state.db).await.context("loading media")?;
        let Some(item) = item.filter(|m| m.is_ready() && m.output_prefix.as_deref() == Some(&payload.prefix)) else {
            // Deleted or replaced since: nothing to add to.
            lease.succeed_alone(&state.db).await.context("finishing")?;
            return Ok(());
        };
        let lower_master = item.playlist.clone().context("a published video without a playlist")?;

        let work = work_dir(&state.settings.data_dir)?;
        let source = work.path().join("source");
        download(&*state.store, &item.source_key, &source).await?;
        control.check()?;
        let out = work.path().join("out");
        tokio::fs::create_dir_all(&out).await.context("creating the output directory")?;
        let settings = process_media::video_settings(&state.settings);
        let (input, output_dir, run_control) = (source.clone(), out.clone(), control.clone());
        let output = tokio::task::spawn_blocking(move || {
            video::transcode_part(&input, &output_dir, &settings, &run_control, Part::AboveLowest)
        })
        .await
        .context("transcoding panicked")??;
        control.check()?;

        let attempt = format!("j{}a{}", lease.job.id, lease.job.attempts);
        let rungs_prefix = format!("{}{attempt}/", payload.prefix);
        let master_key = ObjectKey::parse(&format!("{}master-{attempt}.m3u8", payload.prefix)).context("master key")?;
        let mut heights = renditions_of(&item);
        heights.extend(output.renditions.iter().map(|r| r.height));
        heights.sort_unstable_by(|a, b| b.cmp(a));
        heights.dedup();
        let uploaded = async {
            for rendition in &output.renditions {
                let dir = rendition.playlist.parent().context("a rendition playlist without its directory")?;
                let name = dir.to_str().context("rendition directory is not UTF-8")?;
                upload_dir(&*state.store, &out.join(dir), &format!("{rungs_prefix}{name}/")).await?;
            }
            let lower_key = ObjectKey::parse(&format!("{}{lower_master}", payload.prefix)).context("master key")?;
            let lower = read_all(&*state.store, &lower_key, MASTER_LIMIT).await.context("reading the first master")?;
            let higher = tokio::fs::read_to_string(out.join(&output.master_playlist)).await?;
            let merged = video::merge_masters(&String::from_utf8_lossy(&lower), &higher, &attempt)?;
            let content_type = content_type_of(master_key.as_str());
            state.store.put(&master_key, bytes_stream(merged.into()), Some(&content_type)).await?;
            publish(state, lease, item.id, &payload.prefix, &format!("master-{attempt}.m3u8"), &heights).await
        }
        .await;
        let discard = || async {
            delete_prefix(&*state.store, &rungs_prefix).await;
            if let Err(e) = state.store.delete(&master_key).await {
                tracing::warn!(key = %master_key, error = %e, "could not delete a discarded master playlist");
            }
        };
        match uploaded {
            Ok(Published::Yes) => Ok(()),
            Ok(Published::Superseded) => {
                discard().await;
                Ok(())
            }
            Ok(Published::LeaseLost) => {
                discard().await;
                Err(JobError::Failed(anyhow::anyhow!("lease lost before publishing; results discarded")))
            }
            Err(e) => {
                discard().await;
                Err(JobError::Failed(e))
            }
        }
    }

    async fn ended(&self, txn: &DatabaseTransaction, lease: &Lease, outcome: &Outcome) -> anyhow::Result<()> {
        let payload: Payload = lease.payload()?;
        let problem = match outcome {
            Outcome::Retrying => return Ok(()),
            Outcome::Failed(problem) => Some(problem),
            Outcome::Cancelled => None,
        };
        let stored = problem.map(serde_json::to_string).transpose()?;
        media::Entity::update_many()
            .col_expr(media::Column::Ladder, Some(LadderState::Failed).into())
            .col_expr(media::Column::LadderProblem, stored.into())
            .filter(media::Column::Id.eq(payload.media_id))
            .filter(media::Column::OutputPrefix.eq(payload.prefix))
            .exec(txn)
            .await?;
        Ok(())
    }
}

enum Published {
    Yes,
    /// The item was deleted or got other outputs meanwhile.
    Superseded,
    LeaseLost,
}

/// Switches the item to the whole ladder's master, with the job's ending.
async fn publish(
    state: &AppState,
    lease: &Lease,
    media_id: i64,
    prefix: &str,
    master: &str,
    heights: &[u32],
) -> anyhow::Result<Published> {
    let txn = state.db.begin().await?;
    if !lease.succeed(&txn).await? {
        return Ok(Published::LeaseLost);
    }
    let renditions: Vec<String> = heights.iter().map(u32::to_string).collect();
    let updated = media::Entity::update_many()
        .col_expr(media::Column::Playlist, Some(master.to_owned()).into())
        .col_expr(media::Column::Renditions, Some(renditions.join(",")).into())
        .col_expr(media::Column::Ladder, Some(LadderState::Complete).into())
        .col_expr(media::Column::LadderProblem, Option::<String>::None.into())
        .col_expr(media::Column::UpdatedAt, now().into())
        .filter(media::Column::Id.eq(media_id))
        .filter(media::Column::OutputPrefix.eq(prefix))
        .filter(media::Column::State.eq(media::State::Ready))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(if updated.rows_affected == 1 { Published::Yes } else { Published::Superseded })
}
