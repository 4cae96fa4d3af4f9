//! wu-sandbox: one local HTTP server that answers like Hestia, Enhance and
//! ServerPilot, keeps state, records what it receives and can misbehave on
//! request. Rust tests use [`Sandbox`] in process; PHP tests and the demo run
//! the `wu-sandbox` binary and steer it through `/__sandbox/…`.

pub mod echo;
mod emulator;
pub mod http;
mod panels;
pub mod state;
pub mod proxy;
pub mod tls;

use http::{HttpRequest, HttpResponse, ReadOutcome, Transport};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use panels::*;
pub use state::{default_seed, State};

/// First bytes of each answer kept in the recording.
const RECORDED_RESPONSE_BYTES: usize = 2048;
/// Log lines kept in memory for [`Sandbox::log_lines`].
const LOG_MEMORY: usize = 10_000;
/// Ceiling for the `oversize` fault so a typo cannot exhaust memory.
const MAX_OVERSIZE: usize = 256 << 20;
/// A client silent in the middle of a request (or before its first one) is
/// dropped after this long.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Default wait for the next request on a kept-alive connection.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once; each has its own thread, so beyond this new
/// ones are closed unanswered rather than exhausting threads.
pub const MAX_CONNECTIONS: usize = 256;

/// Takes a lock even if a previous holder panicked: the data is plain state,
/// still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A panel the sandbox emulates, by its id (`hestia`). Each emulator
/// declares its own constant next to it (`Panel::Hestia` in hestia.rs), and
/// ids read from JSON must name a registered emulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Panel(&'static str);

impl Panel {
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The emulated panel with id `name` (`_` ignored: `server_pilot` is `serverpilot`).
    pub fn find(name: &str) -> Option<Panel> {
        let wanted = name.replace('_', "");
        emulator::EMULATORS.iter().map(|e| e.panel()).find(|p| p.0 == wanted)
    }
}

impl Serialize for Panel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Panel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Panel, D::Error> {
        let name = String::deserialize(deserializer)?;
        Panel::find(&name).ok_or_else(|| {
            let known: Vec<&str> = emulator::EMULATORS.iter().map(|e| e.panel().0).collect();
            serde::de::Error::custom(format!("unknown panel '{name}': the sandbox emulates {}", known.join(", ")))
        })
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultMode {
    /// Answer `status`/`body`/`headers` instead of handling.
    Status,
    /// Wait `delay_ms`, then handle normally.
    Slow,
    /// Read the request, say nothing for `delay_ms`, then close.
    Stall,
    /// Close the connection without an answer.
    Reset,
    /// 200 with bytes that are not JSON.
    Garbage,
    /// 200 with the first half of the real answer.
    Truncated,
    /// 200 with `size` bytes of `x`.
    Oversize,
    /// 200 with `{"unexpected":true}`.
    WrongShape,
    /// Answer `status` (500 when unset) with the request repeated in the
    /// body, in `encoding`, through the `body` template (see [`echo::body`]).
    Echo,
}

impl FaultMode {
    pub fn name(self) -> &'static str {
        match self {
            FaultMode::Status => "status",
            FaultMode::Slow => "slow",
            FaultMode::Stall => "stall",
            FaultMode::Reset => "reset",
            FaultMode::Garbage => "garbage",
            FaultMode::Truncated => "truncated",
            FaultMode::Oversize => "oversize",
            FaultMode::WrongShape => "wrong_shape",
            FaultMode::Echo => "echo",
        }
    }
}

/// A misbehaviour for the next `count` requests (all, when `None`) to one
/// panel (any, when `None`). Same JSON shape as `POST /__sandbox/fault`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Fault {
    #[serde(default)]
    pub panel: Option<Panel>,
    pub mode: FaultMode,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub size: Option<usize>,
    /// Handle the request (change state) before misbehaving, e.g. to model
    /// "the change happened but the answer was lost". Not used by `slow` and
    /// `truncated`, which always handle.
    #[serde(default)]
    pub apply: bool,
    /// Only requests with this method (`GET`, `POST`, …); any when `None`.
    #[serde(default)]
    pub method: Option<String>,
    /// How `echo` writes the request.
    #[serde(default)]
    pub encoding: echo::EchoEncoding,
    /// Requests in scope let through, unharmed, before the fault starts
    /// (a call's first read succeeds, its write misbehaves).
    #[serde(default)]
    pub after: u32,
}

