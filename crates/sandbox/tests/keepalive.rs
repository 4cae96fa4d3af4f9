//! Persistent connections: several requests per connection, closed when the
//! client asks, when idle too long, and at shutdown.
mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const BEARER: (&str, &str) = ("Authorization", "Bearer sandbox-enhance-token");

fn connect(sb: &Sandbox) -> TcpStream {
    let s = TcpStream::connect(sb.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// Whether the server closed the connection (EOF or reset) within `wait`.
fn closed_within(s: &mut TcpStream, wait: Duration) -> bool {
    s.set_read_timeout(Some(wait)).unwrap();
    let mut b = [0u8; 64];
    match s.read(&mut b) {
        Ok(0) => true,
        Ok(n) => panic!("unexpected bytes: {:?}", String::from_utf8_lossy(&b[..n])),
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
    }
}

#[test]
fn two_requests_on_one_connection_are_both_answered_and_recorded() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    let mut buf = Vec::new();
    let first = exchange(&mut s, &mut buf, "GET", "/api/servers", &[BEARER], b"").unwrap();
    assert_eq!((first.status, first.header("connection")), (200, Some("keep-alive")));
    let second = exchange(&mut s, &mut buf, "POST", "/__sandbox/nope", &[], b"").unwrap();
    assert_eq!(second.status, 404);
    let third = exchange(&mut s, &mut buf, "GET", "/api/servers?page=2", &[BEARER], b"").unwrap();
    assert_eq!(third.status, 200);
    let rec = sb.requests();
    assert_eq!(rec.iter().map(|r| (r.seq, r.query.as_str())).collect::<Vec<_>>(), vec![(1, ""), (2, "page=2")]);
    assert_eq!(sb.log_lines().len(), 2);
    assert_eq!(sb.open_connections(), 1, "all on the one connection");
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    let mut both = request_bytes("GET", "/api/servers", &[BEARER], b"");
    both.extend(b"POST /v1/apps HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n");
    both.extend(request_bytes("GET", "/__sandbox/health", &[], b""));
    s.write_all(&both).unwrap();
    let mut buf = Vec::new();
    assert_eq!(read_response(&mut s, &mut buf, false).unwrap().status, 200);
    assert_eq!(read_response(&mut s, &mut buf, false).unwrap().status, 401, "no credentials for ServerPilot");
    assert_eq!(read_response(&mut s, &mut buf, false).unwrap().text(), "ok");
    let rec = sb.requests();
    assert_eq!(rec.len(), 2);
    assert_eq!((rec[1].panel, rec[1].body.as_str()), (Panel::ServerPilot, "{}"));
}

#[test]
fn connection_close_is_honoured() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    let r = exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[("Connection", "close")], b"").unwrap();
    assert_eq!((r.status, r.header("connection")), (200, Some("close")));
    assert!(closed_within(&mut s, Duration::from_secs(2)));
}

#[test]
fn http_1_0_is_closed_unless_it_asks_for_keep_alive() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    s.write_all(b"GET /__sandbox/health HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut s, &mut Vec::new(), false).unwrap().header("connection"), Some("close"));
    assert!(closed_within(&mut s, Duration::from_secs(2)));

    let mut s = connect(&sb);
    let mut buf = Vec::new();
    for _ in 0..2 {
        s.write_all(b"GET /__sandbox/health HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").unwrap();
        let r = read_response(&mut s, &mut buf, false).unwrap();
        assert_eq!((r.text().as_str(), r.header("connection")), ("ok", Some("keep-alive")));
    }
}

#[test]
fn a_fault_that_closes_ends_the_connection_and_an_answering_fault_keeps_it() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    let mut buf = Vec::new();
    sb.set_fault(Fault::status(503).times(1));
    assert_eq!(exchange(&mut s, &mut buf, "GET", "/api/servers", &[BEARER], b"").unwrap().status, 503);
    sb.set_fault(Fault::new(FaultMode::Reset).times(1));
    assert!(exchange(&mut s, &mut buf, "GET", "/api/servers", &[BEARER], b"").is_err());
    assert!(closed_within(&mut s, Duration::from_secs(2)));
    assert_eq!(sb.requests().len(), 2);
}

