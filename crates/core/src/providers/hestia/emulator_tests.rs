//! Hestia's emulator over HTTP: each command's answers and exit codes, and
//! what the panel ends up with. Run by crates/sandbox/tests/emulators.rs.

use crate::common::*;
use wu_sandbox::hestia::{HestiaUser, WebDomain};

const ADD: &str = "v-add-web-domain-alias";
const DEL: &str = "v-delete-web-domain-alias";

fn with_other_user(sb: &Sandbox) {
    sb.update_state(|s| {
        let mut other = HestiaUser::default();
        other.web_domains.insert("other.example".into(), WebDomain { aliases: vec!["taken.example".into()], suspended: false });
        s.hestia.users.insert("bob".into(), other);
        s.hestia.users.insert("empty".into(), HestiaUser::default());
    });
}

#[test]
fn adding_aliases_answers_each_rule_with_its_exit_code_and_applies_only_on_success() {
    type Setup = fn(&Sandbox);
    let none: Setup = |_| {};
    let suspend_user: Setup = |sb| sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().suspended = true);
    let suspend_domain: Setup = |sb| {
        sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut(DOMAIN).unwrap().suspended = true)
    };
    let limit_two: Setup = |sb| sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().alias_limit = 2);
    // (case, setup, args, exit code, aliases of network.example afterwards)
    type Case = (&'static str, Setup, Vec<&'static str>, &'static str, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        ("a new alias is added", none, vec!["admin", DOMAIN, "a.example"], "0", vec!["www.network.example", "a.example"]),
        ("a list is lower-cased, de-duplicated and dot-trimmed", none, vec!["admin", DOMAIN, "A.Example,a.example.,.www.A.example"], "0", vec!["www.network.example", "a.example", "www.a.example"]),
        ("the domain loses case and a leading www.", none, vec!["admin", "WWW.Network.Example", "b.example"], "0", vec!["www.network.example", "b.example"]),
        ("a leading wildcard label is allowed", none, vec!["admin", DOMAIN, "*.c.example"], "0", vec!["www.network.example", "*.c.example"]),
        ("fewer than three args exit 1", none, vec!["admin", DOMAIN], "1", vec!["www.network.example"]),
        ("an empty alias exits 2", none, vec!["admin", DOMAIN, ""], "2", vec!["www.network.example"]),
        ("only commas and dots exit 2", none, vec!["admin", DOMAIN, ",..,"], "2", vec!["www.network.example"]),
        ("a slash exits 2", none, vec!["admin", DOMAIN, "a.example/path"], "2", vec!["www.network.example"]),
        ("a port exits 2", none, vec!["admin", DOMAIN, "a.example:8080"], "2", vec!["www.network.example"]),
        ("a space exits 2", none, vec!["admin", DOMAIN, "a example"], "2", vec!["www.network.example"]),
        ("a star inside a label exits 2", none, vec!["admin", DOMAIN, "a*.example"], "2", vec!["www.network.example"]),
        ("one bad alias in a list exits 2 and adds none", none, vec!["admin", DOMAIN, "ok.example,bad_alias.example"], "2", vec!["www.network.example"]),
        ("an unknown user exits 3", none, vec!["nobody", DOMAIN, "a.example"], "3", vec!["www.network.example"]),
        ("an unknown web domain exits 3", none, vec!["admin", "missing.example", "a.example"], "3", vec!["www.network.example"]),
        ("a suspended user exits 5", suspend_user, vec!["admin", DOMAIN, "a.example"], "5", vec!["www.network.example"]),
        ("a suspended web domain exits 5", suspend_domain, vec!["admin", DOMAIN, "a.example"], "5", vec!["www.network.example"]),
        ("an alias already on this domain exits 4", none, vec!["admin", DOMAIN, "www.network.example"], "4", vec!["www.network.example"]),
        ("an alias naming a web domain exits 4", none, vec!["admin", DOMAIN, "network.example"], "4", vec!["www.network.example"]),
        ("an alias used by another user exits 4", with_other_user, vec!["admin", DOMAIN, "taken.example"], "4", vec!["www.network.example"]),
        ("another user's web domain exits 4", with_other_user, vec!["admin", DOMAIN, "other.example"], "4", vec!["www.network.example"]),
        ("one taken alias in a list exits 4 and adds none", none, vec!["admin", DOMAIN, "fresh.example,www.network.example"], "4", vec!["www.network.example"]),
        ("going over the package limit exits 8 and adds none", limit_two, vec!["admin", DOMAIN, "a.example,b.example"], "8", vec!["www.network.example"]),
        ("reaching the package limit exactly is fine", limit_two, vec!["admin", DOMAIN, "a.example"], "0", vec!["www.network.example", "a.example"]),
    ];
    for (case, setup, args, code, aliases) in cases {
        let sb = Sandbox::start();
        setup(&sb);
        assert_eq!(exit_code(&sb, ADD, &args), code, "{case}");
        assert_eq!(sb.hestia_aliases("admin", DOMAIN), aliases, "{case}");
    }
}