impl Fault {
    pub fn new(mode: FaultMode) -> Fault {
        Fault {
            panel: None,
            mode,
            count: None,
            status: None,
            body: None,
            headers: BTreeMap::new(),
            delay_ms: None,
            size: None,
            apply: false,
            method: None,
            encoding: echo::EchoEncoding::Raw,
            after: 0,
        }
    }
    pub fn status(code: u16) -> Fault {
        Fault { status: Some(code), ..Fault::new(FaultMode::Status) }
    }
    pub fn for_panel(mut self, panel: Panel) -> Fault {
        self.panel = Some(panel);
        self
    }
    pub fn times(mut self, count: u32) -> Fault {
        self.count = Some(count);
        self
    }
    pub fn with_body(mut self, body: &str) -> Fault {
        self.body = Some(body.to_string());
        self
    }
    pub fn with_header(mut self, name: &str, value: &str) -> Fault {
        self.headers.insert(name.to_string(), value.to_string());
        self
    }
    pub fn with_delay_ms(mut self, ms: u64) -> Fault {
        self.delay_ms = Some(ms);
        self
    }
    pub fn with_size(mut self, size: usize) -> Fault {
        self.size = Some(size);
        self
    }
    pub fn applied(mut self) -> Fault {
        self.apply = true;
        self
    }
    /// Lets the next `requests` in scope through before misbehaving.
    pub fn after(mut self, requests: u32) -> Fault {
        self.after = requests;
        self
    }
    pub fn on_method(mut self, method: &str) -> Fault {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    /// An `echo` fault: the request repeated in `encoding`.
    pub fn echo(encoding: echo::EchoEncoding) -> Fault {
        Fault { encoding, ..Fault::new(FaultMode::Echo) }
    }
}

/// One request to a panel route, as received and as answered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    pub seq: u64,
    pub panel: Panel,
    pub method: String,
    pub path: String,
    pub query: String,
    /// Lower-case names.
    pub headers: BTreeMap<String, String>,
    pub body: String,
    pub form: Option<BTreeMap<String, String>>,
    pub json: Option<Value>,
    /// 0 when the connection was closed without an answer.
    pub status: u16,
    /// First 2 KB of the answer body.
    pub response: String,
    pub fault: Option<FaultMode>,
    /// Which connection carried it: equal numbers mean a kept-alive connection was reused.
    #[serde(default)]
    pub connection: u64,
}

impl RecordedRequest {
    pub fn form_value(&self, key: &str) -> Option<&str> {
        self.form.as_ref()?.get(key).map(String::as_str)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// Where the human-readable request log goes.
#[derive(Clone, Debug, PartialEq)]
pub enum LogTarget {
    /// Only kept in memory ([`Sandbox::log_lines`]).
    Off,
    Stderr,
    File(PathBuf),
}

/// What the network and the web server would cost on a real panel, charged
/// to every panel request (not to `/__sandbox/…`): `latency_ms` once per
/// request (a round trip), `reload_ms` for each web-server reload the
/// request caused (`Emulator::reloads`). Both 0 by default. Same JSON shape
/// as `GET`/`PATCH /__sandbox/model`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkModel {
    pub latency_ms: u64,
    pub reload_ms: u64,
}

impl NetworkModel {
    /// What one request that caused `reloads` reloads costs.
    fn charge(&self, reloads: u64) -> Duration {
        Duration::from_millis(self.latency_ms.saturating_add(self.reload_ms.saturating_mul(reloads)))
    }
}

/// How to start a sandbox.
#[derive(Clone, Debug)]
pub struct Options {
    /// Loopback only, e.g. "127.0.0.1:0" (port 0 picks a free port).
    pub listen: String,
    /// Initial state and reset target; `None` = the shipped seed.
    pub seed: Option<Value>,
    pub log: LogTarget,
    /// `(cert_chain_pem, key_pem)`: serve HTTPS instead of HTTP (see
    /// [`tls::generate`] for test certificates).
    pub tls: Option<(String, String)>,
    /// Ignored: each connection gets its own thread (up to
    /// [`MAX_CONNECTIONS`]). Kept so existing callers still compile.
    pub threads: usize,
    /// How long a kept-alive connection may sit idle before it is closed.
    pub idle_timeout: Duration,
    /// Latency and reload cost charged to panel requests.
    pub model: NetworkModel,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: "127.0.0.1:0".into(),
            seed: None,
            log: LogTarget::Off,
            tls: None,
            threads: 8,
            idle_timeout: IDLE_TIMEOUT,
            model: NetworkModel::default(),
        }
    }
}

/// Sockets of the connections being served, so shutdown can cut them.
#[derive(Default)]
struct Connections {
    next_id: u64,
    live: HashMap<u64, TcpStream>,
}

struct Shared {
    state: Mutex<State>,
    seed: Mutex<State>,
    requests: Mutex<(u64, Vec<RecordedRequest>)>,
    faults: Mutex<Vec<Fault>>,
    model: Mutex<NetworkModel>,
    log_memory: Mutex<VecDeque<String>>,
    log_sink: Mutex<Option<Box<dyn Write + Send>>>,
    /// Server is going down: loops and stalls end.
    stopping: AtomicBool,
    connections_accepted: AtomicU64,
    /// Someone asked for shutdown (control endpoint or signal).
    shutdown: (Mutex<bool>, Condvar),
    connections: Mutex<Connections>,
    idle_timeout: Duration,
    tls: Option<Arc<rustls::ServerConfig>>,
    /// The address clients reach the sandbox at (`Sandbox::url`).
    url: String,
}

impl Shared {
    fn request_shutdown(&self) {
        *lock(&self.shutdown.0) = true;
        self.shutdown.1.notify_all();
    }
}

/// Lets another thread (e.g. a signal handler) ask a sandbox to shut down.
#[derive(Clone)]
pub struct ShutdownHandle(Arc<Shared>);

impl ShutdownHandle {
    pub fn request(&self) {
        self.0.request_shutdown();
    }
}

/// A running sandbox panel; stops when dropped.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
    https: bool,
}

