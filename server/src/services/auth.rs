//! Logging in and out, sessions, password changes and login throttling.
//!
//! The session cookie holds a random 256-bit token; the database keeps only
//! its SHA-256, so a leaked database yields no usable session. Each session
//! has its own CSRF token, which the browser echoes on every change.

use courses::throttle::{self, Failures, Verdict};
use courses::{Actor, Login, Password, PersonId, Role};
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
    token_hash: String,
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

/// Finds the session for a cookie value; extends it when half its life is
/// gone, so active people stay logged in.
pub async fn resolve(db: &DatabaseConnection, token: &str, session_hours: u32) -> Result<Option<Session>> {
    if token.len() != 64 {
        return Ok(None);
    }
    let now = db::now();
    let token_hash = hash_token(token);
    let Some(session) = sessions::Entity::find_by_id(token_hash.clone()).one(db).await? else {
        return Ok(None);
    };
    if session.expires_at <= now {
        sessions::Entity::delete_by_id(token_hash).exec(db).await?;
        return Ok(None);
    }
    let Some((person, Some(org))) =
        people::Entity::find_by_id(session.person_id).find_also_related(orgs::Entity).one(db).await?
    else {
        return Ok(None);
    };
    let ttl = i64::from(session_hours) * 3600;
    if session.expires_at - now < ttl / 2 {
        let mut active = session.clone().into_active_model();
        active.expires_at = Set(now + ttl);
        active.update(db).await?;
    }
    let actor = actor_of(&person, &org)?;
    Ok(Some(Session { actor, person, csrf_token: session.csrf_token, token_hash }))
}

/// The `Actor` for a person row and their org row.
pub fn actor_of(person: &people::Model, org: &orgs::Model) -> Result<Actor> {
    actor_from(person.id, &person.role, org.id, org.path.clone())
}

/// The `Actor` from the stored columns it is made of.
pub fn actor_from(person_id: i64, role: &str, org_id: i64, org_path: String) -> Result<Actor> {
    let role = Role::parse(role)
        .map_err(|e| Error::Internal(anyhow::anyhow!("person {person_id} has unreadable role: {e}")))?;
    Ok(Actor { id: PersonId(person_id), role, org: crate::services::orgs::parse_path(org_id, org_path)? })
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

    #[test]
    fn tokens_are_64_hex_characters_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(hash_token(&a), a);
    }
}
