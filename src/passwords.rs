//! Hashing and checking passwords, a bounded number at a time. Argon2 holds
//! 19 MiB per hash on purpose (that is what makes guessing expensive), so 32
//! log-ins at once took the process to 752 MB: every hash or check waits
//! here for one of a fixed number of permits (one per core by default), and
//! a request that cannot get one within the configured wait is answered
//! "busy, try again" ([`AppError::Busy`]) instead of piling up memory. The
//! ceiling is permits × 19 MiB above the rest of the process (README).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::domain::account::{self, NewPassword};
use crate::error::{AppError, AppResult};

/// The bounded password hasher shared by every request of an instance.
#[derive(Clone, Debug)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Passwords {
    /// At most `permits` hashes at once; others wait up to `wait` for a turn.
    pub fn new(permits: usize, wait: Duration) -> Passwords {
        Passwords {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
        }
    }

    /// One hash at a time per core of this machine.
    pub fn per_core(wait: Duration) -> Passwords {
        Passwords::new(cores(), wait)
    }

    /// The permits themselves (tests hold them all to make requests wait).
    pub fn permits(&self) -> &Arc<Semaphore> {
        &self.permits
    }

    /// Hashes a new password off the async runtime.
    pub async fn hash(&self, password: NewPassword) -> AppResult<String> {
        self.run(move || account::hash_password(password.expose()))
            .await?
            .map_err(AppError::Internal)
    }

    /// Checks a password against a stored hash off the async runtime. With
    /// no hash (no such account, or none set yet) it checks against a dummy
    /// one and answers false, so a wrong email takes as long as a wrong
    /// password.
    pub async fn verify(&self, password: String, hash: Option<String>) -> AppResult<bool> {
        self.run(move || match hash {
            Some(hash) => account::verify_password(&password, &hash),
            None => {
                account::verify_password(&password, dummy_hash());
                false
            }
        })
        .await
    }

    /// Runs `work` on the blocking pool once a permit is free. The permit
    /// goes with the work, so a request given up by its client still holds
    /// it until the hash is done: the bound is on memory, not on requests.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let permit = tokio::time::timeout(self.wait, Arc::clone(&self.permits).acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|e| AppError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))
    }
}

/// The cores this process may use (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A hash to check against when there is none (computed once, off the runtime).
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| account::hash_password("not-a-real-password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_waits_for_a_permit_and_gives_up_busy() {
        let passwords = Passwords::new(1, Duration::from_millis(20));
        let held = Arc::clone(passwords.permits())
            .acquire_owned()
            .await
            .unwrap();
        let password = || NewPassword::parse("correct horse battery", None).unwrap();
        assert!(matches!(
            passwords.hash(password()).await,
            Err(AppError::Busy)
        ));
        drop(held);
        let hash = passwords.hash(password()).await.unwrap();
        assert!(passwords
            .verify("correct horse battery".into(), Some(hash))
            .await
            .unwrap());
        assert!(!passwords
            .verify("correct horse battery".into(), None)
            .await
            .unwrap());
        assert_eq!(passwords.permits().available_permits(), 1);
    }
}
