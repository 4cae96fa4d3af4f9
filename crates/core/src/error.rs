//! The error kinds a panel operation can end with. `ErrorKind` maps 1:1 to
//! the `kind` of an error in a PHP result; the binding does that mapping once.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A constant is missing or has a value that cannot work.
    Config,
    /// The panel refused the credentials or the client's address.
    Auth,
    /// The account, web domain, org, website, server or app does not exist.
    NotFound,
    /// A panel quota or cap was reached.
    Limit,
    /// An HTTP status we did not expect.
    Http,
    /// The panel answered with an error we cannot classify further, or with a body we cannot read.
    Api,
    Timeout,
    /// DNS, connect, reset.
    Transport,
    /// The panel's certificate was refused.
    Tls,
}

/// A panel's own error code: Hestia's exit codes are numbers, Enhance's codes are strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ProviderCode {
    Number(i64),
    Text(String),
}

impl From<i64> for ProviderCode {
    fn from(n: i64) -> Self {
        ProviderCode::Number(n)
    }
}

impl From<&str> for ProviderCode {
    fn from(s: &str) -> Self {
        ProviderCode::Text(s.to_string())
    }
}

/// What went wrong talking to one panel. The message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    pub kind: ErrorKind,
    pub message: String,
    pub http_status: Option<u16>,
    pub provider_code: Option<ProviderCode>,
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ProviderError { kind, message: message.into(), http_status: None, provider_code: None }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    pub fn with_code(mut self, code: impl Into<ProviderCode>) -> Self {
        self.provider_code = Some(code.into());
        self
    }
}

/// A caller's mistake: surfaces in PHP as an exception, never as a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallerError {
    #[error(transparent)]
    InvalidDomain(#[from] crate::domain::InvalidHostName),
    /// Unknown provider, a named provider not configured, or none configured.
    #[error("{0}")]
    Config(String),
    /// An option with a value of the right type but an impossible value.
    #[error("{0}")]
    InvalidOption(String),
}
