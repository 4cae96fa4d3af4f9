//! Enhance's emulator over HTTP: both addressing modes, their bodies and
//! error shapes. Run by crates/sandbox/tests/emulators.rs.

use crate::common::*;
use serde_json::json;

const TOKEN: &str = "sandbox-enhance-token";
const SERVER: &str = "00000000-0000-4000-8000-000000000001";
const ORG: &str = "00000000-0000-4000-8000-0000000000a1";
const SITE: &str = "00000000-0000-4000-8000-0000000000b1";

fn enhance(sb: &Sandbox, method: &str, path: &str, body: &str) -> Resp {
    let auth = format!("Bearer {TOKEN}");
    call(sb, method, path, &[("Authorization", &auth), ("Content-Type", "application/json")], body.as_bytes())
}

#[test]
fn requests_without_a_known_bearer_token_are_refused_with_401() {
    let sb = Sandbox::start();
    let path = format!("/api/servers/{SERVER}/domains");
    for auth in [None, Some("Bearer wrong"), Some("Basic c2FuZGJveC1lbmhhbmNlLXRva2Vu"), Some("Bearer ")] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
        let r = call(&sb, "GET", &path, &headers, b"");
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(r.json()["code"], "unauthorized");
    }
}

#[test]
fn server_domains_are_listed_added_as_a_bare_json_string_and_deleted_by_id() {
    let sb = Sandbox::start();
    let list = enhance(&sb, "GET", &format!("/api/servers/{SERVER}/domains"), "");
    assert_eq!(list.status, 200);
    assert_eq!(list.json()["websiteId"], SITE);
    assert_eq!(list.json()["domains"][0], json!({"domainId": "00000000-0000-4000-8000-0000000000d1", "domainName": "network.example", "isPrimary": true}));

    let added = enhance(&sb, "POST", &format!("/api/servers/{SERVER}/domains"), "\"shop.example\"");
    assert_eq!(added.status, 201);
    let domain_id = added.json()["domainId"].as_str().unwrap().to_string();
    assert_eq!(domain_id, "00000000-0000-4000-9000-000000000001", "ids are deterministic");
    assert_eq!(added.json()["websiteId"], SITE);
    assert_eq!(sb.enhance_server_domains(SERVER), vec!["network.example", "shop.example"]);

    let gone = enhance(&sb, "DELETE", &format!("/api/servers/{SERVER}/domains/{domain_id}"), "");
    assert_eq!((gone.status, gone.body.len()), (204, 0));
    let again = enhance(&sb, "DELETE", &format!("/api/servers/{SERVER}/domains/{domain_id}"), "");
    assert_eq!((again.status, again.json()["code"].as_str()), (404, Some("not_found")));
}

