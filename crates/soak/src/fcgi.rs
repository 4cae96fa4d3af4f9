//! Minimal FastCGI responder client: one request per connection, no
//! keep-alive (php-fpm binds a kept-alive connection to a single worker,
//! which would starve the other connections when they outnumber workers).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const VERSION: u8 = 1;
const BEGIN_REQUEST: u8 = 1;
const END_REQUEST: u8 = 3;
const PARAMS: u8 = 4;
const STDIN: u8 = 5;
const STDOUT: u8 = 6;
const STDERR: u8 = 7;
const RESPONDER: u16 = 1;
const REQUEST_ID: u16 = 1;
// Responses above this are not what worker.php sends; stop reading rather than grow.
const MAX_RESPONSE: usize = 1 << 20;

#[derive(Clone, Debug)]
pub enum Target {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

impl Target {
    /// `unix:/path` or `127.0.0.1:port`; anything but loopback is refused.
    pub fn parse(s: &str) -> Result<Target, String> {
        if let Some(path) = s.strip_prefix("unix:") {
            return Ok(Target::Unix(PathBuf::from(path)));
        }
        let addr: SocketAddr = s.parse().map_err(|e| format!("bad FastCGI address {s:?}: {e}"))?;
        if !addr.ip().is_loopback() {
            return Err(format!("FastCGI address {s} is not loopback"));
        }
        Ok(Target::Tcp(addr))
    }
}

trait Conn: Read + Write {}
impl<T: Read + Write> Conn for T {}

pub struct Response {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub app_status: u32,
    pub protocol_status: u8,
}

impl Response {
    /// CGI status (the `Status:` header, 200 when absent) and the body.
    pub fn http(&self) -> (u16, &[u8]) {
        let split = self.stdout.windows(4).position(|w| w == b"\r\n\r\n");
        let (head, body) = match split {
            Some(i) => (&self.stdout[..i], &self.stdout[i + 4..]),
            None => (&self.stdout[..], &[][..]),
        };
        let status = String::from_utf8_lossy(head)
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                if !k.trim().eq_ignore_ascii_case("status") {
                    return None;
                }
                v.trim().split(' ').next()?.parse().ok()
            })
            .unwrap_or(200);
        (status, body)
    }
}

fn connect(target: &Target, timeout: Duration) -> io::Result<Box<dyn Conn>> {
    match target {
        Target::Tcp(addr) => {
            let s = TcpStream::connect_timeout(addr, timeout)?;
            s.set_read_timeout(Some(timeout))?;
            s.set_write_timeout(Some(timeout))?;
            s.set_nodelay(true)?;
            Ok(Box::new(s))
        }
        Target::Unix(path) => {
            let s = UnixStream::connect(path)?;
            s.set_read_timeout(Some(timeout))?;
            s.set_write_timeout(Some(timeout))?;
            Ok(Box::new(s))
        }
    }
}

fn record(out: &mut Vec<u8>, kind: u8, content: &[u8]) {
    // Callers keep content under 64 KiB; params are split below.
    let len = content.len() as u16;
    let pad = (8 - (content.len() % 8)) % 8;
    out.extend_from_slice(&[VERSION, kind]);
    out.extend_from_slice(&REQUEST_ID.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&[pad as u8, 0]);
    out.extend_from_slice(content);
    out.extend(std::iter::repeat_n(0, pad));
}

fn name_value_len(out: &mut Vec<u8>, n: usize) {
    if n < 128 {
        out.push(n as u8);
    } else {
        out.extend_from_slice(&((n as u32) | 0x8000_0000).to_be_bytes());
    }
}

fn encode_request(params: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    let mut begin = Vec::with_capacity(8);
    begin.extend_from_slice(&RESPONDER.to_be_bytes());
    begin.extend_from_slice(&[0; 6]); // flags 0: php-fpm closes the connection after the response
    record(&mut out, BEGIN_REQUEST, &begin);
    let mut body = Vec::new();
    for (k, v) in params {
        name_value_len(&mut body, k.len());
        name_value_len(&mut body, v.len());
        body.extend_from_slice(k.as_bytes());
        body.extend_from_slice(v.as_bytes());
    }
    for chunk in body.chunks(65528) {
        record(&mut out, PARAMS, chunk);
    }
    record(&mut out, PARAMS, &[]);
    record(&mut out, STDIN, &[]);
    out
}

/// Sends one GET-like request and reads until END_REQUEST, within `timeout`
/// per socket operation and `timeout` overall.
pub fn request(target: &Target, params: &[(&str, String)], timeout: Duration) -> io::Result<Response> {
    let started = Instant::now();
    let mut conn = connect(target, timeout)?;
    conn.write_all(&encode_request(params))?;
    let mut resp = Response { stdout: Vec::new(), stderr: Vec::new(), app_status: 0, protocol_status: 0 };
    let mut header = [0u8; 8];
    loop {
        if started.elapsed() > timeout {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "request timed out"));
        }
        conn.read_exact(&mut header)?;
        if header[0] != VERSION {
            return Err(io::Error::new(io::ErrorKind::InvalidData, format!("FastCGI version {}", header[0])));
        }
        let len = u16::from_be_bytes([header[4], header[5]]) as usize;
        let pad = header[6] as usize;
        let mut content = vec![0u8; len + pad];
        conn.read_exact(&mut content)?;
        content.truncate(len);
        match header[1] {
            STDOUT => resp.stdout.extend_from_slice(&content),
            STDERR => resp.stderr.extend_from_slice(&content),
            END_REQUEST if len >= 5 => {
                resp.app_status = u32::from_be_bytes([content[0], content[1], content[2], content[3]]);
                resp.protocol_status = content[4];
                return Ok(resp);
            }
            other => {
                return Err(io::Error::new(io::ErrorKind::InvalidData, format!("unexpected FastCGI record type {other}")));
            }
        }
        if resp.stdout.len() + resp.stderr.len() > MAX_RESPONSE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "response too large"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_padded_to_eight_bytes() {
        let req = encode_request(&[("A", "b".into())]);
        // BEGIN (8+8), PARAMS with 4 bytes (8+4+4 pad), empty PARAMS (8), empty STDIN (8)
        assert_eq!(req.len(), 16 + 16 + 8 + 8);
        assert_eq!(&req[16..24], &[1, PARAMS, 0, 1, 0, 4, 4, 0]);
    }

    #[test]
    fn long_values_use_four_byte_lengths() {
        let mut out = Vec::new();
        name_value_len(&mut out, 300);
        assert_eq!(out, vec![0x80, 0, 1, 44]);
    }

    #[test]
    fn status_header_is_read() {
        let r = Response { stdout: b"Status: 503 Service Unavailable\r\nContent-type: text/html\r\n\r\nx".to_vec(), stderr: vec![], app_status: 0, protocol_status: 0 };
        assert_eq!(r.http(), (503, &b"x"[..]));
        let ok = Response { stdout: b"Content-type: application/json\r\n\r\n{}".to_vec(), stderr: vec![], app_status: 0, protocol_status: 0 };
        assert_eq!(ok.http(), (200, &b"{}"[..]));
    }

    #[test]
    fn only_loopback_targets() {
        assert!(Target::parse("127.0.0.1:9000").is_ok());
        assert!(Target::parse("[::1]:9000").is_ok());
        assert!(Target::parse("unix:/tmp/x.sock").is_ok());
        assert!(Target::parse("0.0.0.0:9000").is_err());
        assert!(Target::parse("10.0.0.1:9000").is_err());
    }
}