#[test]
fn deleting_aliases_matches_case_sensitively_and_answers_missing_things_with_exit_3() {
    let cases: Vec<(&str, Vec<&str>, &str, Vec<&str>)> = vec![
        ("an existing alias is removed", vec!["admin", DOMAIN, "www.network.example"], "0", vec![]),
        ("dots around the alias are trimmed", vec!["admin", DOMAIN, ".www.network.example."], "0", vec![]),
        ("the domain loses a leading www.", vec!["admin", "www.network.example", "www.network.example"], "0", vec![]),
        ("the alias match is case-sensitive", vec!["admin", DOMAIN, "WWW.NETWORK.EXAMPLE"], "3", vec!["www.network.example"]),
        ("an alias not on the domain exits 3", vec!["admin", DOMAIN, "nope.example"], "3", vec!["www.network.example"]),
        ("an unknown user exits 3", vec!["nobody", DOMAIN, "www.network.example"], "3", vec!["www.network.example"]),
        ("an unknown domain exits 3", vec!["admin", "missing.example", "www.network.example"], "3", vec!["www.network.example"]),
        ("fewer than three args exit 1", vec!["admin", DOMAIN], "1", vec!["www.network.example"]),
    ];
    for (case, args, code, aliases) in cases {
        let sb = Sandbox::start();
        assert_eq!(exit_code(&sb, DEL, &args), code, "{case}");
        assert_eq!(sb.hestia_aliases("admin", DOMAIN), aliases, "{case}");
    }
}

#[test]
fn error_texts_name_the_missing_or_taken_thing() {
    let sb = Sandbox::start();
    with_other_user(&sb);
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (ADD, vec!["nobody", DOMAIN, "a.example"], "Error: user nobody doesn't exist"),
        (ADD, vec!["admin", "missing.example", "a.example"], "Error: web domain missing.example doesn't exist"),
        (ADD, vec!["admin", DOMAIN, "www.network.example"], "Error: Web alias www.network.example exists"),
        (ADD, vec!["admin", DOMAIN, "other.example"], "Error: Web domain other.example exists"),
        (DEL, vec!["admin", DOMAIN, "Www.network.example"], "Error: alias Www.network.example doesn't exist"),
        ("v-no-such-command", vec![], "Error: command v-no-such-command not found"),
    ];
    for (cmd, args, text) in cases {
        let r = hestia(&sb, &key_auth(), cmd, &args, false);
        assert_eq!(r.text(), text, "{cmd} {args:?}");
    }
}

