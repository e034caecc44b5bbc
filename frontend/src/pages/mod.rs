//! One module per route.

pub mod home;
pub mod login;
pub mod manage;
pub mod media;
pub mod meetings;
pub mod not_found;
pub mod orgs;
pub mod password;
pub mod study;
