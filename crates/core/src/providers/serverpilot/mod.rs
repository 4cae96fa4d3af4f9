//! ServerPilot: mapped domains join the domain list of one app
//! (`WU_SERVER_PILOT_APP_ID`), and AutoSSL is turned on when it can be.
//!
//! The API replaces an app's whole list on every update, so one operation
//! is one read and at most one write, whatever the number of names.

mod client;
mod provider;

use std::time::Duration;

use super::{OptionSpec, ProviderSpec, WriteTarget};
use crate::config::{Setting, Values};

pub const CLIENT_ID: &str = "WU_SERVER_PILOT_CLIENT_ID";
pub const API_KEY: &str = "WU_SERVER_PILOT_API_KEY";
pub const APP_ID: &str = "WU_SERVER_PILOT_APP_ID";
pub const API_URL: &str = "WU_SERVER_PILOT_API_URL";

pub const DEFAULT_API_URL: &str = "https://api.serverpilot.io/v1";

/// The `wait` option: seconds to wait for the panel's action to finish.
pub const WAIT: &str = "wait";
/// Most seconds a caller may ask to wait.
pub const WAIT_MAX_SECONDS: i64 = 600;

/// ServerPilot accepts at most this many domains per app.
pub const MAX_DOMAINS: usize = 300;
/// A list longer than this did not come from ServerPilot (which keeps an app
/// under `MAX_DOMAINS`): it is refused before any work is done on it.
pub const MAX_LISTED: usize = 10 * MAX_DOMAINS;
/// Updates sent for one change, the first included, while another client's
/// concurrent update keeps undoing part of it.
pub const UPDATE_ROUNDS: usize = 3;

pub static SPEC: ProviderSpec = ProviderSpec {
    id: "serverpilot",
    title: "ServerPilot",
    settings: &[
        Setting::required(CLIENT_ID, "Client ID from the ServerPilot dashboard (Account → API)."),
        Setting::required(API_KEY, "API key shown with the Client ID.").secret(),
        Setting::required(APP_ID, "Id of the app serving WordPress, as in https://manage.serverpilot.io/apps/APP_ID."),
        Setting::optional(API_URL, DEFAULT_API_URL, "API base address; change it only for staging or tests."),
    ],
    plugin_handlers: &[
        "WP_Ultimo\\Integrations\\Host_Providers\\ServerPilot_Host_Provider",
        "WP_Ultimo\\Integrations\\Providers\\ServerPilot\\ServerPilot_Domain_Mapping",
    ],
    options: &[OptionSpec::int(
        WAIT,
        0,
        WAIT_MAX_SECONDS,
        "Seconds to wait for ServerPilot's action to finish (0: do not wait); each change then reports its action_status.",
    )],
    default_timeout: Duration::from_secs(45),
    build: provider::ServerPilot::build,
    mode: super::single_mode,
    target,
};

/// One app on one API.
fn target(values: &Values) -> Option<WriteTarget> {
    let host = crate::http::host_of(&client::api_base(values.get(API_URL).unwrap_or(DEFAULT_API_URL)).ok()?);
    let app = values.get(APP_ID)?.trim().to_string();
    Some(WriteTarget { identity: format!("{host}|{app}"), label: format!("ServerPilot app {app} on {host}") })
}

#[cfg(test)]
mod sandbox_tests;

#[cfg(test)]
mod fixture_tests;