#[test]
fn key_mode_maps_exit_codes_to_http_statuses_and_always_sends_the_exit_code_header() {
    let sb = Sandbox::start();
    sb.update_state(|s| {
        let u = s.hestia.users.get_mut("admin").unwrap();
        u.web_domains.insert("frozen.example".into(), WebDomain { aliases: vec![], suspended: true });
        u.web_domains.insert("full.example".into(), WebDomain::default());
    });
    let cases: Vec<(&str, Vec<&str>, u16, &str)> = vec![
        ("exit 0 without output is 204", vec!["admin", DOMAIN, "ok.example"], 204, "0"),
        ("exit 1 is 400", vec!["admin"], 400, "1"),
        ("exit 2 is 422", vec!["admin", DOMAIN, "bad/alias"], 422, "2"),
        ("exit 3 is 400", vec!["nobody", DOMAIN, "x.example"], 400, "3"),
        ("exit 4 is 400", vec!["admin", DOMAIN, "ok.example"], 400, "4"),
        ("exit 5 is 401", vec!["admin", "frozen.example", "y.example"], 401, "5"),
    ];
    for (case, args, status, code) in cases {
        let r = hestia(&sb, &key_auth(), ADD, &args, false);
        assert_eq!(r.status, status, "{case}: {}", r.text());
        assert_eq!(r.header("hestia-exit-code"), Some(code), "{case}");
        if status == 204 {
            assert!(r.body.is_empty(), "{case}");
        } else {
            assert!(r.text().starts_with("Error: "), "{case}: {}", r.text());
        }
    }
    sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().alias_limit = 0);
    let r = hestia(&sb, &key_auth(), ADD, &["admin", "full.example", "z.example"], false);
    assert_eq!((r.status, r.header("hestia-exit-code")), (400, Some("8")), "exit 8 is 400");
}

#[test]
fn the_exit_code_table_matches_hestias_api() {
    use wu_sandbox::hestia::exit_status;
    let table = [(0, 200), (1, 400), (2, 422), (3, 400), (4, 400), (5, 401), (6, 401), (7, 400), (8, 400), (9, 401), (10, 401), (11, 400), (20, 400), (21, 401)];
    for (code, status) in table {
        assert_eq!(exit_status(code), status, "exit {code}");
    }
}

#[test]
fn legacy_mode_always_answers_200_with_output_error_text_or_ok_and_no_exit_header() {
    let sb = Sandbox::start();
    let legacy_hash = vec![("hash", LEGACY_HASH.to_string())];
    for auth in [password_auth(), legacy_hash] {
        let ok = hestia(&sb, &auth, ADD, &["admin", DOMAIN, &format!("l{}.example", auth[0].0)], false);
        assert_eq!((ok.status, ok.text().as_str()), (200, "OK"));
        assert_eq!(ok.header("hestia-exit-code"), None);
        let failed = hestia(&sb, &auth, ADD, &["nobody", DOMAIN, "q.example"], false);
        assert_eq!((failed.status, failed.text().as_str()), (200, "Error: user nobody doesn't exist"));
        let listed = hestia(&sb, &auth, "v-list-web-domains", &["admin", "json"], false);
        assert_eq!(listed.status, 200);
        assert!(listed.json().get(DOMAIN).is_some());
    }
}

