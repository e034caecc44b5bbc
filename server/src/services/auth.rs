//! Logging in and out, sessions, password changes and login throttling.
//!
//! The session cookie holds a random 256-bit token; the database keeps only
//! its SHA-256, so a leaked database yields no usable session. Each session
//! has its own CSRF token, which the browser echoes on every change.
//!
//! What a stored session may do is decided by [`admit`] and [`renewal`]
//! alone: the request middleware ([`resolve`]), the REST extractors, the
//! server functions and the heartbeat committer (a batch of sessions read in
//! one query) all apply them, so a rule changed here changes everywhere.

use courses::throttle::{self, Failures, Verdict};
use courses::{Actor, Login, Password, PersonId, Role, Standing};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::db::{self, login_failures, orgs, people, sessions};
use crate::error::{Error, Result};
use crate::services::passwords;

/// A resolved, unexpired session.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub person: people::Model,
    pub csrf_token: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
    token_hash: String,
}

/// A stored session as the rules read it, however it was loaded: one per
/// request ([`Session`]) or a batch of them (the heartbeat committer).
pub trait StoredLogin {
    /// Seconds since the epoch.
    fn expires_at(&self) -> i64;
    fn csrf_token(&self) -> &str;
    fn must_change_password(&self) -> bool;
}

impl<L: StoredLogin> StoredLogin for &L {
    fn expires_at(&self) -> i64 {
        (**self).expires_at()
    }
    fn csrf_token(&self) -> &str {
        (**self).csrf_token()
    }
    fn must_change_password(&self) -> bool {
        (**self).must_change_password()
    }
}

impl StoredLogin for Session {
    fn expires_at(&self) -> i64 {
        self.expires_at
    }
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
    fn must_change_password(&self) -> bool {
        self.person.must_change_password
    }
}

/// What a request asks of its session.
#[derive(Debug, Clone, Copy)]
pub enum Need<'a> {
    /// Only to be someone: who am I, change the initial password, log out.
    Login,
    /// To read or do anything else, which waits for the initial password to
    /// be changed.
    Act,
    /// To change something, echoing the session's CSRF token.
    Change { csrf: Option<&'a str> },
}

/// The session rules. `login` is what the cookie named, read together with
/// its person: `None` when there was no cookie, no such session (logged
/// out, or ended by a password change) or no such person (deleted, which
/// also deletes their sessions). `now` is in seconds since the epoch.
pub fn admit<L: StoredLogin>(login: Option<L>, now: i64, need: Need<'_>) -> Result<L> {
    let login = login.ok_or(Error::Unauthenticated)?;
    if login.expires_at() <= now {
        return Err(Error::Unauthenticated);
    }
    if let Need::Change { csrf } = need {
        verify_csrf(csrf, login.csrf_token())?;
    }
    if !matches!(need, Need::Login) && login.must_change_password() {
        return Err(Error::PasswordChangeRequired);
    }
    Ok(login)
}

/// Sliding renewal: once half a session's life is gone, an admitted use
/// extends it to a full life from `now` (the returned expiry), so active
/// people stay logged in.
pub fn renewal(expires_at: i64, now: i64, session_hours: u32) -> Option<i64> {
    let ttl = i64::from(session_hours) * 3600;
    (expires_at - now < ttl / 2).then_some(now + ttl)
}

/// Checks the echoed CSRF token against the expected one.
pub fn verify_csrf(presented: Option<&str>, expected: &str) -> Result<()> {
    match presented {
        Some(p) if same_secret(p, expected) => Ok(()),
        _ => Err(Error::Csrf),
    }
}

/// A session just created by a successful login.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Goes into the HttpOnly cookie; never stored.
    pub token: String,
    pub csrf_token: String,
    pub person: people::Model,
}

/// 32 random bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub(crate) fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Checks a login and password; on success opens a session.
pub async fn login(db: &DatabaseConnection, login: &str, password: &str, session_hours: u32) -> Result<NewSession> {
    let now = db::now();
    // Throttle on the normalized login even when it is malformed, so guessing
    // variants of one account shares a counter.
    let key: String = login.trim().to_lowercase().chars().take(64).collect();
    let failures = login_failures::Entity::find_by_id(key.clone()).one(db).await?;
    let current = failures.as_ref().map(|f| Failures { count: f.count.max(0) as u32, window_start: f.window_start });
    if let Verdict::Wait(retry_after) = throttle::verdict(current, now) {
        return Err(Error::RateLimited { retry_after });
    }

    let person = match Login::parse(login) {
        Ok(l) => people::Entity::find().filter(people::Column::Login.eq(l.as_str())).one(db).await?,
        Err(_) => None,
    };
    let ok = match &person {
        Some(p) => passwords::verify(password, &p.password_hash).await?,
        None => {
            // Spend the same time as a real check.
            let dummy = passwords::dummy_hash().await?;
            passwords::verify(password, &dummy).await?;
            false
        }
    };
    let person = match (ok, person) {
        (true, Some(p)) => p,
        _ => {
            let next = throttle::record_failure(current, now);
            let row = login_failures::ActiveModel {
                login: Set(key),
                count: Set(next.count as i32),
                window_start: Set(next.window_start),
            };
            if failures.is_some() {
                row.update(db).await?;
            } else {
                login_failures::Entity::insert(row).exec(db).await?;
            }
            return Err(Error::BadCredentials);
        }
    };
    if failures.is_some() {
        login_failures::Entity::delete_by_id(key).exec(db).await?;
    }

    let token = random_token();
    let csrf_token = random_token();
    sessions::Entity::insert(sessions::ActiveModel {
        token_hash: Set(hash_token(&token)),
        person_id: Set(person.id),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(now),
        expires_at: Set(now + i64::from(session_hours) * 3600),
    })
    .exec(db)
    .await?;
    Ok(NewSession { token, csrf_token, person })
}