fn resolve_loopback(listen: &str) -> Result<SocketAddr, String> {
    let spec = listen.trim();
    let spec = match spec.strip_prefix("localhost:") {
        Some(port) => format!("127.0.0.1:{port}"),
        None => spec.to_string(),
    };
    let addr: SocketAddr = match spec.parse() {
        Ok(a) => a,
        Err(_) => spec
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve listen address {listen}: {e}"))?
            .next()
            .ok_or_else(|| format!("cannot resolve listen address {listen}"))?,
    };
    if !addr.ip().is_loopback() {
        return Err(format!("refusing to listen on non-loopback address {addr}"));
    }
    Ok(addr)
}

impl Sandbox {
    /// Default seed on 127.0.0.1 with a free port. Panics if it cannot bind
    /// (a test cannot go on without it).
    pub fn start() -> Sandbox {
        Sandbox::try_start(Options::default()).unwrap_or_else(|e| panic!("wu-sandbox: {e}"))
    }

    /// Like [`Sandbox::start`] with this state as seed. Panics on an invalid state.
    pub fn start_with(state: Value) -> Sandbox {
        Sandbox::try_start(Options { seed: Some(state), ..Options::default() })
            .unwrap_or_else(|e| panic!("wu-sandbox: {e}"))
    }

    pub fn try_start(opts: Options) -> Result<Sandbox, String> {
        let tls = match &opts.tls {
            Some((cert, key)) => Some(tls::server_config(cert, key)?),
            None => None,
        };
        let seed = State::from_value(opts.seed.unwrap_or_else(default_seed))?;
        let addr = resolve_loopback(&opts.listen)?;
        let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let sink: Option<Box<dyn Write + Send>> = match &opts.log {
            LogTarget::Off => None,
            LogTarget::Stderr => Some(Box::new(std::io::stderr())),
            LogTarget::File(p) => Some(Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| format!("cannot open log {}: {e}", p.display()))?,
            )),
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(seed.clone()),
            seed: Mutex::new(seed),
            requests: Mutex::new((0, Vec::new())),
            faults: Mutex::new(Vec::new()),
            model: Mutex::new(opts.model),
            log_memory: Mutex::new(VecDeque::new()),
            log_sink: Mutex::new(sink),
            stopping: AtomicBool::new(false),
            connections_accepted: AtomicU64::new(0),
            shutdown: (Mutex::new(false), Condvar::new()),
            connections: Mutex::new(Connections::default()),
            idle_timeout: opts.idle_timeout,
            url: format!("{}://{addr}", if tls.is_some() { "https" } else { "http" }),
            tls,
        });

        let acceptor_shared = Arc::clone(&shared);
        let acceptor = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if acceptor_shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    spawn_connection(&acceptor_shared, stream);
                }
            }
        });
        let https = shared.tls.is_some();
        Ok(Sandbox { shared, addr, acceptor: Some(acceptor), https })
    }

    /// "http://127.0.0.1:PORT", or "https://…" when serving TLS.
    pub fn url(&self) -> String {
        self.shared.url.clone()
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// Connections currently open (idle kept-alive ones included).
    pub fn open_connections(&self) -> usize {
        lock(&self.shared.connections).live.len()
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).1.clone()
    }

    /// Recorded requests to one panel.
    /// Every emulated panel, in the order routes are tried.
    pub fn panels() -> Vec<Panel> {
        emulator::EMULATORS.iter().map(|e| e.panel()).collect()
    }

    /// The settings (`WU_*` constants) that point a client at `panel`'s
    /// first target in the seed: one source for tests, instead of
    /// credentials copied into each (`GET /__sandbox/constants` for PHP).
    pub fn constants(&self, panel: Panel) -> Vec<(&'static str, String)> {
        emulator::of(panel).constants(&lock(&self.shared.seed), &self.url())
    }

    /// Every name the target of `panel`'s constants serves, its own name first.
    pub fn served(&self, panel: Panel) -> Vec<String> {
        emulator::of(panel).served(&lock(&self.shared.state))
    }

    /// Web-server reloads `panel` performed so far (0 for a panel without any).
    pub fn reloads(&self, panel: Panel) -> u64 {
        emulator::of(panel).reloads(&lock(&self.shared.state))
    }

    pub fn model(&self) -> NetworkModel {
        *lock(&self.shared.model)
    }

    /// Charges `model` to every panel request from now on.
    pub fn set_model(&self, model: NetworkModel) {
        *lock(&self.shared.model) = model;
    }

    pub fn requests_to(&self, panel: Panel) -> Vec<RecordedRequest> {
        self.requests().into_iter().filter(|r| r.panel == panel).collect()
    }

    pub fn clear_requests(&self) {
        *lock(&self.shared.requests) = (0, Vec::new());
    }

    pub fn state(&self) -> Value {
        lock(&self.shared.state).to_value()
    }

    pub fn typed_state(&self) -> State {
        lock(&self.shared.state).clone()
    }

    /// Replaces the state. Panics on a value that is not a sandbox state
    /// (a test-author error); see [`Sandbox::try_set_state`].
    pub fn set_state(&self, v: Value) {
        self.try_set_state(v).unwrap_or_else(|e| panic!("wu-sandbox: {e}"))
    }

    pub fn try_set_state(&self, v: Value) -> Result<(), String> {
        let st = State::from_value(v)?;
        *lock(&self.shared.state) = st;
        Ok(())
    }

    /// Changes the state in place.
    pub fn update_state(&self, f: impl FnOnce(&mut State)) {
        f(&mut lock(&self.shared.state));
    }

    /// State back to the seed, recordings and faults cleared.
    pub fn reset(&self) {
        reset_all(&self.shared, None);
    }

    pub fn set_fault(&self, fault: Fault) {
        install_fault(&self.shared, fault);
    }

    pub fn clear_fault(&self) {
        lock(&self.shared.faults).clear();
    }

    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).clone()
    }

    /// The request log lines (secrets redacted), oldest first.
    pub fn log_lines(&self) -> Vec<String> {
        lock(&self.shared.log_memory).iter().cloned().collect()
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle(Arc::clone(&self.shared))
    }

    /// Blocks until shutdown is requested (`POST /__sandbox/shutdown` or a
    /// [`ShutdownHandle`]).
    pub fn wait_for_shutdown(&self) {
        let (m, cv) = &self.shared.shutdown;
        let mut asked = lock(m);
        while !*asked {
            asked = cv.wait(asked).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn shutdown_requested(&self) -> bool {
        *lock(&self.shared.shutdown.0)
    }

    /// Stops accepting and frees the port (also done on drop).
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if let Some(handle) = self.acceptor.take() {
            // Wake the blocking accept so the acceptor sees the flag.
            let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
            let _ = handle.join();
        }
        // No new connections now; cut the open ones so idle keep-alive
        // clients (and blocked reads) end at once instead of at their timeout.
        for sock in lock(&self.shared.connections).live.values() {
            let _ = sock.shutdown(Shutdown::Both);
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("url", &self.url()).finish()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.halt();
    }
}

fn install_fault(shared: &Shared, fault: Fault) {
    let mut faults = lock(&shared.faults);
    // One fault per panel and method scope: a new one replaces the old.
    faults.retain(|f| f.panel != fault.panel || f.method != fault.method);
    if fault.count != Some(0) {
        faults.push(fault);
    }
}

fn reset_all(shared: &Shared, to: Option<State>) {
    let st = match to {
        Some(s) => s,
        None => lock(&shared.seed).clone(),
    };
    *lock(&shared.state) = st;
    *lock(&shared.requests) = (0, Vec::new());
    lock(&shared.faults).clear();
}

/// Takes one use of the first fault that applies to this panel.
fn take_fault(shared: &Shared, panel: Panel, method: &str) -> Option<Fault> {
    let mut faults = lock(&shared.faults);
    let idx = faults.iter().position(|f| {
        (f.panel.is_none() || f.panel == Some(panel)) && f.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    })?;
    if faults[idx].after > 0 {
        faults[idx].after -= 1;
        return None;
    }
    let fault = faults[idx].clone();
    if let Some(n) = faults[idx].count.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(idx);
        }
    }
    Some(fault)
}

