//! Runs one external program (LibreOffice, pdfinfo, pdftoppm, pdftotext)
//! the way every conversion step needs it: in its own process group, under
//! a time limit, stopped when the job is cancelled, and never outliving the
//! future that runs it. LibreOffice forks (`soffice` starts `soffice.bin`),
//! so killing the direct child is not enough: the whole group is killed.

use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use anyhow::Context;
use courses::media::Problem;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;
use tokio::time::Instant;

use crate::{Control, MediaError};

/// How often a running program checks for cancellation.
const POLL: Duration = Duration::from_millis(100);
/// Most of a program's standard output kept; the rest is read and dropped.
const MAX_STDOUT: usize = 64 << 20;
/// Most of a program's standard error kept (the end, where the cause is).
const MAX_STDERR: usize = 16 << 10;
/// How long the output readers may take once the program is gone.
const DRAIN: Duration = Duration::from_secs(2);

/// What a finished program left behind.
#[derive(Debug)]
pub(crate) struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// The end of standard error, lossily decoded, for logs.
    pub stderr: String,
}

/// Kills a process group when dropped, whatever path the caller takes out.
struct GroupGuard(Option<Pid>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if let Some(group) = self.0 {
            // ESRCH (the group is already gone) is the normal case.
            let _ = killpg(group, Signal::SIGKILL);
        }
    }
}

/// Runs `command` to its end. Stops it (the whole process group) and answers
/// [`Problem::TimedOut`] past `limit`, or [`MediaError::Cancelled`] once
/// `control` is cancelled. A non-zero exit status is the caller's to judge.
pub(crate) async fn run(mut command: Command, limit: Duration, control: &Control) -> Result<Finished, MediaError> {
    control.check()?;
    let program = command.as_std().get_program().to_string_lossy().into_owned();
    command.process_group(0).kill_on_drop(true).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().with_context(|| format!("starting {program}"))?;
    let guard = GroupGuard(child.id().and_then(|id| i32::try_from(id).ok()).map(Pid::from_raw));
    let stdout = tokio::spawn(collect(child.stdout.take(), MAX_STDOUT, Keep::Start));
    let stderr = tokio::spawn(collect(child.stderr.take(), MAX_STDERR, Keep::End));

    let deadline = Instant::now() + limit;
    let outcome = loop {
        tokio::select! {
            status = child.wait() => break status.map_err(|e| anyhow::Error::new(e).context(format!("waiting for {program}"))).map_err(MediaError::Failed),
            _ = tokio::time::sleep_until(deadline) => break Err(timed_out(limit)),
            _ = tokio::time::sleep(POLL) => {
                if control.is_cancelled() {
                    break Err(MediaError::Cancelled);
                }
            }
        }
    };
    // Also kills stragglers of a program that exited by itself. The group id
    // is not reused while any member lives, and the leader was reaped only
    // just now, so this cannot hit an unrelated group.
    drop(guard);
    if outcome.is_err() {
        let _ = child.wait().await;
    }
    let stdout = drained(stdout).await;
    let stderr = String::from_utf8_lossy(&drained(stderr).await).into_owned();
    match outcome {
        Ok(status) => Ok(Finished { status, stdout, stderr }),
        Err(e) => {
            tracing::info!(program, error = %e, stderr = %stderr.trim(), "stopped an external program");
            Err(e)
        }
    }
}

fn timed_out(limit: Duration) -> MediaError {
    let limit_seconds = limit.as_secs_f64().ceil() as u64;
    MediaError::Rejected(Problem::TimedOut { limit_seconds })
}

#[derive(Clone, Copy)]
enum Keep {
    Start,
    End,
}

/// Reads a pipe to its end, keeping at most `max` bytes.
async fn collect<R: AsyncRead + Unpin>(pipe: Option<R>, max: usize, keep: Keep) -> Vec<u8> {
    let Some(mut pipe) = pipe else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    while let Ok(n) = pipe.read(&mut buf).await {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > max {
            match keep {
                Keep::Start => kept.truncate(max),
                Keep::End => {
                    kept.drain(..kept.len() - max);
                }
            }
        }
    }
    kept
}

async fn drained(reader: tokio::task::JoinHandle<Vec<u8>>) -> Vec<u8> {
    match tokio::time::timeout(DRAIN, reader).await {
        Ok(Ok(bytes)) => bytes,
        _ => Vec::new(),
    }
}

/// The end of a program's standard error as context for an error chain.
pub(crate) fn describe(program: &str, finished: &Finished) -> String {
    format!("{program} exited with {}: {}", finished.status, finished.stderr.trim())
}
