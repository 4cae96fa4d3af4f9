//! A minimal blocking HTTP client for the tests. It reads one answer by its
//! framing (Content-Length), since the sandbox keeps connections alive, and
//! has a small rustls client for the HTTPS tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
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
    exchange(&mut s, &mut Vec::new(), method, path, headers, body)
}

/// The bytes of one request.
pub fn request_bytes(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut out = req.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Sends one request on an open connection and reads its answer; `buf`
/// carries bytes read past it.
pub fn exchange<S: Read + Write>(
    s: &mut S,
    buf: &mut Vec<u8>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, String> {
    s.write_all(&request_bytes(method, path, headers, body)).map_err(|e| e.to_string())?;
    s.flush().map_err(|e| e.to_string())?;
    read_response(s, buf, method == "HEAD")
}

/// Reads one answer (skipping `100 Continue`), body by Content-Length.
pub fn read_response<S: Read>(s: &mut S, buf: &mut Vec<u8>, head_only: bool) -> Result<Resp, String> {
    let mut chunk = [0u8; 16384];
    let mut more = |s: &mut S, buf: &mut Vec<u8>| -> Result<bool, String> {
        match s.read(&mut chunk) {
            Ok(0) => Ok(false),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                Ok(true)
            }
            Err(e) => Err(e.to_string()),
        }
    };
    loop {
        let end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match more(s, buf) {
                Ok(true) => {}
                Ok(false) if buf.is_empty() => return Err("closed without answer".into()),
                Ok(false) => return Err("closed mid-head".into()),
                Err(e) if buf.is_empty() => return Err(format!("closed without answer: {e}")),
                Err(e) => return Err(e),
            }
        };
        let head = parse(&buf[..end + 4])?;
        buf.drain(..end + 4);
        if head.status == 100 {
            continue;
        }
        let len = if head_only || head.status == 204 || head.status == 304 {
            0
        } else {
            head.header("content-length").map(|v| v.parse::<usize>().map_err(|e| e.to_string())).transpose()?.unwrap_or(0)
        };
        while buf.len() < len {
            if !more(s, buf)? {
                return Err(format!("closed mid-body ({} of {len} bytes)", buf.len()));
            }
        }
        let body = buf.drain(..len).collect();
        return Ok(Resp { body, ..head });
    }
}

/// A rustls client set-up trusting these PEM certificates.
pub fn tls_client_config(trusted_pem: &[&str]) -> Arc<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for pem in trusted_pem {
        for cert in rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

pub type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// A TLS connection to `addr` for the name `server_name`, handshake done;
/// Err when it fails (e.g. an untrusted certificate).
pub fn tls_connect(addr: std::net::SocketAddr, server_name: &str, config: &Arc<rustls::ClientConfig>) -> Result<TlsStream, String> {
    let name = rustls::pki_types::ServerName::try_from(server_name.to_string()).map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::clone(config), name).map_err(|e| e.to_string())?;
    let sock = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(Duration::from_secs(20))).ok();
    let mut tls = rustls::StreamOwned::new(conn, sock);
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock).map_err(|e| e.to_string())?;
    }
    Ok(tls)
}

/// One request over a fresh HTTPS connection to 127.0.0.1.
pub fn tls_raw(
    sb: &Sandbox,
    config: &Arc<rustls::ClientConfig>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, String> {
    let mut s = tls_connect(sb.addr(), "127.0.0.1", config)?;
    exchange(&mut s, &mut Vec::new(), method, path, headers, body)
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
