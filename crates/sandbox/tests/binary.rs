//! The `wu-sandbox` binary as PHP tests and the demo use it.
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
    write!(s, "{method} {path} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
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