/// The session a cookie value names, if [`admit`] lets it be someone
/// (an expired one is deleted on the way); renews it (see [`renewal`]).
/// What the request may do with it is for [`admit`] to say again, with what
/// the request needs.
pub async fn resolve(db: &DatabaseConnection, token: &str, session_hours: u32) -> Result<Option<Session>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let now = db::now();
    let token_hash = hash_token(token);
    let Some(row) = sessions::Entity::find_by_id(token_hash.clone()).one(db).await? else {
        return Ok(None);
    };
    let Some((person, Some(org))) =
        people::Entity::find_by_id(row.person_id).find_also_related(orgs::Entity).one(db).await?
    else {
        return Ok(None);
    };
    let actor = actor_of(&person, &org)?;
    let session = Session { actor, person, csrf_token: row.csrf_token.clone(), expires_at: row.expires_at, token_hash };
    let Ok(mut session) = admit(Some(session), now, Need::Login) else {
        // Asking nothing more of a session with a person, only expiry
        // refuses: drop it now rather than at the next purge.
        sessions::Entity::delete_by_id(row.token_hash).exec(db).await?;
        return Ok(None);
    };
    if let Some(until) = renewal(row.expires_at, now, session_hours) {
        let mut active = row.into_active_model();
        active.expires_at = Set(until);
        active.update(db).await?;
        session.expires_at = until;
    }
    Ok(Some(session))
}

/// The `Actor` for a person row and their org row.
pub fn actor_of(person: &people::Model, org: &orgs::Model) -> Result<Actor> {
    actor_from(person.id, &person.role, &person.standing, org.id, org.path.clone())
}

/// The `Actor` from the stored columns it is made of.
pub fn actor_from(person_id: i64, role: &str, standing: &str, org_id: i64, org_path: String) -> Result<Actor> {
    let role = Role::parse(role)
        .map_err(|e| Error::Internal(anyhow::anyhow!("person {person_id} has unreadable role: {e}")))?;
    let standing = Standing::parse(standing)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("person {person_id} has unreadable standing {standing}")))?;
    Ok(Actor { id: PersonId(person_id), role, standing, org: crate::services::orgs::parse_path(org_id, org_path)? })
}

/// Ends a session. Unknown tokens are ignored.
pub async fn logout(db: &DatabaseConnection, token: &str) -> Result<()> {
    sessions::Entity::delete_by_id(hash_token(token)).exec(db).await?;
    Ok(())
}

/// Changes the caller's password after checking the current one, and ends
/// their other sessions.
pub async fn change_password(db: &DatabaseConnection, session: &Session, current: &str, new: &str) -> Result<()> {
    if !passwords::verify(current, &session.person.password_hash).await? {
        return Err(Error::BadCredentials);
    }
    let new = Password::parse(new)?;
    let hash = passwords::hash(&new).await?;
    let mut person = session.person.clone().into_active_model();
    person.password_hash = Set(hash);
    person.must_change_password = Set(false);
    person.updated_at = Set(db::now());
    person.update(db).await?;
    sessions::Entity::delete_many()
        .filter(sessions::Column::PersonId.eq(session.person.id))
        .filter(sessions::Column::TokenHash.ne(session.token_hash.clone()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes expired sessions; called periodically by the server.
pub async fn purge_expired(db: &DatabaseConnection) -> Result<u64> {
    let res = sessions::Entity::delete_many().filter(sessions::Column::ExpiresAt.lte(db::now())).exec(db).await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_content_and_length() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    struct Row {
        expires_at: i64,
        must_change_password: bool,
    }

    impl StoredLogin for Row {
        fn expires_at(&self) -> i64 {
            self.expires_at
        }
        fn csrf_token(&self) -> &str {
            "t"
        }
        fn must_change_password(&self) -> bool {
            self.must_change_password
        }
    }

    #[test]
    fn a_session_is_admitted_until_it_expires_and_only_with_its_token_for_changes() {
        let live = Row { expires_at: 100, must_change_password: false };
        assert!(admit(Some(&live), 99, Need::Act).is_ok());
        assert!(matches!(admit(Some(&live), 100, Need::Login), Err(Error::Unauthenticated)));
        assert!(matches!(admit(None::<&Row>, 0, Need::Login), Err(Error::Unauthenticated)));
        assert!(admit(Some(&live), 0, Need::Change { csrf: Some("t") }).is_ok());
        assert!(matches!(admit(Some(&live), 0, Need::Change { csrf: Some("u") }), Err(Error::Csrf)));
        assert!(matches!(admit(Some(&live), 0, Need::Change { csrf: None }), Err(Error::Csrf)));
    }

    #[test]
    fn an_initial_password_lets_one_be_someone_but_not_act() {
        let fresh = Row { expires_at: 100, must_change_password: true };
        assert!(admit(Some(&fresh), 0, Need::Login).is_ok());
        assert!(matches!(admit(Some(&fresh), 0, Need::Act), Err(Error::PasswordChangeRequired)));
        assert!(matches!(admit(Some(&fresh), 0, Need::Change { csrf: Some("t") }), Err(Error::PasswordChangeRequired)));
    }

    #[test]
    fn a_session_is_renewed_once_half_its_life_is_gone() {
        assert_eq!(renewal(3600 * 7, 0, 12), None);
        assert_eq!(renewal(3600 * 5, 0, 12), Some(3600 * 12));
    }

    #[test]
    fn tokens_are_64_hex_characters_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(hash_token(&a), a);
    }
}
