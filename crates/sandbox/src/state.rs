//! The sandbox's whole world (`State`, one field per emulated panel, defined
//! in `panels.rs`), serialisable so it doubles as the seed format. Every
//! field has a default so a partial seed (only the panel a test cares about)
//! is accepted.

use serde_json::{Map, Value};

pub use crate::panels::State;

/// The seed `Sandbox::start()` uses: each panel's `fixtures/seed.json`.
pub fn default_seed() -> Value {
    let panels: Map<String, Value> = crate::panels::SEEDS
        .iter()
        .map(|(id, seed)| (id.to_string(), serde_json::from_str(seed).unwrap_or(Value::Null)))
        .collect();
    Value::Object(panels)
}

impl State {
    pub fn from_value(v: Value) -> Result<State, String> {
        serde_json::from_value(v).map_err(|e| format!("invalid sandbox state: {e}"))
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
