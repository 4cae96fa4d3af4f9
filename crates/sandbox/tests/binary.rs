//! The `wu-sandbox` binary as PHP tests and the demo use it.
mod common;
use common::{exchange, read_response, tls_client_config, tls_connect};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wu-sandbox-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wu-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for_port(file: &Path) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(p) = std::fs::read_to_string(file).ok().and_then(|s| s.trim().parse().ok()) {
            return p;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no port file");
}

fn http(port: u16, method: &str, path: &str, body: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("did not exit");
}

#[test]
fn the_binary_writes_its_port_serves_logs_redacted_and_stops_on_the_shutdown_endpoint() {
    let dir = temp_dir("shutdown");
    let port_file = dir.join("port");
    let log = dir.join("log.txt");
    let mut child = spawn(&["--port-file", port_file.to_str().unwrap(), "--log", log.to_str().unwrap()]);
    let port = wait_for_port(&port_file);
    assert!(http(port, "GET", "/__sandbox/health", "").ends_with("\r\n\r\nok"));
    let answer = http(port, "POST", "/api/", "user=admin&password=sandbox-admin-password&cmd=v-list-web-domains&arg1=admin&returncode=yes");
    assert!(answer.ends_with("\r\n\r\n0"), "{answer}");
    assert!(http(port, "POST", "/__sandbox/shutdown", "").starts_with("HTTP/1.1 200"));
    assert_eq!(wait_exit(&mut child), 0);
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert_eq!(stdout.trim(), format!("wu-sandbox listening on http://127.0.0.1:{port}"));
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.starts_with("#1 hestia POST /api/ user=admin password=*** cmd=v-list-web-domains"), "{logged}");
    assert!(!logged.contains("sandbox-admin-password"));
}

#[test]
fn the_binary_exits_cleanly_on_sigterm() {
    let dir = temp_dir("sigterm");
    let port_file = dir.join("port");
    let mut child = spawn(&["--port-file", port_file.to_str().unwrap()]);
    wait_for_port(&port_file);
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert_eq!(wait_exit(&mut child), 0);
}

#[test]
fn the_binary_takes_a_seed_file() {
    let dir = temp_dir("seed");
    let port_file = dir.join("port");
    let seed = dir.join("seed.json");
    std::fs::write(&seed, r#"{"hestia":{"admin_password":"pw","users":{"admin":{"web_domains":{"seeded.example":{}}}}}}"#).unwrap();
    let mut child = spawn(&["--port-file", port_file.to_str().unwrap(), "--seed", seed.to_str().unwrap()]);
    let port = wait_for_port(&port_file);
    let state = http(port, "GET", "/__sandbox/state", "");
    assert!(state.contains("seeded.example") && !state.contains("network.example"), "{state}");
    http(port, "POST", "/__sandbox/shutdown", "");
    assert_eq!(wait_exit(&mut child), 0);
}

#[test]
fn the_binary_refuses_bad_flags_non_loopback_addresses_and_unreadable_seeds() {
    let cases: [&[&str]; 4] = [
        &["--listen", "0.0.0.0:0"],
        &["--listen", "192.0.2.1:8080"],
        &["--seed", "/nonexistent/seed.json"],
        &["--frobnicate"],
    ];
    for args in cases {
        let mut child = spawn(args);
        assert_eq!(wait_exit(&mut child), 2, "{args:?}");
    }
}

#[test]
fn the_binary_serves_https_with_a_generated_ca_written_before_the_port_file() {
    let dir = temp_dir("tls");
    let port_file = dir.join("port");
    let ca_file = dir.join("ca.pem");
    let mut child = spawn(&["--tls", "--ca-out", ca_file.to_str().unwrap(), "--port-file", port_file.to_str().unwrap()]);
    let port = wait_for_port(&port_file);
    let ca = std::fs::read_to_string(&ca_file).expect("the CA is there once the port is");
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
    let config = tls_client_config(&[&ca]);
    let addr = ([127, 0, 0, 1], port).into();
    for name in ["127.0.0.1", "localhost"] {
        let mut s = tls_connect(addr, name, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"ok"[..]), "{name}");
    }
    let mut s = tls_connect(addr, "127.0.0.1", &config).unwrap();
    let r = exchange(&mut s, &mut Vec::new(), "POST", "/__sandbox/shutdown", &[], b"").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(wait_exit(&mut child), 0);
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert_eq!(stdout.trim(), format!("wu-sandbox listening on https://127.0.0.1:{port}"));
}

#[test]
fn the_binary_serves_https_with_given_certificate_files() {
    let dir = temp_dir("tls-files");
    let pki = wu_sandbox::tls::generate(&["127.0.0.1"]);
    let (cert, key, port_file) = (dir.join("cert.pem"), dir.join("key.pem"), dir.join("port"));
    std::fs::write(&cert, &pki.cert_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let mut child = spawn(&["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap(), "--port-file", port_file.to_str().unwrap()]);
    let port = wait_for_port(&port_file);
    let mut s = tls_connect(([127, 0, 0, 1], port).into(), "127.0.0.1", &tls_client_config(&[&pki.ca_pem])).unwrap();
    assert_eq!(exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap().status, 200);
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert_eq!(wait_exit(&mut child), 0);

    let mut bad = spawn(&["--tls-cert", "/nonexistent/cert.pem", "--tls-key", key.to_str().unwrap()]);
    assert_eq!(wait_exit(&mut bad), 2, "an unreadable certificate is refused");
}

#[test]
fn the_binary_exits_promptly_on_sigterm_with_an_idle_keep_alive_connection_open() {
    let dir = temp_dir("sigterm-idle");
    let port_file = dir.join("port");
    let mut child = spawn(&["--port-file", port_file.to_str().unwrap()]);
    let port = wait_for_port(&port_file);
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let r = exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap();
    assert_eq!(r.header("connection"), Some("keep-alive"));
    let t = Instant::now();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert_eq!(wait_exit(&mut child), 0);
    assert!(t.elapsed() < Duration::from_secs(2), "took {:?}", t.elapsed());
    assert!(read_response(&mut s, &mut Vec::new(), false).is_err(), "the idle connection was closed");
}
