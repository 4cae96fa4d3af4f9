//! The sandbox's whole world, serialisable so it doubles as the seed format.
//! Every field has a default so a partial seed (only the panel a test cares
//! about) is accepted.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The seed shipped with the crate; `Sandbox::start()` uses it.
pub const DEFAULT_SEED: &str = include_str!("../seed.json");

/// The default seed as JSON.
pub fn default_seed() -> Value {
    serde_json::from_str(DEFAULT_SEED).unwrap_or(Value::Null)
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct State {
    pub hestia: HestiaState,
    pub enhance: EnhanceState,
    pub serverpilot: ServerPilotState,
}

impl State {
    pub fn from_value(v: Value) -> Result<State, String> {
        serde_json::from_value(v).map_err(|e| format!("invalid sandbox state: {e}"))
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

fn yes() -> bool {
    true
}

fn default_alias_limit() -> u64 {
    1000
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct HestiaState {
    pub admin_user: String,
    pub admin_password: String,
    /// access key → secret key
    pub access_keys: BTreeMap<String, String>,
    pub legacy_hashes: Vec<String>,
    pub api_enabled: bool,
    pub ip_allowed: bool,
    /// Refused logins; at 5 or more the client is "banned" (fail2ban).
    pub failed_logins: u32,
    pub users: BTreeMap<String, HestiaUser>,
    /// Web-server reloads performed.
    pub reloads: u64,
}

impl Default for HestiaState {
    fn default() -> Self {
        HestiaState {
            admin_user: "admin".into(),
            admin_password: String::new(),
            access_keys: BTreeMap::new(),
            legacy_hashes: Vec::new(),
            api_enabled: true,
            ip_allowed: true,
            failed_logins: 0,
            users: BTreeMap::new(),
            reloads: 0,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct HestiaUser {
    pub suspended: bool,
    /// Package limit: aliases over all of the user's web domains.
    pub alias_limit: u64,
    pub web_domains: BTreeMap<String, WebDomain>,
}

impl Default for HestiaUser {
    fn default() -> Self {
        HestiaUser { suspended: false, alias_limit: default_alias_limit(), web_domains: BTreeMap::new() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct WebDomain {
    pub aliases: Vec<String>,
    pub suspended: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct EnhanceState {
    pub tokens: Vec<String>,
    pub servers: BTreeMap<String, EnhanceServer>,
    pub orgs: BTreeMap<String, EnhanceOrg>,
    /// Counter behind the deterministic ids the sandbox hands out.
    pub next_id: u64,
}

impl Default for EnhanceState {
    fn default() -> Self {
        EnhanceState { tokens: Vec::new(), servers: BTreeMap::new(), orgs: BTreeMap::new(), next_id: 1 }
    }
}

impl EnhanceState {
    /// Deterministic UUID (version 4 layout, variant nibble 9) so repeated
    /// runs see the same ids.
    pub fn new_id(&mut self) -> String {
        let n = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        format!("00000000-0000-4000-9000-{:012x}", n % 0x1_0000_0000_0000)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceServer {
    pub website_id: String,
    pub domains: Vec<ServerDomain>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct ServerDomain {
    pub domain_id: String,
    pub domain_name: String,
    pub is_primary: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceOrg {
    pub websites: BTreeMap<String, EnhanceWebsite>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct EnhanceWebsite {
    pub domains: Vec<WebsiteDomain>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct WebsiteDomain {
    pub domain_id: String,
    pub domain: String,
    pub mapping_kind: String,
}

fn default_action_status() -> String {
    "success".into()
}

fn default_open_reads() -> u32 {
    2
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ServerPilotState {
    pub client_id: String,
    pub api_key: String,
    pub apps: BTreeMap<String, SpApp>,
    pub actions: BTreeMap<String, SpAction>,
    /// Status new actions start with ("open" lets tests exercise waiting).
    #[serde(default = "default_action_status")]
    pub action_status: String,
    /// Reads after which an open action turns "success".
    #[serde(default = "default_open_reads")]
    pub open_reads: u32,
    pub next_action: u64,
    /// Ids the next actions take, first first, before numbered ones: lets a
    /// test make the panel answer a hostile `actionid`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub action_ids: Vec<String>,
}

impl Default for ServerPilotState {
    fn default() -> Self {
        ServerPilotState {
            client_id: String::new(),
            api_key: String::new(),
            apps: BTreeMap::new(),
            actions: BTreeMap::new(),
            action_status: default_action_status(),
            open_reads: default_open_reads(),
            next_action: 1,
            action_ids: Vec::new(),
        }
    }
}

impl ServerPilotState {
    /// Records a new action and returns its id (16 characters, like the real ones).
    pub fn new_action(&mut self, app_id: &str, serverid: &str) -> String {
        let n = self.next_action;
        self.next_action = self.next_action.saturating_add(1);
        let id = if self.action_ids.is_empty() {
            format!("sbxaction{:07}", n % 10_000_000)
        } else {
            self.action_ids.remove(0)
        };
        let action = SpAction {
            status: self.action_status.clone(),
            app_id: app_id.to_string(),
            serverid: serverid.to_string(),
            datecreated: 1_700_000_000 + n,
            reads: 0,
        };
        self.actions.insert(id.clone(), action);
        id
    }
}

fn default_runtime() -> String {
    "php8.2".into()
}

fn default_serverid() -> String {
    "sbxServer0000001".into()
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SpApp {
    pub name: String,
    #[serde(default = "default_serverid")]
    pub serverid: String,
    #[serde(default = "default_runtime")]
    pub runtime: String,
    pub domains: Vec<String>,
    /// null, or the certificate object (`{"auto":true,…}` for AutoSSL).
    pub ssl: Value,
    pub autossl: AutoSsl,
}

impl Default for SpApp {
    fn default() -> Self {
        SpApp {
            name: String::new(),
            serverid: default_serverid(),
            runtime: default_runtime(),
            domains: Vec::new(),
            ssl: Value::Null,
            autossl: AutoSsl::default(),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct AutoSsl {
    #[serde(default = "yes")]
    pub available: bool,
    pub domains: Vec<String>,
}

impl Default for AutoSsl {
    fn default() -> Self {
        AutoSsl { available: true, domains: Vec::new() }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SpAction {
    pub status: String,
    pub app_id: String,
    pub serverid: String,
    pub datecreated: u64,
    /// How often the action has been read (drives open → success).
    pub reads: u32,
}
