//! The domain of dangxiao, shared by the server and the browser.
//!
//! Everything here is plain Rust with no I/O: value types that parse rather
//! than validate (`OrgPath`, `Login`, `Role`, ...), the authorization rules of
//! the organization tree, and the bilingual message catalog. The server adapts
//! these to HTTP and the database; the frontend uses the same rules to decide
//! what to show.

pub mod access;
pub mod assignment;
pub mod certificate;
pub mod class;
pub mod class_report;
pub mod collation;
pub mod course;
pub mod directory;
pub mod discussion;
pub mod essay;
pub mod exam;
pub mod i18n;
pub mod import;
pub mod media;
pub mod meeting;
pub mod notice;
pub mod notify;
pub mod org;
pub mod people;
pub mod progress;
pub mod report;
pub mod standing;
pub mod suggestion;
pub mod throttle;

pub use access::Actor;
pub use i18n::Lang;
pub use org::{OrgId, OrgKind, OrgName, OrgNamePath, OrgPath};
pub use people::{Login, Password, PersonId, PersonName, Role};
pub use standing::Standing;