enum Route {
    Panel(Panel),
    Control,
    NotFound,
}

fn route(path: &str) -> Route {
    if let Some(emulator) = emulator::EMULATORS.iter().find(|e| e.serves(path)) {
        Route::Panel(emulator.panel())
    } else if emulator::under(path, "/__sandbox") {
        Route::Control
    } else {
        Route::NotFound
    }
}

/// What to do with the connection.
pub(crate) enum Answer {
    Respond(HttpResponse),
    Close,
    Stall(Duration),
}

/// Removes a connection from the table when its thread ends, however it ends.
struct Registered {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.shared.connections).live.remove(&self.id);
    }
}

/// Gives an accepted connection its own thread, or closes it when
/// [`MAX_CONNECTIONS`] are already open.
fn spawn_connection(shared: &Arc<Shared>, stream: TcpStream) {
    let id = {
        let mut conns = lock(&shared.connections);
        if conns.live.len() >= MAX_CONNECTIONS {
            return;
        }
        let Ok(handle) = stream.try_clone() else { return };
        conns.next_id += 1;
        let id = conns.next_id;
        conns.live.insert(id, handle);
        id
    };
    // Made before spawning so a failed spawn (dropping the closure) unregisters too.
    let guard = Registered { shared: Arc::clone(shared), id };
    let _ = std::thread::Builder::new().name("wu-sandbox-conn".into()).spawn(move || {
        let shared = Arc::clone(&guard.shared);
        // A bug in a handler must cost one connection, nothing more.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| serve_connection(&shared, stream)));
        drop(guard);
    });
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    // Answers go out in one write; waiting to coalesce only delays keep-alive.
    let _ = stream.set_nodelay(true);
    match &shared.tls {
        None => serve(shared, stream),
        Some(config) => match rustls::ServerConnection::new(Arc::clone(config)) {
            // The handshake runs on the first read; if it fails, that read
            // fails and only this connection ends.
            Ok(conn) => serve(shared, rustls::StreamOwned::new(conn, stream)),
            Err(_) => {
                let _ = stream.shutdown(Shutdown::Both);
            }
        },
    }
}

/// Waits up to the idle timeout for the next request to start arriving.
fn await_next_request<S: Transport>(shared: &Shared, stream: &mut S, pending: &mut Vec<u8>) -> bool {
    let _ = stream.tcp().set_read_timeout(Some(shared.idle_timeout));
    let mut chunk = [0u8; 8192];
    let got = match stream.read(&mut chunk) {
        Ok(n) if n > 0 => {
            pending.extend_from_slice(&chunk[..n]);
            true
        }
        _ => false,
    };
    let _ = stream.tcp().set_read_timeout(Some(IO_TIMEOUT));
    got
}

