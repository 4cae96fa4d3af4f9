//! Behaviour every panel must have, written once and run for every
//! registered panel against its sandbox emulator: a panel added to the
//! registry is covered here without a line of its own.

use wu_native_core::ops::{self, Operation, OperationResult, Options};
use wu_native_core::providers::{self, Action};
use wu_native_core::{MapSource, WwwRule};
use wu_sandbox::{Panel, Sandbox};

fn panels() -> Vec<Panel> {
    let panels = Sandbox::panels();
    let registered: Vec<&str> = providers::REGISTRY.iter().map(|s| s.id).collect();
    assert_eq!(panels.iter().map(|p| p.name()).collect::<Vec<_>>(), registered, "the sandbox emulates every registered panel");
    panels
}

fn run(panel: Panel, config: &MapSource, operation: Operation) -> OperationResult {
    let options = Options { providers: Some(vec![panel.name().to_string()]), www: WwwRule::Always, ..Options::default() };
    ops::run(operation, "customer.example", 2, &options, config).expect("a valid call")
}

fn actions(result: &OperationResult) -> Vec<(String, Action)> {
    result.results[0].changes.iter().map(|c| (c.name.clone(), c.action)).collect()
}

#[test]
fn repeating_an_add_or_a_remove_changes_nothing_more_on_any_panel() {
    for panel in panels() {
        let sb = Sandbox::start();
        let config = MapSource::new(sb.constants(panel));
        let both = |action| vec![("customer.example".to_string(), action), ("www.customer.example".to_string(), action)];
        let steps = [
            (Operation::AddDomain, Action::Added),
            (Operation::AddDomain, Action::AlreadyPresent),
            (Operation::RemoveDomain, Action::Removed),
            (Operation::RemoveDomain, Action::AlreadyAbsent),
        ];
        for (operation, want) in steps {
            let result = run(panel, &config, operation);
            assert!(result.ok, "{}: {operation:?}: {:?}", panel.name(), result.results[0].error);
            assert_eq!(actions(&result), both(want), "{}: {operation:?}", panel.name());
        }
    }
}

#[test]
fn a_wrong_secret_is_an_auth_error_that_never_shows_it_on_any_panel() {
    const WRONG: &str = "wrong-secret-value-7Hq2";
    for panel in panels() {
        let sb = Sandbox::start();
        let spec = providers::find(panel.name()).expect("registered");
        let mut config = MapSource::new(sb.constants(panel));
        let secret = spec
            .settings
            .iter()
            .find(|s| s.secret && config.0.contains_key(s.name))
            .unwrap_or_else(|| panic!("{}: the sandbox constants set a secret", panel.name()));
        config.set(secret.name, WRONG);
        for result in [
            serde_json::to_value(run(panel, &config, Operation::AddDomain).results[0].error.clone()).unwrap(),
            serde_json::to_value(ops::test_connection(panel.name(), &config).expect("configured").error).unwrap(),
        ] {
            assert_eq!(result["kind"], "auth", "{}: {result}", panel.name());
            assert!(!result.to_string().contains(WRONG), "{}: {result}", panel.name());
        }
        assert!(!sb.requests_to(panel).is_empty(), "{}: the panel was asked", panel.name());
    }
}
