//! One module per route.

pub mod home;
pub mod login;
pub mod media;
pub mod not_found;
pub mod orgs;
pub mod password;
pub mod study;