/// Answers requests on one connection until it should close.
fn serve<S: Transport>(shared: &Shared, mut stream: S) {
    let connection = shared.connections_accepted.fetch_add(1, Ordering::SeqCst) + 1;
    let mut pending: Vec<u8> = Vec::new();
    let mut first = true;
    loop {
        if !first && pending.is_empty() && !await_next_request(shared, &mut stream, &mut pending) {
            // Idle too long, or the client left: close quietly.
            stream.finish();
            http::close_silently(&mut stream);
            return;
        }
        first = false;
        let (req, client_keeps) = match http::read_request(&mut stream, &mut pending) {
            ReadOutcome::Request(r, keep) => (HttpRequest { connection, ..r }, keep),
            ReadOutcome::Reject(resp) => return http::write_response(&mut stream, &resp, false, false),
            ReadOutcome::Gone => return,
        };
        let keep = client_keeps && !shared.stopping.load(Ordering::SeqCst);
        if !answer(shared, &mut stream, &req, keep) || !keep {
            return;
        }
    }
}

/// Handles one request; false when the connection was closed.
fn answer<S: Transport>(shared: &Shared, stream: &mut S, req: &HttpRequest, keep: bool) -> bool {
    let head_only = req.method == "HEAD";
    match route(&req.path) {
        Route::NotFound => http::write_response(stream, &HttpResponse::text(404, "Not Found"), head_only, keep),
        Route::Control => {
            let (resp, shutdown) = control(shared, req);
            // The server is going away: no point keeping this connection.
            http::write_response(stream, &resp, head_only, keep && !shutdown);
            if shutdown {
                shared.request_shutdown();
                return false;
            }
        }
        Route::Panel(panel) => match panel_request(shared, panel, req) {
            Answer::Respond(resp) => http::write_response(stream, &resp, head_only, keep),
            Answer::Close => {
                http::close_silently(stream);
                return false;
            }
            Answer::Stall(d) => {
                sleep_unless_stopping(shared, d);
                http::close_silently(stream);
                return false;
            }
        },
    }
    keep
}

/// The panel's answer, and how many reloads handling it caused.
fn handle_panel(shared: &Shared, panel: Panel, req: &HttpRequest) -> (emulator::Handled, u64) {
    let emulator = emulator::of(panel);
    let mut st = lock(&shared.state);
    let before = emulator.reloads(&st);
    let handled = emulator.handle(&mut st, req);
    let reloads = emulator.reloads(&st).saturating_sub(before);
    (handled, reloads)
}

/// The scheme of the request's `Authorization` header, or `none`.
pub(crate) fn auth_scheme(req: &HttpRequest) -> String {
    req.header("authorization").and_then(|h| h.split(' ').next()).unwrap_or("none").to_ascii_lowercase()
}

pub(crate) fn body_detail(req: &HttpRequest, auth: &str) -> String {
    let mut s = String::new();
    if !req.body.is_empty() {
        s.push_str(&format!("body={} ", one_line(&String::from_utf8_lossy(&req.body), 200)));
    }
    s.push_str(&format!("auth={auth}"));
    s
}

pub(crate) fn is_secret_field(k: &str) -> bool {
    emulator::EMULATORS.iter().any(|e| e.secret_fields().contains(&k))
}

pub(crate) fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

/// Bytes that never parse as JSON, varied per request.
fn garbage(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = b"<\xff\xfe garbage ".to_vec();
    for _ in 0..64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push((x & 0xff) as u8);
    }
    out
}

fn panel_request(shared: &Shared, panel: Panel, req: &HttpRequest) -> Answer {
    let fault = take_fault(shared, panel, &req.method);
    let seq = {
        let mut r = lock(&shared.requests);
        r.0 += 1;
        r.0
    };
    let mut detail = String::new();
    let mut reloads = 0;
    let mut run = |shared: &Shared| -> Answer {
        let (h, caused) = handle_panel(shared, panel, req);
        detail = h.detail;
        reloads = caused;
        h.answer
    };
    let answer = match &fault {
        None => run(shared),
        Some(f) => {
            let handles_first = f.apply || matches!(f.mode, FaultMode::Slow | FaultMode::Truncated);
            if f.mode == FaultMode::Slow {
                sleep_unless_stopping(shared, Duration::from_millis(f.delay_ms.unwrap_or(1000)));
            }
            let real = if handles_first { Some(run(shared)) } else { None };
            match f.mode {
                FaultMode::Slow => real.unwrap_or(Answer::Close),
                FaultMode::Truncated => match real {
                    Some(Answer::Respond(mut r)) => {
                        let half = r.body.len() / 2;
                        r.body.truncate(half);
                        r.status = 200;
                        Answer::Respond(r)
                    }
                    other => other.unwrap_or(Answer::Close),
                },
                FaultMode::Status => {
                    let status = f.status.filter(|s| (100..=999).contains(s)).unwrap_or(500);
                    let mut r = HttpResponse::text(status, f.body.clone().unwrap_or_else(|| "Internal Server Error".into()));
                    for (k, v) in &f.headers {
                        r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
                        r.headers.push((k.clone(), v.clone()));
                    }
                    Answer::Respond(r)
                }
                FaultMode::Stall => Answer::Stall(Duration::from_millis(f.delay_ms.unwrap_or(30_000))),
                FaultMode::Reset => Answer::Close,
                FaultMode::Garbage => Answer::Respond(HttpResponse::new(200, "application/json", garbage(seq))),
                FaultMode::Oversize => {
                    let size = f.size.unwrap_or(2 << 20).min(MAX_OVERSIZE);
                    Answer::Respond(HttpResponse::new(200, "application/json", vec![b'x'; size]))
                }
                FaultMode::WrongShape => {
                    Answer::Respond(HttpResponse::new(200, "application/json", b"{\"unexpected\":true}".to_vec()))
                }
                FaultMode::Echo => {
                    let status = f.status.filter(|s| (100..=999).contains(s)).unwrap_or(500);
                    let body = echo::body(f.body.as_deref(), f.encoding, req);
                    let json = body.trim_start().starts_with(['{', '[']);
                    let mut r = HttpResponse::new(status, if json { "application/json" } else { "text/plain" }, body.into_bytes());
                    for (k, v) in &f.headers {
                        r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
                        r.headers.push((k.clone(), v.clone()));
                    }
                    Answer::Respond(r)
                }
            }
        }
    };
    if detail.is_empty() {
        detail = emulator::of(panel).unhandled_detail(req);
    }
    record(shared, seq, panel, req, &answer, fault.as_ref().map(|f| f.mode), &detail);
    // The round trip and the reloads, charged outside the state's lock (a
    // real panel serves other requests meanwhile).
    let charge = lock(&shared.model).charge(reloads);
    if !charge.is_zero() {
        sleep_unless_stopping(shared, charge);
    }
    answer
}

