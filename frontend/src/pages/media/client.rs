//! The resumable, chunked upload as the browser runs it against the REST API
//! (`/api/v1/uploads`): find or create the upload, send each missing part
//! as a `file.slice(..)` (never the whole file in memory), retry a failed
//! part with backoff, then ask the server to complete it — re-sending parts
//! it says are missing.
//!
//! The upload id is remembered in `localStorage` under a key made from the
//! file's name, size and modification time, so choosing the same file after
//! a reload continues where it stopped.

use std::rc::Rc;

use courses::i18n::{ErrorCode, Localize};
use courses::media::{FileName, MediaSummary, NewUpload, PartUrl, UploadStatus};
use courses::{Lang, OrgId};
use web_sys::File;

use super::plan::{backoff_ms, bytes_received, missing_parts, part_range, storage_key, MAX_ATTEMPTS};
use super::transport::{self, Control, Fail, Stop};

/// The REST collection of uploads.
pub const UPLOADS_URL: &str = "/api/v1/uploads";

/// How often the server may answer "parts missing" to `complete` before we
/// give up (each time the missing parts are sent again first).
const COMPLETE_ROUNDS: u32 = 3;

/// What the page hears while an upload runs.
#[derive(Debug, Clone)]
pub enum Report {
    /// The server knows the upload; `resumed` when it had parts already.
    Started { status: UploadStatus, resumed: bool },
    /// `sent` of `total` bytes are stored or on their way.
    Progress { sent: u64, total: u64 },
    /// A request failed; trying again after `wait_ms`.
    Retrying { attempt: u32, wait_ms: u32, message: String },
    /// All parts are there; asking the server to queue it.
    Completing,
}

/// How an upload ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Queued for processing (the list shows it from now on).
    Done,
    /// Stopped by the person; choosing the file again resumes it.
    Paused,
    /// Abandoned; the server has dropped the parts.
    Cancelled,
    /// Refused or out of retries; the message says why.
    Failed(String),
}

/// One file to upload into `org_id`.
pub struct Job {
    pub file: File,
    pub org_id: OrgId,
    pub csrf: String,
    pub lang: Lang,
    pub control: Rc<Control>,
    pub report: Rc<dyn Fn(Report)>,
}

impl Job {
    /// The key under which this file's upload id is remembered.
    pub fn key(&self) -> String {
        storage_key(&self.file.name(), self.size(), self.file.last_modified())
    }

    fn size(&self) -> u64 {
        self.file.size().max(0.0) as u64
    }
}

/// Whether an unfinished upload of this file is remembered here.
pub fn has_stored_upload(file: &File) -> bool {
    transport::recall(&storage_key(&file.name(), file.size().max(0.0) as u64, file.last_modified())).is_some()
}

/// Runs the upload to its end.
pub async fn run(job: Job) -> Outcome {
    let mut upload_id = None;
    let result = drive(&job, &mut upload_id).await;
    match result {
        Ok(()) => {
            transport::forget(&job.key());
            Outcome::Done
        }
        Err(Fail::Stopped(Stop::Pause)) => Outcome::Paused,
        Err(Fail::Stopped(Stop::Cancel)) => {
            transport::forget(&job.key());
            if let Some(id) = upload_id {
                // Best effort: an upload nobody finishes expires anyway.
                let _ = abandon(&id, &job.csrf, job.lang).await;
            }
            Outcome::Cancelled
        }
        Err(Fail::Transient(message) | Fail::Refused(_, message)) => Outcome::Failed(message),
    }
}

/// Abandons upload `id` on the server and forgets it here.
pub async fn abandon(id: &str, csrf: &str, lang: Lang) -> Result<(), String> {
    transport::forget_id(id);
    match transport::empty::<()>("DELETE", &upload_url(id), csrf, None, lang).await {
        // Already gone is what we wanted.
        Ok(()) | Err(Fail::Refused(404 | 410, _)) => Ok(()),
        Err(Fail::Transient(m) | Fail::Refused(_, m)) => Err(m),
        Err(Fail::Stopped(_)) => Ok(()),
    }
}