#[test]
fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let sb = Sandbox::try_start(Options { idle_timeout: Duration::from_millis(400), ..Options::default() }).unwrap();
    let mut s = connect(&sb);
    exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap();
    let t = Instant::now();
    assert!(!closed_within(&mut s, Duration::from_millis(200)), "still open well before the timeout");
    assert!(closed_within(&mut s, Duration::from_secs(3)), "closed after it");
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(350) && waited < Duration::from_secs(2), "{waited:?}");
    wait_until(|| sb.open_connections() == 0);
}

#[test]
fn the_default_idle_timeout_is_about_five_seconds() {
    assert_eq!(Options::default().idle_timeout, Duration::from_secs(5));
}

fn wait_until(cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !cond() {
        assert!(Instant::now() < deadline, "condition not met in time");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn stopping_is_prompt_with_an_idle_connection_open_and_closes_it() {
    let sb = Sandbox::try_start(Options { idle_timeout: Duration::from_secs(60), ..Options::default() }).unwrap();
    let mut idle = connect(&sb);
    exchange(&mut idle, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap();
    let mut silent = connect(&sb); // connected, never sent a byte
    wait_until(|| sb.open_connections() == 2);
    let t = Instant::now();
    drop(sb);
    assert!(t.elapsed() < Duration::from_secs(1), "drop took {:?}", t.elapsed());
    assert!(closed_within(&mut idle, Duration::from_secs(1)), "idle keep-alive connection cut");
    assert!(closed_within(&mut silent, Duration::from_secs(1)), "silent connection cut");
}

#[test]
fn the_shutdown_endpoint_closes_its_own_connection() {
    let sb = Sandbox::start();
    let mut s = connect(&sb);
    let r = exchange(&mut s, &mut Vec::new(), "POST", "/__sandbox/shutdown", &[], b"").unwrap();
    assert_eq!((r.status, r.header("connection")), (200, Some("close")));
    assert!(closed_within(&mut s, Duration::from_secs(2)));
    wait_until(|| sb.shutdown_requested());
}

#[test]
fn fifty_idle_connections_do_not_block_a_new_request() {
    let sb = Sandbox::start();
    let mut idle = Vec::new();
    for i in 0..50 {
        let mut s = connect(&sb);
        if i % 2 == 0 {
            // Half have had an answer and wait for more; half never spoke.
            exchange(&mut s, &mut Vec::new(), "GET", "/__sandbox/health", &[], b"").unwrap();
        }
        idle.push(s);
    }
    wait_until(|| sb.open_connections() == 50);
    let t = Instant::now();
    assert_eq!(call(&sb, "GET", "/api/servers", &[BEARER], b"").status, 200);
    assert!(t.elapsed() < Duration::from_secs(1), "took {:?}", t.elapsed());
}

#[test]
fn connections_beyond_the_cap_are_closed_and_service_resumes_when_some_end() {
    let sb = Sandbox::start();
    let mut open: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| connect(&sb)).collect();
    wait_until(|| sb.open_connections() == MAX_CONNECTIONS);
    let refused = raw(&sb, "GET", "/__sandbox/health", &[], b"");
    assert!(refused.is_err(), "{refused:?}");
    open.truncate(10);
    wait_until(|| sb.open_connections() == 10);
    assert_eq!(call(&sb, "GET", "/__sandbox/health", &[], b"").text(), "ok");
}

#[test]
fn each_request_records_the_connection_that_carried_it() {
    let sb = Sandbox::start();
    let mut stream = TcpStream::connect(sb.addr()).unwrap();
    let mut buf = Vec::new();
    for _ in 0..2 {
        stream.write_all(b"GET /v1/apps/x HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        read_response(&mut stream, &mut buf, false).unwrap();
    }
    drop(stream);
    let mut other = TcpStream::connect(sb.addr()).unwrap();
    other.write_all(b"GET /v1/apps/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    read_response(&mut other, &mut Vec::new(), false).unwrap();
    let connections: Vec<u64> = sb.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections.len(), 3);
    assert_eq!(connections[0], connections[1]);
    assert_ne!(connections[1], connections[2]);
    assert!(connections[0] > 0);
}
