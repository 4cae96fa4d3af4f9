//! wu_native's core: everything but the PHP binding, testable without PHP.

pub mod address;
pub mod config;
pub mod docs;
pub mod domain;
pub mod error;
pub mod http;
pub mod lock;
mod memo;
pub mod ops;
pub mod providers;
pub mod proxy;
pub mod secret;
pub mod tls;

pub use config::{ConfigSource, MapSource};
pub use domain::{HostName, WwwRule};
pub use error::{CallerError, ErrorKind, ProviderError};
pub use ops::{Operation, Options};
