//! Behaviour every panel must have, written once and run for every
//! registered panel against its sandbox emulator: a panel added to the
//! registry is covered here without a line of its own.

use wu_native_core::ops::{self, Operation, OperationResult, Options, SyncOptions};
use wu_native_core::providers::{self, Action};
use wu_native_core::{MapSource, WwwRule};
use wu_sandbox::{Panel, Sandbox};

fn panels() -> Vec<Panel> {
    let panels = Sandbox::panels();
    let registered: Vec<&str> = providers::REGISTRY.iter().map(|s| s.id).collect();
    assert_eq!(panels.iter().map(|p| p.name()).collect::<Vec<_>>(), registered, "the sandbox emulates every registered panel");
    panels
}

/// The constants of every panel at once, as a network serving them all has.
fn every_panel_config(sb: &Sandbox) -> MapSource {
    MapSource::new(panels().into_iter().flat_map(|p| sb.constants(p)))
}

/// A secret setting of `panel` that its sandbox constants set.
fn secret_of(panel: Panel, config: &MapSource) -> &'static str {
    let spec = providers::find(panel.name()).expect("registered");
    spec.settings
        .iter()
        .find(|s| s.secret && config.0.contains_key(s.name))
        .unwrap_or_else(|| panic!("{}: the sandbox constants set a secret", panel.name()))
        .name
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("site-{i:04}.example")).collect()
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
        let mut config = MapSource::new(sb.constants(panel));
        config.set(secret_of(panel, &config), WRONG);
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

#[test]
fn every_panel_is_emulated_and_its_sandbox_constants_connect() {
    let sb = Sandbox::start();
    for panel in panels() {
        let result = ops::test_connection(panel.name(), &MapSource::new(sb.constants(panel))).expect("configured");
        assert!(result.ok, "{}: {:?}", panel.name(), result.error);
    }
}

#[test]
fn a_dry_run_plans_for_every_panel_and_changes_nothing() {
    let sb = Sandbox::start();
    let before = sb.state();
    let options = SyncOptions { dry_run: true, prune: true, www: WwwRule::Always, ..SyncOptions::default() };
    let result = ops::sync(&names(3), &options, &every_panel_config(&sb)).expect("valid call");
    assert!(result.ok && result.dry_run, "{result:?}");
    assert_eq!(result.results.len(), panels().len());
    for provider in &result.results {
        assert_eq!(provider.counts.to_add, 6, "{}: three names and their www.", provider.provider);
        assert!(provider.plan.add.contains(&"site-0000.example".to_string()), "{}", provider.provider);
        assert!(provider.changes.is_empty(), "{}", provider.provider);
    }
    assert_eq!(sb.state(), before, "a dry run writes nothing");
}

#[test]
fn one_panel_refusing_does_not_stop_the_others() {
    for failing in panels() {
        let sb = Sandbox::start();
        let mut config = every_panel_config(&sb);
        config.set(secret_of(failing, &config), "expired-secret");
        let options = SyncOptions { www: WwwRule::Never, ..SyncOptions::default() };
        let result = ops::sync(&names(5), &options, &config).expect("valid call");
        assert!(!result.ok);
        for (provider, panel) in result.results.iter().zip(panels()) {
            assert_eq!(provider.provider, panel.name());
            let served = sb.served(panel);
            if panel == failing {
                assert_eq!(provider.error.as_ref().map(|e| e.kind), Some(wu_native_core::ErrorKind::Auth), "{}", panel.name());
                assert!(!served.contains(&"site-0000.example".to_string()), "{}: {served:?}", panel.name());
            } else {
                assert!(provider.ok, "{} with {} failing: {:?}", panel.name(), failing.name(), provider.error);
                for name in names(5) {
                    assert!(served.contains(&name), "{}: {name} in {served:?}", panel.name());
                }
            }
        }
    }
}
