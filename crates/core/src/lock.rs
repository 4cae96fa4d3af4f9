//! One writer at a time per panel target on this host.
//!
//! ServerPilot replaces an app's whole domain list, so two PHP processes that
//! each read the list, add their name and send it back undo each other. Every
//! read-modify-write of one panel target (one ServerPilot app, one Hestia web
//! domain, one Enhance server or website) therefore runs under an exclusive
//! `flock` on a file in the system temp dir, shared by every PHP process of
//! the host (php-fpm workers, WP-CLI, cron).
//!
//! The file is named from a hash of the provider, the panel's `host:port` and
//! the target id, never from a secret. It is empty and created 0644, and
//! opened read-only: `flock` needs no write access, so php-fpm (www-data)
//! and a CLI run as another user share one file whoever created it. It is
//! opened without following symlinks and never with `O_CREAT` when it already
//! exists (Linux refuses that on another user's file in a sticky dir).

use std::fs::{File, OpenOptions, Permissions};
use std::io::ErrorKind as IoErrorKind;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{ErrorKind, ProviderError};

/// Hex digits of the hash kept in a key: 64 bits, far from any collision
/// among the few targets of one host.
const HASH_HEX: usize = 16;
/// Pauses between attempts grow to this, so a waiting process neither spins
/// nor sleeps long past the holder's release.
const MAX_PAUSE: Duration = Duration::from_millis(25);

/// A stable, non-secret name for one panel target: `<provider>:<16 hex>`.
/// At most 60 characters of `[a-z0-9:_-]`, so the WordPress glue can use it
/// as a database lock name too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockKey(String);

impl LockKey {
    /// `identity` is what tells targets apart: the panel's `host:port` and
    /// the target ids, never a credential.
    pub fn new(provider: &str, identity: &str) -> LockKey {
        let digest = Sha256::digest(format!("{provider}\n{identity}").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let provider: String = provider
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .take(40)
            .collect();
        LockKey(format!("{provider}:{}", &hex[..HASH_HEX]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lock file: `$TMPDIR` (or /tmp) `/wu_native-<provider>-<hex>.lock`.
    pub fn path(&self) -> PathBuf {
        std::env::temp_dir().join(format!("wu_native-{}.lock", self.0.replace(':', "-")))
    }
}

impl std::fmt::Display for LockKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Held while the target is ours; dropping it (or the process ending, or
/// dying) releases it.
#[derive(Debug)]
pub struct TargetLock {
    _file: File,
}

/// Why no lock could be had.
#[derive(Debug)]
pub enum LockFailure {
    /// Another process held it for the whole wait: the operation must not run.
    Busy(ProviderError),
    /// The lock file cannot be used at all (temp dir not writable, a symlink
    /// in its place): the operation runs unserialized, with this warning.
    Unavailable(String),
}

/// Takes the target's lock, waiting at most `wait` for another holder.
/// `what` names the target in messages (`ServerPilot app X`).
pub fn acquire(key: &LockKey, wait: Duration, what: &str) -> Result<TargetLock, LockFailure> {
    let path = key.path();
    let file = open(&path).map_err(|e| {
        LockFailure::Unavailable(format!(
            "{what} could not be locked against other PHP processes of this server ({}: {e}), so changes made at the same moment by another process may be lost: make the system temp dir writable for the PHP user",
            path.display()
        ))
    })?;
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(TargetLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(LockFailure::Unavailable(format!(
                    "{what} could not be locked against other PHP processes of this server ({}: {e}), so changes made at the same moment by another process may be lost",
                    path.display()
                )))
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(LockFailure::Busy(busy(what, wait, &path)));
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

fn busy(what: &str, wait: Duration, path: &std::path::Path) -> ProviderError {
    ProviderError::new(
        ErrorKind::Timeout,
        format!(
            "another process of this server has been changing {what} for more than {} s (lock file {}), so nothing was changed: try again; if it keeps happening, look for a stuck PHP or WP-CLI process, or raise WU_NATIVE_TIMEOUT",
            wait.as_secs().max(1),
            path.display()
        ),
    )
    .with_code("lock_timeout")
}

/// Opens the lock file read-only, creating it (0644) when it does not exist.
fn open(path: &std::path::Path) -> std::io::Result<File> {
    let existing = || OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC).open(path);
    match existing() {
        Err(e) if e.kind() == IoErrorKind::NotFound => {}
        other => return other,
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(created) => {
            // The umask may have taken read access from other users.
            let _ = created.set_permissions(Permissions::from_mode(0o644));
            drop(created);
            existing()
        }
        // Created by another process in between.
        Err(e) if e.kind() == IoErrorKind::AlreadyExists => existing(),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_stable_and_made_of_safe_characters() {
        let key = LockKey::new("serverpilot", "api.serverpilot.io:443|nlcN0TwdZAyNEgdp");
        assert_eq!(key, LockKey::new("serverpilot", "api.serverpilot.io:443|nlcN0TwdZAyNEgdp"));
        assert!(key.as_str().starts_with("serverpilot:"));
        assert!(key.as_str().len() <= 60);
        assert!(key.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ":_-".contains(c)), "{key}");
        let others = [
            LockKey::new("serverpilot", "api.serverpilot.io:443|otherApp"),
            LockKey::new("serverpilot", "127.0.0.1:8080|nlcN0TwdZAyNEgdp"),
            LockKey::new("hestia", "api.serverpilot.io:443|nlcN0TwdZAyNEgdp"),
        ];
        for other in others {
            assert_ne!(key, other);
        }
    }

    #[test]
    fn a_held_lock_makes_the_next_taker_wait_then_fail_with_a_lock_timeout() {
        let key = LockKey::new("test", &format!("held-{}", std::process::id()));
        let held = acquire(&key, Duration::from_secs(1), "the test target").expect("first lock");
        // flock locks belong to the open file description, so a second open
        // in the same process contends like another process would.
        let started = Instant::now();
        let second = acquire(&key, Duration::from_millis(200), "the test target");
        let waited = started.elapsed();
        match second {
            Err(LockFailure::Busy(e)) => {
                assert_eq!(e.kind, ErrorKind::Timeout);
                assert_eq!(e.provider_code, Some("lock_timeout".into()));
                assert!(e.message.contains("the test target") && e.message.contains("nothing was changed"), "{}", e.message);
            }
            other => panic!("expected a busy lock, got {other:?}"),
        }
        assert!(waited >= Duration::from_millis(200), "gave up after {waited:?}");
        drop(held);
        assert!(acquire(&key, Duration::from_millis(200), "the test target").is_ok(), "released on drop");
        let _ = std::fs::remove_file(key.path());
    }

    #[test]
    fn a_symlink_in_place_of_the_lock_file_is_not_followed() {
        let key = LockKey::new("test", &format!("symlink-{}", std::process::id()));
        let target = std::env::temp_dir().join(format!("wu_native-test-target-{}", std::process::id()));
        let _ = std::fs::remove_file(key.path());
        std::os::unix::fs::symlink(&target, key.path()).unwrap();
        let outcome = acquire(&key, Duration::from_millis(50), "the test target");
        let _ = std::fs::remove_file(key.path());
        assert!(matches!(outcome, Err(LockFailure::Unavailable(_))), "{outcome:?}");
        assert!(!target.exists(), "the symlink's target was created");
    }
}
