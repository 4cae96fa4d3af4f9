//! A deliberately small HTTP/1.1 server layer. It is hand-written (rather than
//! tiny_http) because the fault modes need control a framework hides: closing
//! a connection without any answer, or holding it silent. Requests on a connection
//! are read and answered one at a time; after each, the connection either
//! waits for the next (keep-alive) or is closed. The layer is generic
//! over [`Transport`] so plain TCP and TLS share it.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

/// A byte stream the server can answer on: plain TCP or TLS over TCP. The
/// socket underneath is exposed for timeouts and shutdown.
pub trait Transport: Read + Write + Send {
    fn tcp(&self) -> &TcpStream;
    /// Politely ends the session above TCP (TLS close_notify); plain TCP has none.
    fn finish(&mut self) {}
}

impl Transport for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

/// Largest request body accepted; bigger ones get 413.
pub const MAX_BODY: usize = 1 << 20;
const MAX_HEAD: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Lower-case names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// Which accepted connection carried it (numbered from 1 per server).
    pub connection: u64,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|s| s.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// Plain text the way a PHP panel sends it.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status, "text/html; charset=UTF-8", body.into().into_bytes())
    }

    pub fn json(status: u16, v: &serde_json::Value) -> Self {
        Self::new(status, "application/json", serde_json::to_vec(v).unwrap_or_default())
    }

    pub fn empty(status: u16) -> Self {
        HttpResponse { status, headers: Vec::new(), body: Vec::new() }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What reading a request off the socket produced.
pub enum ReadOutcome {
    /// The request, and whether the client is willing to keep the connection.
    Request(HttpRequest, bool),
    /// Malformed or over limits: answer this and close.
    Reject(HttpResponse),
    /// Peer went away or timed out before sending a request.
    Gone,
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Reads one request. `buf` holds bytes already received on this connection
/// and keeps whatever follows the request (a pipelined next one).
pub fn read_request<S: Read + Write + ?Sized>(stream: &mut S, buf: &mut Vec<u8>) -> ReadOutcome {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = find_head_end(buf) {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return ReadOutcome::Reject(HttpResponse::text(431, "Request header fields too large"));
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return ReadOutcome::Gone,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    buf.drain(..head_end + 4);

    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) if !m.is_empty() && t.starts_with('/') && v.starts_with("HTTP/") => {
            (m.to_string(), t.to_string(), v)
        }
        _ => return ReadOutcome::Reject(HttpResponse::text(400, "Bad Request")),
    };
    let version = version.to_string();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return ReadOutcome::Reject(HttpResponse::text(400, "Bad Request"));
        };
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim().to_string();
        headers
            .entry(name)
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.clone(), String::new()),
    };

    let chunked = headers
        .get("transfer-encoding")
        .map(|v| v.to_ascii_lowercase().contains("chunked"))
        .unwrap_or(false);
    let expects_continue = headers
        .get("expect")
        .map(|v| v.eq_ignore_ascii_case("100-continue"))
        .unwrap_or(false);

    let body = if chunked {
        if expects_continue {
            let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            let _ = stream.flush();
        }
        match read_chunked(stream, buf) {
            Ok(b) => b,
            Err(r) => return r,
        }
    } else {
        let len = match headers.get("content-length") {
            None => 0usize,
            Some(v) => match v.trim().parse::<u64>() {
                Ok(n) if n > MAX_BODY as u64 => {
                    return ReadOutcome::Reject(HttpResponse::text(413, "Payload Too Large"))
                }
                Ok(n) => n as usize,
                Err(_) => return ReadOutcome::Reject(HttpResponse::text(400, "Bad Request")),
            },
        };
        // curl waits for this before sending large bodies.
        if expects_continue && buf.len() < len {
            let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
            let _ = stream.flush();
        }
        while buf.len() < len {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return ReadOutcome::Gone,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..len).collect()
    };

    let keep_alive = client_keeps_alive(&version, headers.get("connection").map(String::as_str));
    ReadOutcome::Request(HttpRequest { method, path, query, headers, body, connection: 0 }, keep_alive)
}

/// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when
/// asked for `keep-alive`.
fn client_keeps_alive(version: &str, connection: Option<&str>) -> bool {
    let has = |token: &str| connection.map(|c| c.split(',').any(|t| t.trim().eq_ignore_ascii_case(token))).unwrap_or(false);
    if has("close") {
        return false;
    }
    version != "HTTP/1.0" || has("keep-alive")
}

/// Decodes a chunked body, `pending` holding bytes already read.
fn read_chunked<S: Read + ?Sized>(stream: &mut S, pending: &mut Vec<u8>) -> Result<Vec<u8>, ReadOutcome> {
    let mut body = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut fill = |pending: &mut Vec<u8>| -> Result<(), ReadOutcome> {
        if pending.len() > MAX_BODY + MAX_HEAD {
            return Err(ReadOutcome::Reject(HttpResponse::text(413, "Payload Too Large")));
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => Err(ReadOutcome::Gone),
            Ok(n) => {
                pending.extend_from_slice(&chunk[..n]);
                Ok(())
            }
        }
    };
    loop {
        let line_end = loop {
            if let Some(p) = pending.windows(2).position(|w| w == b"\r\n") {
                break p;
            }
            fill(pending)?;
        };
        let size_text = String::from_utf8_lossy(&pending[..line_end]).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| ReadOutcome::Reject(HttpResponse::text(400, "Bad Request")))?;
        pending.drain(..line_end + 2);
        if size == 0 {
            // Trailers are skipped, but consumed: the next request follows them.
            loop {
                if pending.starts_with(b"\r\n") {
                    pending.drain(..2);
                    return Ok(body);
                }
                if let Some(end) = find_head_end(pending) {
                    pending.drain(..end + 4);
                    return Ok(body);
                }
                fill(pending)?;
            }
        }
        if body.len() + size > MAX_BODY {
            return Err(ReadOutcome::Reject(HttpResponse::text(413, "Payload Too Large")));
        }
        while pending.len() < size + 2 {
            fill(pending)?;
        }
        body.extend_from_slice(&pending[..size]);
        pending.drain(..size + 2);
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes the answer, then closes the connection unless `keep_alive`.
pub fn write_response<S: Transport + ?Sized>(stream: &mut S, resp: &HttpResponse, head_only: bool, keep_alive: bool) {
    let mut out = Vec::with_capacity(resp.body.len() + 256);
    out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status)).as_bytes());
    let bodiless = resp.status == 204 || resp.status == 304 || resp.status < 200;
    for (n, v) in &resp.headers {
        // Framing headers are ours to set; a fault's headers must not break it.
        if n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("connection") {
            continue;
        }
        let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let n: String = n.chars().filter(|c| *c != '\r' && *c != '\n' && *c != ':').collect();
        out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    if !bodiless {
        out.extend_from_slice(format!("Content-Length: {}\r\n", resp.body.len()).as_bytes());
    }
    out.extend_from_slice(if keep_alive { b"Connection: keep-alive\r\n\r\n" } else { b"Connection: close\r\n\r\n" });
    if !bodiless && !head_only {
        out.extend_from_slice(&resp.body);
    }
    let _ = stream.write_all(&out);
    let _ = stream.flush();
    if !keep_alive {
        close_gracefully(stream);
    }
}

/// Closes after draining what the client may still send, so the kernel does
/// not turn the close into a reset that eats our answer.
pub fn close_gracefully<S: Transport + ?Sized>(stream: &mut S) {
    stream.finish();
    let mut tcp = stream.tcp();
    let _ = tcp.shutdown(Shutdown::Write);
    let _ = tcp.set_read_timeout(Some(Duration::from_millis(200)));
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    // Raw socket reads: for TLS these are records nobody needs decrypted.
    while drained < MAX_BODY * 2 {
        match tcp.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Closes without answering anything (over TLS, without close_notify, so
/// the client sees a cut connection).
pub fn close_silently<S: Transport + ?Sized>(stream: &mut S) {
    let _ = stream.tcp().shutdown(Shutdown::Both);
}
