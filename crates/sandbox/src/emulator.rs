//! One trait per panel emulator, and the registry of them. The server,
//! the control API, faults, recording and log redaction are written once
//! in `lib.rs` and reach a panel only through its `Emulator`.

use std::collections::BTreeMap;

use crate::http::HttpRequest;
use crate::state::State;
use crate::{Answer, Panel};

/// What a panel's handler leaves behind: the answer, and the log detail of
/// the request (secrets already masked).
pub(crate) struct Handled {
    pub answer: Answer,
    pub detail: String,
}

pub(crate) trait Emulator: Sync {
    fn panel(&self) -> Panel;

    /// Whether `path` belongs to this panel's API.
    fn serves(&self, path: &str) -> bool;

    /// Answers a request from the panel's part of the state.
    fn handle(&self, state: &mut State, req: &HttpRequest) -> Handled;

    /// Log detail of a request a fault answered before any handler saw it.
    fn unhandled_detail(&self, req: &HttpRequest) -> String;

    /// Credentials the request carries in this panel's own places (besides
    /// the `Authorization` header, which every panel's log masks), so none
    /// reaches the log.
    fn secrets(&self, _req: &HttpRequest, _form: Option<&BTreeMap<String, String>>) -> Vec<String> {
        Vec::new()
    }

    /// The settings (`WU_*` constants) a client needs to reach this panel's
    /// first target in `state` (the seed), the sandbox being at `url`.
    fn constants(&self, state: &State, url: &str) -> Vec<(&'static str, String)>;

    /// Every name the target `constants` points at serves in `state`, its
    /// own name first: what tests that cover every panel check.
    fn served(&self, state: &State) -> Vec<String>;

    /// Form or JSON fields that carry this panel's credentials (the echo
    /// fault repeats them first; the log masks them in any panel's request).
    fn secret_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether a body that is not JSON counts as a form even without a
    /// form Content-Type (Hestia's API reads it so).
    fn bodies_are_forms(&self) -> bool {
        false
    }

    /// Web-server reloads (or the panel's equivalent: work that makes a
    /// change go live and costs far more than the request) performed so far
    /// in `state`. The sandbox charges the network model's reload cost for
    /// each new one and reports them (`GET /__sandbox/reloads`).
    fn reloads(&self, _state: &State) -> u64 {
        0
    }

    /// The fewest requests and reloads this panel's API allows for adding
    /// one mapping (a name and its `www.`) and removing it again, for the
    /// bench's comparison; `None` when not worked out.
    fn cycle_floor(&self) -> Option<CycleFloor> {
        None
    }
}

/// See [`Emulator::cycle_floor`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CycleFloor {
    pub requests: u32,
    pub reloads: u32,
    /// Why no fewer will do.
    pub why: &'static str,
}

pub(crate) use crate::panels::EMULATORS;

/// The emulator of `panel`.
pub(crate) fn of(panel: Panel) -> &'static dyn Emulator {
    EMULATORS.iter().copied().find(|e| e.panel() == panel).expect("every panel has an emulator")
}

/// Declares a panel's emulator, in its `emulator.rs`: the `Panel::$name`
/// constant (id `$id`), the unit struct `$name` (which implements
/// `Emulator`), `PanelState` (its field of the sandbox's `State`),
/// `EMULATOR` (its registry entry) and `SEED` (the state `Sandbox::start()`
/// begins with: `include_str!("fixtures/seed.json")`, given by the caller so
/// the path is the folder's).
macro_rules! declare {
    ($name:ident, $id:literal, $state:ty, $seed:expr) => {
        impl crate::Panel {
            #[allow(non_upper_case_globals)]
            pub const $name: crate::Panel = crate::Panel($id);
        }

        pub(crate) struct $name;

        pub type PanelState = $state;

        pub(crate) static EMULATOR: &dyn crate::emulator::Emulator = &$name;

        pub const SEED: &str = $seed;
    };
}
pub(crate) use declare;

/// Whether `path` is `prefix` or under it.
pub(crate) fn under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

/// A plain lower-case host name; `*` only as a leading `*.` label.
pub fn valid_host(name: &str, allow_wildcard: bool) -> bool {
    let rest = match name.strip_prefix("*.") {
        Some(r) if allow_wildcard => r,
        Some(_) => return false,
        None => name,
    };
    if rest.is_empty() || rest.len() > 253 {
        return false;
    }
    rest.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}