fn sleep_unless_stopping(shared: &Shared, d: Duration) {
    let until = Instant::now() + d;
    while Instant::now() < until && !shared.stopping.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20).min(until.saturating_duration_since(Instant::now())));
    }
}

fn record(
    shared: &Shared,
    seq: u64,
    panel: Panel,
    req: &HttpRequest,
    answer: &Answer,
    fault: Option<FaultMode>,
    detail: &str,
) {
    let body = String::from_utf8_lossy(&req.body).into_owned();
    let json: Option<Value> = serde_json::from_slice(&req.body).ok();
    let is_form = req.header("content-type").map(|c| c.contains("x-www-form-urlencoded")).unwrap_or(false)
        || (emulator::of(panel).bodies_are_forms() && json.is_none() && !req.body.is_empty());
    let form = is_form.then(|| {
        form_urlencoded::parse(&req.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect::<BTreeMap<_, _>>()
    });
    let (status, response) = match answer {
        Answer::Respond(r) => {
            let cut = &r.body[..r.body.len().min(RECORDED_RESPONSE_BYTES)];
            (r.status, String::from_utf8_lossy(cut).into_owned())
        }
        _ => (0, String::new()),
    };
    let outcome = match answer {
        // The log never shows an echo: it repeats the credentials in forms the log's redaction does not know.
        Answer::Respond(_) if fault == Some(FaultMode::Echo) => format!("{status} (the request, echoed)"),
        Answer::Respond(_) => format!("{status} {}", one_line(&response, 80)),
        Answer::Close => "(closed without answer)".to_string(),
        Answer::Stall(_) => "(stalled, then closed)".to_string(),
    };
    let mut line = format!("#{seq} {} {} {}", panel.name(), req.method, req.path);
    if !req.query.is_empty() {
        line.push('?');
        line.push_str(&req.query);
    }
    if !detail.is_empty() {
        line.push(' ');
        line.push_str(detail);
    }
    line.push_str(" → ");
    line.push_str(&outcome);
    if let Some(f) = fault {
        line.push_str(" fault=");
        line.push_str(f.name());
    }
    let line = redact(&line, req, form.as_ref());
    lock(&shared.requests).1.push(RecordedRequest {
        seq,
        panel,
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.headers.clone(),
        body,
        form,
        json,
        status,
        response,
        fault,
        connection: req.connection,
    });
    write_log(shared, line);
}

/// Every credential the request carried, so none reaches the log: the
/// `Authorization` header, credential fields of a JSON body, and what any
/// emulator knows a request can carry elsewhere (whichever panel it went
/// to: a client may send one panel's credentials to another).
fn secrets_of(req: &HttpRequest, form: Option<&BTreeMap<String, String>>) -> Vec<String> {
    let mut out: Vec<String> = emulator::EMULATORS.iter().flat_map(|e| e.secrets(req, form)).collect();
    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&req.body) {
        for k in emulator::EMULATORS.iter().flat_map(|e| e.secret_fields()) {
            if let Some(Value::String(v)) = m.get(*k) {
                out.push(v.clone());
            }
        }
    }
    if let Some(h) = req.header("authorization") {
        out.push(h.to_string());
        if let Some((_, cred)) = h.trim().split_once(' ') {
            out.push(cred.trim().to_string());
        }
    }
    // Longest first so a part never leaves the rest of a longer secret behind.
    out.retain(|s| s.len() >= 4);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

fn redact(line: &str, req: &HttpRequest, form: Option<&BTreeMap<String, String>>) -> String {
    let mut line = line.to_string();
    for secret in secrets_of(req, form) {
        line = line.replace(&secret, "***");
    }
    line
}

fn write_log(shared: &Shared, line: String) {
    if let Some(sink) = lock(&shared.log_sink).as_mut() {
        let _ = writeln!(sink, "{line}");
        let _ = sink.flush();
    }
    let mut mem = lock(&shared.log_memory);
    if mem.len() >= LOG_MEMORY {
        mem.pop_front();
    }
    mem.push_back(line);
}

fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

fn control_error(status: u16, msg: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({"error": msg}))
}