#[test]
fn returncode_yes_answers_200_with_just_the_exit_code_in_both_modes() {
    let sb = Sandbox::start();
    let access_pair = vec![("access_key", ACCESS_KEY.to_string()), ("secret_key", SECRET_KEY.to_string())];
    for (auth, key_mode) in [(password_auth(), false), (key_auth(), true), (access_pair, true)] {
        for (args, code) in [(vec!["nobody", DOMAIN, "a.example"], "3"), (vec!["admin", DOMAIN, "www.network.example"], "4")] {
            let r = hestia(&sb, &auth, ADD, &args, true);
            assert_eq!((r.status, r.text().as_str()), (200, code));
            assert_eq!(r.header("hestia-exit-code").is_some(), key_mode);
        }
    }
    // Only the exact value "yes" counts.
    let r = post_form(&sb, "/api/", &[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", ADD), ("arg1", "nobody"), ("arg2", DOMAIN), ("arg3", "a.example"), ("returncode", "YES")]);
    assert_eq!(r.text(), "Error: user nobody doesn't exist");
}

#[test]
fn each_auth_mode_is_accepted_with_right_credentials_and_refused_with_its_own_wording() {
    let pair = format!("{ACCESS_KEY}:{SECRET_KEY}");
    let wrong_pair = format!("{ACCESS_KEY}:{}", "x".repeat(40));
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        ("user and password", vec![("user", ADMIN), ("password", ADMIN_PASSWORD)], 200, "0"),
        ("a wrong password", vec![("user", ADMIN), ("password", "nope")], 401, "Error: authentication failed"),
        ("a user other than the admin", vec![("user", "bob"), ("password", ADMIN_PASSWORD)], 401, "Error: authentication failed"),
        ("an access:secret hash", vec![("hash", &pair)], 200, "0"),
        ("a wrong secret in the hash", vec![("hash", &wrong_pair)], 401, "Error: Authentication failed"),
        ("a legacy hash", vec![("hash", LEGACY_HASH)], 200, "0"),
        ("an unknown legacy hash", vec![("hash", "not-a-known-hash-at-all")], 401, "Error: authentication failed"),
        ("access_key and secret_key fields", vec![("access_key", ACCESS_KEY), ("secret_key", SECRET_KEY)], 200, "0"),
        ("a wrong secret_key", vec![("access_key", ACCESS_KEY), ("secret_key", "nope")], 401, "Error: Authentication failed"),
    ];
    for (case, auth, status, body) in cases {
        let sb = Sandbox::start();
        let mut fields = auth.clone();
        fields.extend([("cmd", "v-list-web-domains"), ("arg1", "admin"), ("arg2", "json"), ("returncode", "yes")]);
        let r = post_form(&sb, "/api/", &fields);
        assert_eq!((r.status, r.text().as_str()), (status, body), "{case}");
        assert_eq!(sb.hestia_failed_logins(), if status == 401 { 1 } else { 0 }, "{case}");
    }
}

#[test]
fn a_short_legacy_hash_is_refused_even_when_listed() {
    let sb = Sandbox::start();
    sb.update_state(|s| s.hestia.legacy_hashes.push("short".into()));
    let r = post_form(&sb, "/api/", &[("hash", "short"), ("cmd", "v-list-web-domains"), ("arg1", "admin")]);
    assert_eq!(r.status, 401);
}

#[test]
fn five_failed_logins_ban_the_client_so_further_requests_are_dropped_unanswered() {
    let sb = Sandbox::start();
    for attempt in 1..=5 {
        let r = post_form(&sb, "/api/", &[("user", ADMIN), ("password", "wrong"), ("cmd", "v-list-web-domains")]);
        assert_eq!(r.status, 401, "attempt {attempt}");
    }
    let body = form_body(&[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", "v-list-web-domains"), ("arg1", "admin")]);
    let r = raw(&sb, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes());
    assert!(r.is_err(), "a banned client gets no answer: {r:?}");
    let last = sb.requests().pop().unwrap();
    assert_eq!(last.status, 0);
}

#[test]
fn gatekeeping_checks_come_in_hestias_order_before_authentication() {
    type Setup = fn(&Sandbox);
    let none: Setup = |_| {};
    let disabled: Setup = |sb| sb.update_state(|s| s.hestia.api_enabled = false);
    let blocked: Setup = |sb| sb.update_state(|s| s.hestia.ip_allowed = false);
    let cases: Vec<(&str, Setup, &str, u16, &str)> = vec![
        ("a body that is neither auth form nor JSON is 405", none, "cmd=v-list-web-domains", 405, "Error: data received is null or invalid, check https://hestiacp.com/docs/server-administration/rest-api.html"),
        ("an empty body is 405", none, "", 405, "Error: data received is null or invalid, check https://hestiacp.com/docs/server-administration/rest-api.html"),
        ("a disabled API is 400 even with bad credentials", disabled, "user=admin&password=bad&cmd=x", 400, "Error: API has been disabled"),
        ("a refused IP is 401 even with bad credentials", blocked, "user=admin&password=bad&cmd=x", 401, "Error: IP is not allowed to connect with API"),
        ("a missing cmd is 422", none, "user=admin&password=sandbox-admin-password", 422, "Error: Command not provided"),
    ];
    for (case, setup, body, status, text) in cases {
        let sb = Sandbox::start();
        setup(&sb);
        let r = call(&sb, "POST", "/api/", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes());
        assert_eq!((r.status, r.text().as_str()), (status, text), "{case}");
        assert_eq!(sb.hestia_failed_logins(), 0, "{case}: no login was attempted");
    }
}

#[test]
fn a_json_body_is_read_with_the_same_keys_when_the_form_has_no_auth_fields() {
    let sb = Sandbox::start();
    let body = serde_json::json!({"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "cmd": ADD, "arg1": "admin", "arg2": DOMAIN, "arg3": "json.example"});
    let r = call(&sb, "POST", "/api/", &[("Content-Type", "application/json")], body.to_string().as_bytes());
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(sb.hestia_aliases("admin", DOMAIN).contains(&"json.example".to_string()));
}

#[test]
fn args_are_trimmed_and_a_missing_arg_closes_the_gap() {
    let sb = Sandbox::start();
    let r = post_form(&sb, "/api/", &[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", ADD), ("arg1", " admin "), ("arg3", DOMAIN), ("arg4", "  gap.example "), ("returncode", "yes")]);
    assert_eq!(r.text(), "0");
    assert_eq!(sb.hestia_aliases("admin", DOMAIN), vec!["www.network.example", "gap.example"]);
}

#[test]
fn every_hestia_path_is_served() {
    for path in ["/api", "/api/", "/api/index.php"] {
        let sb = Sandbox::start();
        let r = post_form(&sb, path, &[("user", ADMIN), ("password", ADMIN_PASSWORD), ("cmd", "v-list-web-domains"), ("arg1", "admin"), ("returncode", "yes")]);
        assert_eq!((r.status, r.text().as_str()), (200, "0"), "{path}");
    }
}

#[test]
fn a_web_server_reload_is_counted_unless_restart_is_exactly_no() {
    // (restart arg, reloads expected after one add and one delete)
    let cases: Vec<(Option<&str>, u64)> = vec![(None, 2), (Some("yes"), 2), (Some("no"), 0), (Some("NO"), 2), (Some(""), 2)];
    for (restart, reloads) in cases {
        let sb = Sandbox::start();
        let mut add = vec!["admin", DOMAIN, "r.example"];
        let mut del = vec!["admin", DOMAIN, "r.example"];
        if let Some(r) = restart {
            add.push(r);
            del.push(r);
        }
        assert_eq!(exit_code(&sb, ADD, &add), "0");
        assert_eq!(exit_code(&sb, ADD, &add), "4", "a failed add does not reload");
        assert_eq!(exit_code(&sb, DEL, &del), "0");
        assert_eq!(sb.hestia_reloads(), reloads, "restart {restart:?}");
    }
}

#[test]
fn listing_web_domains_gives_a_json_object_of_string_fields_per_domain() {
    let sb = Sandbox::start();
    with_other_user(&sb);
    assert_eq!(exit_code(&sb, ADD, &["admin", DOMAIN, "two.example", "no"]), "0");
    let r = hestia(&sb, &key_auth(), "v-list-web-domains", &["admin", "json"], false);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    let d = &v[DOMAIN];
    assert_eq!(d["ALIAS"], "www.network.example,two.example");
    for (field, value) in [("SSL", "no"), ("LETSENCRYPT", "no"), ("SUSPENDED", "no")] {
        assert_eq!(d[field], value, "{field}");
    }
    for field in ["IP", "DATE", "TIME"] {
        assert!(d[field].is_string(), "{field}");
    }
    let empty = hestia(&sb, &key_auth(), "v-list-web-domains", &["empty", "json"], false);
    assert_eq!(empty.json(), serde_json::json!({}));
    assert_eq!(exit_code(&sb, "v-list-web-domains", &["nobody", "json"]), "3");
    let one = hestia(&sb, &key_auth(), "v-list-web-domain", &["bob", "other.example", "json"], false);
    assert_eq!(one.json()["other.example"]["ALIAS"], "taken.example");
}

#[test]
fn a_suspended_domain_is_listed_as_suspended() {
    let sb = Sandbox::start();
    sb.update_state(|s| s.hestia.users.get_mut("admin").unwrap().web_domains.get_mut(DOMAIN).unwrap().suspended = true);
    let r = hestia(&sb, &key_auth(), "v-list-web-domains", &["admin", "json"], false);
    assert_eq!(r.json()[DOMAIN]["SUSPENDED"], "yes");
}

#[test]
fn restarting_the_web_server_counts_a_reload_unless_told_no() {
    let sb = Sandbox::start();
    assert_eq!(exit_code(&sb, "v-restart-web", &[]), "0");
    assert_eq!(sb.hestia_reloads(), 1);
    assert_eq!(exit_code(&sb, "v-restart-web", &["no"]), "0");
    assert_eq!(sb.hestia_reloads(), 1);
}
