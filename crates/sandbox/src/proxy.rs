//! A small forward proxy for tests: `CONNECT` tunnels for HTTPS panels and
//! absolute-form requests for HTTP ones, optionally demanding Basic
//! credentials, recording what passed through it. A refused request gets a
//! 407 whose body repeats the `Proxy-Authorization` header it was sent, as a
//! careless proxy might, so tests can check that it never reaches a message.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

/// One request the proxy received.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProxyRecord {
    /// `CONNECT`, `GET`, `POST`, …
    pub method: String,
    /// `host:port` for CONNECT, the absolute URL otherwise.
    pub target: String,
    /// Whether a `Proxy-Authorization` header came with it.
    pub authorization: bool,
    /// Whether it carried the credentials the proxy wants (true when it wants none).
    pub authorized: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ProxyOptions {
    /// `(user, password)` to demand; `None` lets everything through.
    pub credentials: Option<(String, String)>,
    /// Where to append each record as a JSON line, for tests in other processes.
    pub log: Option<std::path::PathBuf>,
}

pub struct ForwardProxy {
    addr: SocketAddr,
    records: Arc<Mutex<Vec<ProxyRecord>>>,
    stop: Arc<AtomicBool>,
}

impl ForwardProxy {
    pub fn start(options: ProxyOptions) -> std::io::Result<ForwardProxy> {
        Self::start_on("127.0.0.1:0", options)
    }

    pub fn start_on(listen: &str, options: ProxyOptions) -> std::io::Result<ForwardProxy> {
        let listener = TcpListener::bind(listen)?;
        let addr = listener.local_addr()?;
        let records = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (Arc::clone(&records), Arc::clone(&stop));
        let options = Arc::new(options);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (records, options) = (Arc::clone(&shared), Arc::clone(&options));
                std::thread::spawn(move || handle(stream, &records, &options));
            }
        });
        Ok(ForwardProxy { addr, records, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn records(&self) -> Vec<ProxyRecord> {
        self.records.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

const MAX_HEAD: usize = 64 * 1024;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

struct Head {
    method: String,
    target: String,
    version: String,
    headers: Vec<(String, String)>,
    /// Bytes after the head that were already read (the start of a body).
    rest: Vec<u8>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target, version) = (first.next()?.to_string(), first.next()?.to_string(), first.next()?.to_string());
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Some(Head { method, target, version, headers, rest: buf[end + 4..].to_vec() })
}

fn handle(mut client: TcpStream, records: &Mutex<Vec<ProxyRecord>>, options: &ProxyOptions) {
    let _ = client.set_read_timeout(Some(IO_TIMEOUT));
    let _ = client.set_write_timeout(Some(IO_TIMEOUT));
    let Some(head) = read_head(&mut client) else { return };
    let sent = head.header("Proxy-Authorization").map(str::to_string);
    let authorized = match &options.credentials {
        None => true,
        Some((user, password)) => {
            use base64::Engine;
            let wanted = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
            sent.as_deref() == Some(wanted.as_str())
        }
    };
    let record = ProxyRecord { method: head.method.clone(), target: head.target.clone(), authorization: sent.is_some(), authorized };
    if let Some(path) = &options.log {
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{}", serde_json::to_string(&record).unwrap_or_default());
        }
    }
    records.lock().unwrap_or_else(|p| p.into_inner()).push(record);

    if !authorized {
        let body = format!("proxy credentials refused: Proxy-Authorization: {}", sent.unwrap_or_default());
        let _ = write!(
            client,
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"wu-sandbox\"\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        return;
    }
    if head.method.eq_ignore_ascii_case("CONNECT") {
        tunnel(client, &head);
    } else {
        forward(client, head);
    }
}

fn connect(target: &str) -> Option<TcpStream> {
    use std::net::ToSocketAddrs;
    let addr = target.to_socket_addrs().ok()?.next()?;
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    Some(stream)
}

fn bad_gateway(client: &mut TcpStream) {
    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

/// Both directions copied until either side closes.
fn splice(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut client_read), Ok(mut upstream_write)) = (client.try_clone(), upstream.try_clone()) else { return };
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_read, &mut upstream_write);
        let _ = upstream_write.shutdown(Shutdown::Write);
    });
    let (mut upstream_read, mut client_write) = (upstream, client);
    let _ = std::io::copy(&mut upstream_read, &mut client_write);
    let _ = client_write.shutdown(Shutdown::Both);
    let _ = up.join();
}

fn tunnel(mut client: TcpStream, head: &Head) {
    let Some(mut upstream) = connect(&head.target) else { return bad_gateway(&mut client) };
    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").is_err() {
        return;
    }
    if !head.rest.is_empty() && upstream.write_all(&head.rest).is_err() {
        return;
    }
    splice(client, upstream);
}

/// One absolute-form request, sent on in origin form over a fresh
/// connection; the connection closes after the answer.
fn forward(mut client: TcpStream, head: Head) {
    let Ok(url) = url_parts(&head.target) else { return bad_gateway(&mut client) };
    let Some(mut upstream) = connect(&url.0) else { return bad_gateway(&mut client) };
    let mut out = format!("{} {} {}\r\n", head.method, url.1, head.version);
    for (k, v) in &head.headers {
        if ["proxy-authorization", "proxy-connection", "connection"].contains(&k.to_ascii_lowercase().as_str()) {
            continue;
        }
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    if upstream.write_all(out.as_bytes()).is_err() || upstream.write_all(&head.rest).is_err() {
        return;
    }
    splice(client, upstream);
}

/// `http://host:port/path?q` → (`host:port`, `/path?q`).
fn url_parts(target: &str) -> Result<(String, String), ()> {
    let rest = target.strip_prefix("http://").ok_or(())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
    Ok((authority, path.to_string()))
}