#[test]
fn server_domain_posts_answer_bad_bodies_duplicates_and_unknown_servers_with_coded_errors() {
    let cases: Vec<(&str, String, &str, u16, &str)> = vec![
        ("an object body is invalid", format!("/api/servers/{SERVER}/domains"), r#"{"domain":"a.example"}"#, 400, "invalid_body"),
        ("non-JSON is invalid", format!("/api/servers/{SERVER}/domains"), "a.example", 400, "invalid_body"),
        ("a duplicate in other case exists", format!("/api/servers/{SERVER}/domains"), "\"Network.Example\"", 409, "already_exists"),
        ("an unknown server is not found", "/api/servers/00000000-0000-4000-8000-00000000ffff/domains".into(), "\"a.example\"", 404, "not_found"),
    ];
    for (case, path, body, status, code) in cases {
        let sb = Sandbox::start();
        let r = enhance(&sb, "POST", &path, body);
        assert_eq!((r.status, r.json()["code"].as_str()), (status, Some(code)), "{case}");
        assert!(r.json()["detail"].is_string(), "{case}");
        assert_eq!(sb.enhance_server_domains(SERVER), vec!["network.example"], "{case}");
    }
}

#[test]
fn website_domains_are_listed_added_with_a_domain_object_and_deleted_by_id() {
    let sb = Sandbox::start();
    let base = format!("/api/orgs/{ORG}/websites/{SITE}/domains");
    let list = enhance(&sb, "GET", &base, "");
    assert_eq!(list.json()["items"][0], json!({"domainId": "00000000-0000-4000-8000-0000000000d2", "websiteId": SITE, "domain": "network.example", "mappingKind": "primary"}));

    let added = enhance(&sb, "POST", &base, r#"{"domain":"Shop.Example"}"#);
    assert_eq!(added.status, 201);
    let id = added.json()["id"].as_str().unwrap().to_string();
    let kinded = enhance(&sb, "POST", &base, r#"{"domain":"www.shop.example","kind":"alias"}"#);
    assert_eq!(kinded.status, 201);
    let items = enhance(&sb, "GET", &base, "").json()["items"].clone();
    assert_eq!(items[1]["domain"], "shop.example");
    assert_eq!(items[1]["mappingKind"], "alias");
    assert_eq!(items[1]["domainId"], id.as_str());

    let dup = enhance(&sb, "POST", &base, r#"{"domain":"SHOP.example"}"#);
    assert_eq!((dup.status, dup.json()["code"].as_str()), (409, Some("already_exists")));
    let bare = enhance(&sb, "POST", &base, "\"x.example\"");
    assert_eq!((bare.status, bare.json()["code"].as_str()), (400, Some("invalid_body")));

    assert_eq!(enhance(&sb, "DELETE", &format!("{base}/{id}"), "").status, 204);
    assert_eq!(enhance(&sb, "DELETE", &format!("{base}/{id}"), "").status, 404);
    assert_eq!(sb.enhance_website_domains(ORG, SITE), vec!["network.example", "www.shop.example"]);
}

#[test]
fn the_website_itself_answers_with_its_id_and_unknown_orgs_or_websites_are_404() {
    let sb = Sandbox::start();
    let r = enhance(&sb, "GET", &format!("/api/orgs/{ORG}/websites/{SITE}"), "");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["id"], SITE);
    assert_eq!(r.json()["domain"], "network.example");
    let unknown = [
        format!("/api/orgs/{ORG}/websites/00000000-0000-4000-8000-00000000ffff"),
        format!("/api/orgs/00000000-0000-4000-8000-00000000ffff/websites/{SITE}"),
        format!("/api/orgs/00000000-0000-4000-8000-00000000ffff/websites/{SITE}/domains"),
    ];
    for path in unknown {
        let r = enhance(&sb, "GET", &path, "");
        assert_eq!((r.status, r.json()["code"].as_str()), (404, Some("not_found")), "{path}");
    }
}

#[test]
fn servers_are_listed_with_a_total_and_honour_offset_and_limit() {
    let sb = Sandbox::start();
    let r = enhance(&sb, "GET", "/api/servers", "");
    assert_eq!(r.json(), json!({"items": [{"id": SERVER}], "total": 1}));
    let paged = enhance(&sb, "GET", "/api/servers?offset=1&limit=5", "");
    assert_eq!(paged.json(), json!({"items": [], "total": 1}));
}

#[test]
fn the_primary_domain_of_a_server_or_website_cannot_be_deleted() {
    let sb = Sandbox::start();
    let paths = [
        format!("/api/servers/{SERVER}/domains/00000000-0000-4000-8000-0000000000d1"),
        format!("/api/orgs/{ORG}/websites/{SITE}/domains/00000000-0000-4000-8000-0000000000d2"),
    ];
    for path in paths {
        let r = enhance(&sb, "DELETE", &path, "");
        assert_eq!((r.status, r.json()["code"].as_str()), (400, Some("primary_domain")), "{path}");
    }
    assert_eq!(sb.enhance_server_domains(SERVER), vec!["network.example"]);
    assert_eq!(sb.enhance_website_domains(ORG, SITE), vec!["network.example"]);
}
