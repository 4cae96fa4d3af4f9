//! Secrets (passwords, hashes, tokens, keys) in a type that cannot be printed.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The only way to the value: used where a request is built, nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Replaces every known secret, and every longer piece of one, in a text.
/// A last line of defence for texts a panel wrote (Hestia echoes an access
/// key id in "key … doesn't exist"), applied to every message we return.
#[derive(Default, Clone)]
pub struct Redactor {
    needles: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} needles)", self.needles.len())
    }
}

impl Redactor {
    /// Pieces shorter than this are too common to redact without mangling messages.
    const MIN_PIECE: usize = 6;

    pub fn add(&mut self, secret: &Secret) {
        self.add_text(secret.expose());
    }

    /// A secret in another form than a configured value (an encoded
    /// credential a request carried).
    pub fn add_text(&mut self, value: &str) {
        let pieces = std::iter::once(value).chain(value.split([':', '@', ' ']));
        for piece in pieces {
            if piece.len() >= Self::MIN_PIECE && !self.needles.iter().any(|n| n == piece) {
                self.needles.push(piece.to_string());
            }
        }
        // Longest first, so a whole secret is replaced before its pieces.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), "***");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_prints_as_stars_in_debug_and_display() {
        let s = Secret::new("hunter2-password");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
    }

    #[test]
    fn the_redactor_removes_whole_secrets_and_their_key_pieces() {
        let mut r = Redactor::default();
        r.add(&Secret::new("ACCESSKEY0123456789A:secretsecretsecretsecretsecretsecret0000"));
        let text = "Error: key ACCESSKEY0123456789A doesn't exist; full ACCESSKEY0123456789A:secretsecretsecretsecretsecretsecret0000";
        let out = r.redact(text);
        assert!(!out.contains("ACCESSKEY"), "{out}");
        assert!(!out.contains("secretsecret"), "{out}");
        assert_eq!(out, "Error: key *** doesn't exist; full ***");
    }
}
