//! The arithmetic of a chunked upload, kept free of browser types so it is
//! tested natively: which byte range a part covers, which parts are still
//! missing, how long to wait before retrying, and how a file is recognised
//! again after a reload.

use courses::media::UploadStatus;

/// Prefix of the `localStorage` keys that remember unfinished uploads.
pub const STORAGE_PREFIX: &str = "dx-upload:";

/// The `localStorage` key under which the upload id of a file is kept. A
/// file is the same file again when its name, size and modification time
/// all match (the browser exposes nothing better without reading it).
pub fn storage_key(name: &str, size: u64, last_modified: f64) -> String {
    // Milliseconds since the epoch fit f64 exactly; printing them as an
    // integer keeps keys stable across browsers' float formatting.
    format!("{STORAGE_PREFIX}{size}:{}:{name}", last_modified.max(0.0).round() as u64)
}

/// The byte range `[start, end)` that part `number` (1-based) covers.
pub fn part_range(number: u32, part_size: u64, size: u64) -> (u64, u64) {
    let start = u64::from(number.saturating_sub(1)).saturating_mul(part_size).min(size);
    let end = start.saturating_add(part_size).min(size);
    (start, end)
}

/// The parts the server does not have yet, ascending.
pub fn missing_parts(status: &UploadStatus) -> Vec<u32> {
    (1..=status.part_count).filter(|n| status.received_parts.binary_search(n).is_err()).collect()
}

/// Bytes of the parts the server already has (counted from the ranges, so a
/// status from an older server version without `bytes_received` still adds up).
pub fn bytes_received(status: &UploadStatus) -> u64 {
    status
        .received_parts
        .iter()
        .map(|&n| {
            let (start, end) = part_range(n, status.part_size, status.size);
            end - start
        })
        .sum()
}

/// Milliseconds to wait before retry `attempt` (1-based) of a part:
/// 1 s, 2 s, 4 s … capped at 30 s.
pub fn backoff_ms(attempt: u32) -> u32 {
    let exp = attempt.saturating_sub(1).min(5);
    (1000u32 << exp).min(30_000)
}

/// How many times one part is tried before the upload stops and waits for
/// the person to press "continue".
pub const MAX_ATTEMPTS: u32 = 8;

/// Whole percent of `done` out of `total`; an empty file is complete.
pub fn percent(done: u64, total: u64) -> u8 {
    if total == 0 {
        return 100;
    }
    // Computed in u128 so that no size can overflow the product.
    let p = u128::from(done.min(total)) * 100 / u128::from(total);
    u8::try_from(p).unwrap_or(100)
}

/// A size for people: `812 B`, `3.4 KB`, `12.0 MB`, `1.50 GB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit >= 2 {
        format!("{value:.2} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::media::FileName;
    use courses::OrgId;

    fn status(size: u64, part_size: u64, received: &[u32]) -> UploadStatus {
        UploadStatus {
            id: "u1".into(),
            org_id: OrgId(1),
            file_name: FileName::parse("讲座.mp4").expect("valid test name"),
            size,
            part_size,
            part_count: u32::try_from(size.div_ceil(part_size)).expect("few parts"),
            received_parts: received.to_vec(),
            bytes_received: 0,
            direct: false,
            expires_at: 0,
            media_id: None,
        }
    }

    #[test]
    fn parts_cover_the_file_exactly_and_the_last_one_is_short() {
        assert_eq!(part_range(1, 10, 25), (0, 10));
        assert_eq!(part_range(2, 10, 25), (10, 20));
        assert_eq!(part_range(3, 10, 25), (20, 25));
        assert_eq!(part_range(4, 10, 25), (25, 25));
    }

    #[test]
    fn only_parts_the_server_lacks_are_sent_again() {
        assert_eq!(missing_parts(&status(25, 10, &[1, 3])), vec![2]);
        assert_eq!(missing_parts(&status(25, 10, &[])), vec![1, 2, 3]);
        assert!(missing_parts(&status(25, 10, &[1, 2, 3])).is_empty());
    }

    #[test]
    fn an_empty_file_has_no_parts_and_is_complete() {
        let empty = UploadStatus { part_count: 0, ..status(0, 10, &[]) };
        assert!(missing_parts(&empty).is_empty());
        assert_eq!(percent(0, 0), 100);
    }

    #[test]
    fn received_bytes_count_the_short_last_part_as_short() {
        assert_eq!(bytes_received(&status(25, 10, &[1, 3])), 15);
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds() {
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(2), 2000);
        assert_eq!(backoff_ms(5), 16_000);
        assert_eq!(backoff_ms(6), 30_000);
        assert_eq!(backoff_ms(40), 30_000);
    }

    #[test]
    fn the_same_file_gets_the_same_key_and_a_changed_one_does_not() {
        let key = storage_key("讲座.mp4", 123, 1_700_000_000_000.0);
        assert_eq!(key, "dx-upload:123:1700000000000:讲座.mp4");
        assert_ne!(key, storage_key("讲座.mp4", 124, 1_700_000_000_000.0));
        assert_ne!(key, storage_key("讲座.mp4", 123, 1_700_000_000_001.0));
    }

    #[test]
    fn percent_rounds_down_and_never_passes_100() {
        assert_eq!(percent(42, 100), 42);
        assert_eq!(percent(999, 1000), 99);
        assert_eq!(percent(2000, 1000), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(812), "812 B");
        assert_eq!(human_bytes(3 * 1024 + 400), "3.4 KB");
        assert_eq!(human_bytes(12 * 1024 * 1024), "12.0 MB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024 / 2), "1.50 GB");
    }
}
