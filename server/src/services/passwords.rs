//! Password hashing (Argon2id) and generated initial passwords. Hashing is
//! CPU-heavy, so it runs on the blocking pool, off the async workers.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use courses::Password;
use rand::Rng;

use crate::error::{Error, Result};

/// Hashes a password into a PHC string.
pub async fn hash(password: &Password) -> Result<String> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(anyhow::anyhow!("argon2 hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?
}

/// Checks `password` against a stored PHC string.
pub async fn verify(password: &str, phc: &str) -> Result<bool> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&phc).map_err(|e| Error::Internal(anyhow::anyhow!("stored hash unreadable: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?
}

/// A hash of a random password nobody knows, verified against when a login
/// does not exist so that timing does not reveal which logins exist.
pub async fn dummy_hash() -> Result<String> {
    hash(&Password::parse(&generate())?).await
}

/// A random initial password, 12 characters from an alphabet without
/// look-alikes (no 0/O, 1/l/I), to be read aloud or printed.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let mut s: String = (0..11).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    // Guarantee the policy's "not only digits" whatever the draw.
    s.push(ALPHABET[rng.gen_range(0..24)] as char);
    s
}

impl From<courses::people::PersonError> for Error {
    fn from(e: courses::people::PersonError) -> Self {
        Error::invalid(&e)
    }
}

impl From<courses::org::OrgError> for Error {
    fn from(e: courses::org::OrgError) -> Self {
        Error::invalid(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let pw = Password::parse("dangxiao-2026").unwrap();
        let h = hash(&pw).await.unwrap();
        assert!(verify("dangxiao-2026", &h).await.unwrap());
        assert!(!verify("dangxiao-2027", &h).await.unwrap());
    }

    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..100 {
            assert!(Password::parse(&generate()).is_ok());
        }
    }
}
