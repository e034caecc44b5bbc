//! Certificates (结业证书) of party-class graduates: what their holders and
//! organizers see, what the public verification page shows, the serial's
//! form, and how often an address may look serials up.
//!
//! The public sees only whether a certificate is valid, the name partly
//! masked, the class, the issuer and the dates. A serial carries a random
//! part, and lookups are limited per client address (misses more tightly),
//! so serials can be neither guessed nor enumerated.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::class::GradeLevel;
use crate::i18n::{Lang, Localize};

/// Characters of a serial's random part: digits and capitals without the
/// look-alikes 0/O, 1/I/L.
pub const SERIAL_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Length of the random part (31^10, about 2^49.5 serials per number).
pub const SERIAL_RANDOM_LEN: usize = 10;
/// Longest serial accepted for lookup.
pub const MAX_SERIAL_LEN: usize = 40;

/// A serial: `DX{year}-{issuer}-{number}-{random}`, e.g.
/// `DX2026-3-0007-K7Q2M9XH2P`. The number counts the issuer's certificates
/// of the year; the random part is what makes it unguessable.
pub fn serial(year: i32, issuer_org_id: i64, seq: i32, random: &str) -> String {
    format!("DX{year}-{issuer_org_id}-{seq:04}-{random}")
}

/// A serial as typed or scanned, in its stored form (capitals); `None` when
/// it cannot be one.
pub fn normalize_serial(input: &str) -> Option<String> {
    let s = input.trim().to_ascii_uppercase();
    let ok = !s.is_empty() && s.len() <= MAX_SERIAL_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(s)
}

/// The name as the public sees it: first and last character kept, the
/// rest starred (张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<&str> = name.trim().graphemes(true).filter(|g| !g.trim().is_empty()).collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Lookups one client address may make in a window.
pub const MAX_LOOKUPS: u32 = 60;
/// Lookups of serials that do not exist one client address may make in a window.
pub const MAX_MISSES: u32 = 10;
/// The window, in seconds: the first lookup starts it, and the counts start
/// again once it has passed.
pub const LOOKUP_WINDOW_SECS: i64 = 10 * 60;

/// Whether a window that started at `window_start` has passed at `now`.
pub fn window_passed(window_start: i64, now: i64) -> bool {
    now >= window_start + LOOKUP_WINDOW_SECS
}

/// Seconds until a client that used up the window may look up again.
pub fn retry_after(window_start: i64, now: i64) -> i64 {
    (window_start + LOOKUP_WINDOW_SECS - now).max(1)
}

/// A revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revocation {
    pub at_ms: i64,
    pub reason: String,
}

/// A certificate as its holder and the organizers of its class see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateView {
    pub id: i64,
    pub serial: String,
    pub class_id: i64,
    pub class_name: String,
    pub person_id: i64,
    pub name: String,
    pub term_from: String,
    pub term_to: String,
    /// 学时 at graduation.
    pub hours: f64,
    pub grade: GradeLevel,
    pub issuer_name: String,
    pub issued_on: String,
    pub edition: u32,
    pub revoked: Option<Revocation>,
    /// Where the PDF is downloaded.
    pub pdf_url: String,
    /// The public verification page.
    pub verify_path: String,
}

/// Whether a certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    Valid,
    Revoked,
}

/// What anyone with the serial may learn, and nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    pub serial: String,
    pub state: CertificateState,
    /// 张*三.
    pub masked_name: String,
    pub class_name: String,
    pub issuer_name: String,
    pub term_from: String,
    pub term_to: String,
    pub issued_on: String,
    /// `YYYY-MM-DD`, when revoked.
    pub revoked_on: Option<String>,
}

/// Longest reason for a revocation, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// Why a certificate is revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeIn {
    pub reason: String,
}

/// A revocation that cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadReason;

impl RevokeIn {
    /// The reason, trimmed, if it is one.
    pub fn checked(&self) -> Result<String, BadReason> {
        let r = self.reason.trim();
        let n = r.chars().count();
        if n == 0 || n > MAX_REASON_CHARS || r.chars().any(|c| c.is_control() && c != '\n') {
            return Err(BadReason);
        }
        Ok(r.to_owned())
    }
}

impl Localize for BadReason {
    fn localize(&self, lang: Lang) -> String {
        lang.pick("请写明撤销原因（1–500 个字符）。", "Give the reason for revoking it (1–500 characters).").to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_by_character_not_byte() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张小三"), "张*三");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name("王"), "*");
        assert_eq!(mask_name("  Li Lei "), "L***i");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn serials_are_normalized_or_refused() {
        assert_eq!(normalize_serial(" dx2026-3-0007-k7q2m9xh2p "), Some("DX2026-3-0007-K7Q2M9XH2P".into()));
        assert_eq!(normalize_serial("DX2026/../../etc"), None);
        assert_eq!(normalize_serial(&"A".repeat(41)), None);
        assert_eq!(normalize_serial("  "), None);
        assert_eq!(serial(2026, 3, 7, "K7Q2M9XH2P"), "DX2026-3-0007-K7Q2M9XH2P");
    }

    #[test]
    fn a_window_passes_and_says_how_long_to_wait() {
        assert!(!window_passed(1000, 1000 + LOOKUP_WINDOW_SECS - 1));
        assert!(window_passed(1000, 1000 + LOOKUP_WINDOW_SECS));
        assert_eq!(retry_after(1000, 1060), LOOKUP_WINDOW_SECS - 60);
        assert_eq!(retry_after(1000, 5000), 1);
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(RevokeIn { reason: "  ".into() }.checked().is_err());
        assert!(RevokeIn { reason: "x".repeat(501) }.checked().is_err());
        assert!(RevokeIn { reason: "a\u{0}b".into() }.checked().is_err());
        assert_eq!(RevokeIn { reason: " 信息有误 ".into() }.checked(), Ok("信息有误".into()));
    }
}
