//! [`ByteRange`]: the part of an object a reader asked for, with the HTTP
//! rules (RFC 9110 §14.1.2) for turning it into concrete offsets, so both
//! backends answer the same range the same way.

use super::StorageError;

/// Byte range of a read, as HTTP Range gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=N-`: from offset N to the end.
    From(u64),
    /// `bytes=N-M`: offsets N through M, both included; M past the end means
    /// "to the end".
    Inclusive(u64, u64),
    /// `bytes=-N`: the last N bytes (the whole object if it is shorter).
    Suffix(u64),
}

impl ByteRange {
    /// The `(first, last)` inclusive offsets this range selects in an object
    /// of `size` bytes, or [`StorageError::RangeNotSatisfiable`] when it
    /// selects nothing.
    pub fn resolve(self, size: u64) -> Result<(u64, u64), StorageError> {
        let unsatisfiable = StorageError::RangeNotSatisfiable { size };
        // Every satisfiable range ends at or before this; an empty object has
        // no satisfiable range at all.
        let Some(last) = size.checked_sub(1) else {
            return Err(unsatisfiable);
        };
        match self {
            ByteRange::From(start) if start <= last => Ok((start, last)),
            ByteRange::Inclusive(start, end) if start <= end && start <= last => Ok((start, end.min(last))),
            ByteRange::Suffix(len) if len > 0 => Ok((size - len.min(size), last)),
            _ => Err(unsatisfiable),
        }
    }

    /// Whether this range selects nothing whatever the object's size, so
    /// there is no point asking a server for it.
    pub(crate) fn is_always_empty(self) -> bool {
        match self {
            ByteRange::From(_) => false,
            ByteRange::Inclusive(start, end) => end < start,
            ByteRange::Suffix(len) => len == 0,
        }
    }

    /// The value of an HTTP `Range` header asking for this range.
    pub fn to_header(self) -> String {
        match self {
            ByteRange::From(start) => format!("bytes={start}-"),
            ByteRange::Inclusive(start, end) => format!("bytes={start}-{end}"),
            ByteRange::Suffix(len) => format!("bytes=-{len}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsatisfiable(result: Result<(u64, u64), StorageError>) -> bool {
        matches!(result, Err(StorageError::RangeNotSatisfiable { size: 10 }))
    }

    #[test]
    fn ranges_inside_the_object_resolve_to_their_offsets() {
        assert_eq!(ByteRange::From(3).resolve(10).unwrap(), (3, 9));
        assert_eq!(ByteRange::Inclusive(2, 4).resolve(10).unwrap(), (2, 4));
        assert_eq!(ByteRange::Suffix(3).resolve(10).unwrap(), (7, 9));
    }

    #[test]
    fn ranges_running_past_the_end_are_cut_at_the_end() {
        assert_eq!(ByteRange::Inclusive(5, 100).resolve(10).unwrap(), (5, 9));
        assert_eq!(ByteRange::Suffix(100).resolve(10).unwrap(), (0, 9));
    }

    #[test]
    fn ranges_starting_past_the_end_or_empty_are_unsatisfiable() {
        assert!(unsatisfiable(ByteRange::From(10).resolve(10)));
        assert!(unsatisfiable(ByteRange::Inclusive(10, 12).resolve(10)));
        assert!(unsatisfiable(ByteRange::Inclusive(4, 3).resolve(10)));
        assert!(unsatisfiable(ByteRange::Suffix(0).resolve(10)));
    }

    #[test]
    fn no_range_of_an_empty_object_is_satisfiable() {
        for range in [ByteRange::From(0), ByteRange::Inclusive(0, 0), ByteRange::Suffix(1)] {
            assert!(matches!(range.resolve(0), Err(StorageError::RangeNotSatisfiable { size: 0 })));
        }
    }

    #[test]
    fn headers_use_the_http_syntax() {
        assert_eq!(ByteRange::From(5).to_header(), "bytes=5-");
        assert_eq!(ByteRange::Inclusive(0, 99).to_header(), "bytes=0-99");
        assert_eq!(ByteRange::Suffix(7).to_header(), "bytes=-7");
    }
}
