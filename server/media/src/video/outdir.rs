//! The output directory's contract: it starts empty, and it ends either
//! complete or empty again, whatever went wrong in between.

use std::path::Path;

use crate::MediaError;

/// Refuses a missing or non-empty output directory: whatever is in it is not
/// ours to delete when a transcode fails.
pub(crate) fn ensure_empty(dir: &Path) -> Result<(), MediaError> {
    let mut entries =
        std::fs::read_dir(dir).map_err(|e| anyhow::Error::new(e).context(format!("opening {}", dir.display())))?;
    if entries.next().is_some() {
        return Err(anyhow::anyhow!("output directory {} is not empty", dir.display()).into());
    }
    Ok(())
}

/// Empties the directory when dropped, unless [`CleanOnDrop::keep`] was
/// called. Every writer (the rendition threads, the muxers) has finished by
/// the time it runs, because they are scoped inside the transcode.
pub(crate) struct CleanOnDrop<'a> {
    dir: &'a Path,
    keep: bool,
}

impl<'a> CleanOnDrop<'a> {
    pub fn new(dir: &'a Path) -> CleanOnDrop<'a> {
        CleanOnDrop { dir, keep: false }
    }

    pub fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for CleanOnDrop<'_> {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        let Ok(entries) = std::fs::read_dir(self.dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let removed = match entry.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
            if let Err(e) = removed {
                tracing::warn!(path = %path.display(), error = %e, "could not remove a partial output");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_empties_the_directory_and_a_kept_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("v720")).unwrap();
        std::fs::write(dir.path().join("v720/seg_00001.m4s"), b"x").unwrap();
        std::fs::write(dir.path().join("master.m3u8"), b"x").unwrap();
        drop(CleanOnDrop::new(dir.path()));
        assert!(ensure_empty(dir.path()).is_ok());

        std::fs::write(dir.path().join("master.m3u8"), b"x").unwrap();
        CleanOnDrop::new(dir.path()).keep();
        assert!(ensure_empty(dir.path()).is_err());
    }
}
