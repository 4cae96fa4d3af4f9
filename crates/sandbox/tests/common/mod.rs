//! A minimal blocking HTTP client for the tests: the sandbox closes every
//! connection after one answer, so reading to EOF gives the whole response.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub use wu_sandbox::*;

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// Sends one raw request; Err when the server closed without answering.
pub fn raw(sb: &Sandbox, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Resp, String> {
    let mut s = TcpStream::connect(sb.addr()).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n", sb.addr(), body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    parse(&buf)
}

pub fn parse(buf: &[u8]) -> Result<Resp, String> {
    if buf.is_empty() {
        return Err("closed without answer".into());
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no header end")?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Resp { status, headers, body: buf[end + 4..].to_vec() })
}

pub fn call(sb: &Sandbox, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    raw(sb, method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        ser.append_pair(k, v);
    }
    ser.finish()
}

pub fn post_form(sb: &Sandbox, path: &str, fields: &[(&str, &str)]) -> Resp {
    let body = form_body(fields);
    call(sb, "POST", path, &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes())
}

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "sandbox-admin-password";
pub const ACCESS_KEY: &str = "WUSANDBOXACCESSKEY01";
pub const SECRET_KEY: &str = "sandbox-secret-key-000000000000000000000";
pub const LEGACY_HASH: &str = "sandbox-legacy-api-hash-0123456789";
pub const DOMAIN: &str = "network.example";

/// Auth field sets for each Hestia mode.
pub fn password_auth() -> Vec<(&'static str, String)> {
    vec![("user", ADMIN.into()), ("password", ADMIN_PASSWORD.into())]
}
pub fn key_auth() -> Vec<(&'static str, String)> {
    vec![("hash", format!("{ACCESS_KEY}:{SECRET_KEY}"))]
}

/// Runs a Hestia command with the given auth fields and args.
pub fn hestia(sb: &Sandbox, auth: &[(&str, String)], cmd: &str, args: &[&str], returncode: bool) -> Resp {
    let mut fields: Vec<(String, String)> = auth.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    fields.push(("cmd".into(), cmd.into()));
    for (i, a) in args.iter().enumerate() {
        fields.push((format!("arg{}", i + 1), a.to_string()));
    }
    if returncode {
        fields.push(("returncode".into(), "yes".into()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_form(sb, "/api/", &refs)
}

/// Exit code of a Hestia command (returncode=yes, password auth).
pub fn exit_code(sb: &Sandbox, cmd: &str, args: &[&str]) -> String {
    let r = hestia(sb, &password_auth(), cmd, args, true);
    assert_eq!(r.status, 200, "returncode answers are always 200: {}", r.text());
    r.text()
}
