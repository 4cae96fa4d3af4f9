//! Enhance Control Panel (being written).

use std::time::Duration;

use super::{Provider, ProviderSpec};
use crate::config::Values;
use crate::error::ProviderError;
use crate::ops::Options;

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "enhance",
    title: "Enhance Control Panel",
    settings: &[],
    default_timeout: Duration::from_secs(45),
    build,
    mode: super::single_mode,
};

fn build(_values: &Values, _options: &Options) -> Result<Box<dyn Provider>, ProviderError> {
    Err(ProviderError::config("Enhance Control Panel support is not built yet"))
}