async fn drive(job: &Job, upload_id: &mut Option<String>) -> Result<(), Fail> {
    let mut status = find_or_create(job).await?;
    *upload_id = Some(status.id.clone());
    transport::remember(&job.key(), &status.id);
    (job.report)(Report::Started { resumed: !status.received_parts.is_empty(), status: status.clone() });

    for _ in 0..COMPLETE_ROUNDS {
        send_missing(job, &status).await?;
        job.control.check()?;
        (job.report)(Report::Completing);
        let url = format!("{}/complete", upload_url(&status.id));
        match retrying(job, || transport::json::<(), MediaSummary>("POST", &url, &job.csrf, None, job.lang)).await {
            Ok(_queued) => {
                (job.report)(Report::Progress { sent: status.size, total: status.size });
                return Ok(());
            }
            // Some part did not arrive after all: ask which, send it again.
            Err(Fail::Refused(409, _)) => {
                status = get_status(job, &status.id).await?;
                // Unless an earlier `complete` went through and only its
                // answer was lost.
                if status.media_id.is_some() {
                    return Ok(());
                }
            }
            Err(other) => return Err(other),
        }
    }
    Err(Fail::Refused(409, ErrorCode::Conflict.localize(job.lang)))
}

/// The remembered upload of this file if the server still has it, else a new one.
async fn find_or_create(job: &Job) -> Result<UploadStatus, Fail> {
    if let Some(id) = transport::recall(&job.key()) {
        match get_status(job, &id).await {
            Ok(status) if status.size == job.size() && status.media_id.is_none() => return Ok(status),
            // Finished, expired or not this file after all: start afresh.
            Ok(_) | Err(Fail::Refused(_, _)) => transport::forget(&job.key()),
            Err(other) => return Err(other),
        }
    }
    let file_name = FileName::parse(&job.file.name()).map_err(|e| Fail::Refused(400, e.localize(job.lang)))?;
    let new = NewUpload { org_id: job.org_id, file_name, size: job.size() };
    retrying(job, || transport::json::<NewUpload, UploadStatus>("POST", UPLOADS_URL, &job.csrf, Some(&new), job.lang))
        .await
}

async fn get_status(job: &Job, id: &str) -> Result<UploadStatus, Fail> {
    let url = upload_url(id);
    retrying(job, || transport::json::<(), UploadStatus>("GET", &url, &job.csrf, None, job.lang)).await
}

/// Sends every part the server lacks, in order, reporting progress.
async fn send_missing(job: &Job, status: &UploadStatus) -> Result<(), Fail> {
    let total = status.size;
    let mut done = bytes_received(status);
    (job.report)(Report::Progress { sent: done, total });
    for number in missing_parts(status) {
        let (start, end) = part_range(number, status.part_size, status.size);
        // A Blob view of the range; the browser streams it from disk.
        let body = job
            .file
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|_| Fail::Refused(0, ErrorCode::Internal.localize(job.lang)))?;
        let length = end - start;
        let base = done;
        let report = Rc::clone(&job.report);
        let progress: Rc<dyn Fn(u64)> =
            Rc::new(move |loaded: u64| report(Report::Progress { sent: base + loaded.min(length), total }));
        retrying(job, || send_part(job, status, number, &body, Rc::clone(&progress))).await?;
        done += length;
        (job.report)(Report::Progress { sent: done, total });
    }
    Ok(())
}

/// One attempt at one part: through the server, or straight to object
/// storage with a fresh presigned URL when the upload is `direct`.
async fn send_part(
    job: &Job,
    status: &UploadStatus,
    number: u32,
    body: &web_sys::Blob,
    progress: Rc<dyn Fn(u64)>,
) -> Result<(), Fail> {
    let part = format!("{}/parts/{number}", upload_url(&status.id));
    if status.direct {
        let url_of = format!("{part}/url");
        let target: PartUrl = transport::json::<(), PartUrl>("POST", &url_of, &job.csrf, None, job.lang).await?;
        transport::put_part(&target.url, None, body, &job.control, progress, job.lang).await
    } else {
        transport::put_part(&part, Some(&job.csrf), body, &job.control, progress, job.lang).await
    }
}

/// Runs `attempt` until it succeeds, is refused, the person stops, or
/// [`MAX_ATTEMPTS`] transient failures in a row, waiting longer each time.
async fn retrying<T, F, Fut>(job: &Job, attempt: F) -> Result<T, Fail>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, Fail>>,
{
    let mut tries = 0;
    loop {
        job.control.check()?;
        tries += 1;
        match attempt().await {
            Err(Fail::Transient(message)) if tries < MAX_ATTEMPTS => {
                let wait_ms = backoff_ms(tries);
                (job.report)(Report::Retrying { attempt: tries, wait_ms, message });
                transport::sleep(wait_ms, &job.control).await?;
            }
            other => return other,
        }
    }
}

fn upload_url(id: &str) -> String {
    format!("{UPLOADS_URL}/{}", crate::session::encode_query_value(id))
}