/// `/__sandbox/…`: (answer, shutdown requested).
fn control(shared: &Shared, req: &HttpRequest) -> (HttpResponse, bool) {
    let what = req.path.trim_start_matches("/__sandbox").trim_matches('/');
    let ok = || HttpResponse::json(200, &json!({"ok": true}));
    let resp = match (req.method.as_str(), what) {
        ("GET" | "HEAD", "health") => HttpResponse::new(200, "text/plain; charset=utf-8", "ok"),
        ("GET", "requests") => {
            let list = lock(&shared.requests).1.clone();
            HttpResponse::json(200, &serde_json::to_value(list).unwrap_or(Value::Null))
        }
        ("DELETE", "requests") => {
            *lock(&shared.requests) = (0, Vec::new());
            ok()
        }
        ("GET", "state") => HttpResponse::json(200, &lock(&shared.state).to_value()),
        ("GET", "constants") => {
            let url = &shared.url;
            let seed = lock(&shared.seed);
            let panels: serde_json::Map<String, Value> = emulator::EMULATORS
                .iter()
                .map(|e| {
                    let constants = e.constants(&seed, url).into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect();
                    (e.panel().name().to_string(), Value::Object(constants))
                })
                .collect();
            HttpResponse::json(200, &Value::Object(panels))
        }
        ("GET", "reloads") => {
            let state = lock(&shared.state);
            let panels: serde_json::Map<String, Value> =
                emulator::EMULATORS.iter().map(|e| (e.panel().name().to_string(), json!(e.reloads(&state)))).collect();
            HttpResponse::json(200, &Value::Object(panels))
        }
        ("GET", "floor") => {
            let panels: serde_json::Map<String, Value> =
                emulator::EMULATORS.iter().map(|e| (e.panel().name().to_string(), json!(e.cycle_floor()))).collect();
            HttpResponse::json(200, &Value::Object(panels))
        }
        ("GET", "model") => HttpResponse::json(200, &json!(*lock(&shared.model))),
        ("PATCH" | "PUT", "model") => {
            let current = serde_json::to_value(*lock(&shared.model)).unwrap_or(Value::Null);
            let changed = serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string()).and_then(|patch| {
                if !patch.is_object() {
                    return Err("a model must be a JSON object".to_string());
                }
                let mut value = if req.method == "PUT" { json!({}) } else { current };
                merge_patch(&mut value, &patch);
                serde_json::from_value::<NetworkModel>(value).map_err(|e| e.to_string())
            });
            match changed {
                Ok(model) => {
                    *lock(&shared.model) = model;
                    HttpResponse::json(200, &json!(model))
                }
                Err(e) => control_error(400, &format!("invalid model: {e}")),
            }
        }
        ("GET", "served") => {
            let state = lock(&shared.state);
            let panels: serde_json::Map<String, Value> =
                emulator::EMULATORS.iter().map(|e| (e.panel().name().to_string(), json!(e.served(&state)))).collect();
            HttpResponse::json(200, &Value::Object(panels))
        }
        ("PUT", "state") => match serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string()).and_then(State::from_value) {
            Ok(st) => {
                *lock(&shared.state) = st;
                ok()
            }
            Err(e) => control_error(400, &e),
        },
        // A JSON merge patch (RFC 7396): clients change a few fields without
        // round-tripping the whole state (PHP turns empty maps into lists).
        ("PATCH", "state") => {
            let patched = serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string()).and_then(|patch| {
                if !patch.is_object() {
                    return Err("a state patch must be a JSON object".to_string());
                }
                let mut current = lock(&shared.state).to_value();
                merge_patch(&mut current, &patch);
                State::from_value(current)
            });
            match patched {
                Ok(st) => {
                    *lock(&shared.state) = st;
                    ok()
                }
                Err(e) => control_error(400, &e),
            }
        }
        ("POST", "reset") => {
            if req.body.iter().all(u8::is_ascii_whitespace) {
                reset_all(shared, None);
                ok()
            } else {
                match serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string()).and_then(State::from_value) {
                    Ok(st) => {
                        reset_all(shared, Some(st));
                        ok()
                    }
                    Err(e) => control_error(400, &e),
                }
            }
        }
        ("GET", "fault") => HttpResponse::json(200, &serde_json::to_value(lock(&shared.faults).clone()).unwrap_or(Value::Null)),
        ("POST", "fault") => match serde_json::from_slice::<Fault>(&req.body) {
            Ok(f) => {
                install_fault(shared, f);
                ok()
            }
            Err(e) => control_error(400, &format!("invalid fault: {e}")),
        },
        ("DELETE", "fault") => {
            lock(&shared.faults).clear();
            ok()
        }
        ("GET", "log") => HttpResponse::new(
            200,
            "text/plain; charset=utf-8",
            lock(&shared.log_memory).iter().map(|l| format!("{l}\n")).collect::<String>(),
        ),
        ("POST", "shutdown") => return (ok(), true),
        _ => control_error(404, "unknown control endpoint"),
    };
    (resp, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_seed_is_a_valid_state_that_round_trips() {
        let seed = default_seed();
        let st = State::from_value(seed.clone()).unwrap();
        assert_eq!(st.to_value(), seed);
        assert_eq!(st.hestia.admin_user, "admin");
        assert_eq!(st.hestia.access_keys.iter().map(|(k, v)| (k.len(), v.len())).next(), Some((20, 40)));
    }

    #[test]
    fn a_poisoned_lock_is_recovered_instead_of_panicking() {
        let m = Arc::new(Mutex::new(1));
        let m2 = Arc::clone(&m);
        let _ = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            panic!("poison it");
        })
        .join();
        assert!(m.is_poisoned());
        *lock(&m) += 1;
        assert_eq!(*lock(&m), 2);
    }

    #[test]
    fn panel_ids_read_from_json_must_name_an_emulator() {
        let cases = [("\"hestia\"", Some(Panel::Hestia)), ("\"serverpilot\"", Some(Panel::ServerPilot)), ("\"server_pilot\"", Some(Panel::ServerPilot)), ("\"no-such-panel\"", None), ("3", None)];
        for (json, want) in cases {
            assert_eq!(serde_json::from_str::<Panel>(json).ok(), want, "{json}");
        }
        let err = serde_json::from_str::<Panel>("\"no-such-panel\"").unwrap_err().to_string();
        let every: Vec<&str> = Sandbox::panels().iter().map(|p| p.name()).collect();
        assert!(err.contains("unknown panel 'no-such-panel'") && err.contains(&every.join(", ")), "{err}");
        assert_eq!(serde_json::to_string(&Panel::Enhance).unwrap(), "\"enhance\"");
    }

    #[test]
    fn routes_split_the_one_port_between_the_panels() {
        let cases = [
            ("/api", "hestia"),
            ("/api/", "hestia"),
            ("/api/index.php", "hestia"),
            ("/api/servers", "enhance"),
            ("/api/servers/x/domains", "enhance"),
            ("/api/orgs/o/websites/w", "enhance"),
            ("/api/serversx", "none"),
            ("/v1/apps/a", "serverpilot"),
            ("/v1", "serverpilot"),
            ("/v10", "none"),
            ("/__sandbox/state", "control"),
            ("/", "none"),
        ];
        for (path, want) in cases {
            let got = match route(path) {
                Route::Panel(p) => p.name(),
                Route::Control => "control",
                Route::NotFound => "none",
            };
            assert_eq!(got, want, "{path}");
        }
        for (path, _) in cases {
            let serving: Vec<&str> = emulator::EMULATORS.iter().filter(|e| e.serves(path)).map(|e| e.panel().name()).collect();
            assert!(serving.len() <= 1, "{path} is served by {serving:?}");
        }
        for panel in Sandbox::panels() {
            assert_eq!(emulator::of(panel).panel(), panel);
        }
    }

    #[test]
    fn a_counted_fault_is_used_up_and_a_new_one_replaces_the_same_scope() {
        let sb = Sandbox::start();
        sb.set_fault(Fault::status(500).times(2));
        sb.set_fault(Fault::status(502).for_panel(Panel::Enhance));
        sb.set_fault(Fault::status(503).times(2));
        assert_eq!(sb.faults().len(), 2);
        let first = take_fault(&sb.shared, Panel::Hestia, "POST").unwrap();
        assert_eq!(first.status, Some(503), "the panel-less fault applies to hestia");
        take_fault(&sb.shared, Panel::Hestia, "POST");
        assert!(take_fault(&sb.shared, Panel::Hestia, "POST").is_none());
        assert_eq!(take_fault(&sb.shared, Panel::Enhance, "GET").unwrap().status, Some(502));
        sb.set_fault(Fault::status(500).times(0));
        assert_eq!(sb.faults().len(), 1, "a zero count installs nothing");
    }

    #[test]
    fn a_fault_after_some_requests_lets_them_through_then_misbehaves() {
        let sb = Sandbox::start();
        sb.set_fault(Fault::status(500).for_panel(Panel::Enhance).after(2).times(1));
        assert!(take_fault(&sb.shared, Panel::Enhance, "GET").is_none());
        assert!(take_fault(&sb.shared, Panel::Hestia, "POST").is_none(), "out of scope: not counted");
        assert!(take_fault(&sb.shared, Panel::Enhance, "POST").is_none());
        assert_eq!(take_fault(&sb.shared, Panel::Enhance, "DELETE").unwrap().status, Some(500));
        assert!(sb.faults().is_empty(), "used up");
        let json: Fault = serde_json::from_str(r#"{"mode":"reset","after":1}"#).unwrap();
        assert_eq!(json.after, 1);
    }

    #[test]
    fn a_fault_for_one_method_leaves_the_others_alone_and_keeps_its_own_scope() {
        let sb = Sandbox::start();
        sb.set_fault(Fault::status(500).for_panel(Panel::ServerPilot).on_method("post").times(1));
        sb.set_fault(Fault::status(502).for_panel(Panel::ServerPilot));
        assert_eq!(sb.faults().len(), 2, "different methods, different scopes");
        sb.clear_fault();
        sb.set_fault(Fault::status(500).for_panel(Panel::ServerPilot).on_method("post").times(1));
        assert!(take_fault(&sb.shared, Panel::ServerPilot, "GET").is_none());
        assert_eq!(take_fault(&sb.shared, Panel::ServerPilot, "POST").unwrap().status, Some(500));
        assert!(take_fault(&sb.shared, Panel::ServerPilot, "POST").is_none(), "used up");
    }
}
