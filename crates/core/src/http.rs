//! The one shared HTTP client: timeouts, TLS, body caps, and errors that say
//! what failed without repeating a credential.
//!
//! Clients are built lazily on first use and rebuilt in a forked child:
//! php-fpm forks its workers after module start-up, and a client made
//! before a fork hangs in the children.
//!
//! Requests run on the calling thread: reqwest's async client on one
//! current-thread runtime per process, entered by `block_on` from whichever
//! thread sends (several at once share its I/O driver). reqwest's blocking
//! client would hand each request to a background thread and each answer
//! back, a cost of several thread wake-ups per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use once_cell::sync::Lazy;
use url::Url;

use crate::error::{ErrorKind, ProviderError};
use crate::memo::Memo;
use crate::proxy::{ProxyRoute, ProxySettings};
use crate::secret::{Redactor, Secret};
use crate::tls::{CaFile, Refusal};

/// Longest panel answer we read; a larger one is refused as `api`.
pub const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;
const USER_AGENT: &str = concat!("wu_native/", env!("CARGO_PKG_VERSION"));

/// Longest a connection attempt may take, whatever the total timeout.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts for a request that failed in a way worth repeating.
pub const MAX_ATTEMPTS: u32 = 3;
/// Longest pause between attempts when the panel does not name one.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub tls: TlsSettings,
    /// `WP_PROXY_*` and the proxy environment variables.
    pub proxy: ProxySettings,
    /// The provider's secrets: removed from every answer as soon as it is
    /// read, so no excerpt, parse error or message can carry one.
    pub redactor: Redactor,
}

/// How panel certificates are checked. The system trust store always
/// applies; `WU_NATIVE_CA_FILE` adds to it (see `tls`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TlsSettings {
    pub ca_file: Option<CaFile>,
    /// `WU_NATIVE_SSL_VERIFY` false: accept any certificate (reported as a warning).
    pub skip_verify: bool,
}

impl HttpSettings {
    pub fn with_timeout(timeout: Duration) -> Self {
        HttpSettings {
            connect_timeout: timeout.min(MAX_CONNECT_TIMEOUT),
            timeout,
            tls: TlsSettings::default(),
            proxy: ProxySettings::default(),
            redactor: Redactor::default(),
        }
    }

    /// The timeout (`WU_NATIVE_TIMEOUT` or the provider's default), the
    /// TLS settings (`WU_NATIVE_CA_FILE`, `WU_NATIVE_SSL_VERIFY`) and the
    /// proxy (`WP_PROXY_*`, then the environment) of one provider.
    pub fn from_values(values: &crate::config::Values, default_timeout: Duration) -> Result<Self, ProviderError> {
        let mut settings = HttpSettings::with_timeout(values.timeout(default_timeout)?);
        values.add_secrets_to(&mut settings.redactor);
        settings.proxy = ProxySettings::from_values(values, &|name| std::env::var(name).ok())?;
        settings.tls = TlsSettings {
            // Read on every call, so a broken file is reported even before an
            // HTTPS panel needs it, and a renewed one is used at once.
            ca_file: values.get(crate::config::CA_FILE).map(|path| CaFile::read(path, values.open_basedir.as_deref())).transpose()?,
            skip_verify: !crate::config::parse_yes_no(
                crate::config::SSL_VERIFY,
                values.get(crate::config::SSL_VERIFY).unwrap_or("yes"),
            )?,
        };
        Ok(settings)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

#[derive(Debug, Clone)]
pub enum Body {
    Empty,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
}

#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Bearer(Secret),
    Basic(String, Secret),
    /// `<name>: <public><secret>`, for panels with a header or scheme of
    /// their own: cPanel's `Authorization: cpanel user:token` (public
    /// `cpanel user:`), Plesk's `X-API-Key: key` (no public part).
    Header { name: &'static str, public: String, secret: Secret },
}

/// A request as a provider describes it. The secrets inside stay `Secret`s
/// until the moment the request is sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub auth: Auth,
    pub body: Body,
    /// Form fields whose values are secrets; kept apart so `Debug` of the
    /// request never shows them.
    pub secret_fields: Vec<(String, Secret)>,
    /// Whether sending it twice does no harm, so a transient failure after
    /// it may have reached the panel can be retried. Reads and deletes are;
    /// providers mark the writes whose repetition the panel reports harmlessly.
    pub retry_safe: bool,
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        let retry_safe = matches!(method, Method::Get | Method::Delete);
        Request { method, url, auth: Auth::None, body: Body::Empty, secret_fields: Vec::new(), retry_safe }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The start of the body, printable, for an error message.
    pub fn excerpt(&self) -> String {
        let text = self.body.trim();
        let short: String = text.chars().take(200).collect();
        let short = crate::domain::printable(&short);
        if text.chars().count() > 200 { format!("{short}…") } else { short }
    }
}

/// What makes two clients differ. Timeouts are not part of it (the total
/// timeout is set per request, and the connect limit is the same for all),
/// so one process builds one client per trust setting, not one per panel:
/// building one loads the system trust store, the costliest part of a first call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClientKey {
    tls: TlsSettings,
    /// Plain-HTTP panels get a client without the trust store at all.
    https: bool,
    proxy: Option<ProxyRoute>,
}

struct ClientCache {
    /// The process the clients were made in (see `process_generation`).
    generation: u64,
    /// Drives every client's connections; made on first use in the process.
    runtime: Option<Arc<tokio::runtime::Runtime>>,
    clients: HashMap<ClientKey, reqwest::Client>,
}

static CLIENTS: Lazy<Mutex<ClientCache>> =
    Lazy::new(|| Mutex::new(ClientCache { generation: process_generation(), runtime: None, clients: HashMap::new() }));

/// Forks this process has gone through: a child sees one more than its
/// parent did. Counted by a fork handler, so a call learns whether it runs
/// in the process its clients were made in without asking the kernel.
fn process_generation() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static FORKS: AtomicU64 = AtomicU64::new(0);
    static HANDLER: std::sync::Once = std::sync::Once::new();
    extern "C" fn forked() {
        FORKS.fetch_add(1, Ordering::SeqCst);
    }
    HANDLER.call_once(|| {
        // SAFETY: registers a child handler that only adds to an atomic,
        // which is safe in a freshly forked child. glibc drops it if this
        // library is unloaded.
        unsafe { libc::pthread_atfork(None, None, Some(forked)) };
    });
    FORKS.load(Ordering::SeqCst)
}

fn client_for(
    settings: &HttpSettings,
    https: bool,
    proxy: Option<&ProxyRoute>,
) -> Result<(Arc<tokio::runtime::Runtime>, reqwest::Client), ProviderError> {
    let mut cache = CLIENTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let generation = process_generation();
    if cache.generation != generation {
        // Inherited from the parent: its connections and the runtime's
        // threads (the resolver's) are the parent's, and dropping them here
        // could wait for threads that do not exist. Leak them instead.
        std::mem::forget(std::mem::take(&mut cache.clients));
        std::mem::forget(cache.runtime.take());
        cache.generation = generation;
    }
    let runtime = match &cache.runtime {
        Some(runtime) => Arc::clone(runtime),
        None => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| {
                ProviderError::new(ErrorKind::Transport, format!("could not set up the HTTP client: {e}"))
            })?;
            Arc::clone(cache.runtime.insert(Arc::new(runtime)))
        }
    };
    let key = ClientKey { tls: settings.tls.clone(), https, proxy: proxy.cloned() };
    if let Some(client) = cache.clients.get(&key) {
        return Ok((runtime, client.clone()));
    }
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(MAX_CONNECT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        // The environment is read by curl's rules in `proxy`, not reqwest's.
        .no_proxy();
    let setup_failed = |e: String| ProviderError::new(ErrorKind::Transport, format!("could not set up the HTTP client: {e}"));
    if https {
        let config = crate::tls::client_config(settings.tls.ca_file.as_ref(), settings.tls.skip_verify).map_err(setup_failed)?;
        builder = builder.use_preconfigured_tls(config);
    }
    if let Some(route) = proxy {
        let mut target = reqwest::Proxy::all(route.url.as_str()).map_err(|e| setup_failed(chain(&e)))?;
        if let Some((user, password)) = &route.credentials {
            target = target.basic_auth(user, password.expose());
        }
        builder = builder.proxy(target);
    }
    let client = builder
        .build()
        .map_err(|e| ProviderError::new(ErrorKind::Transport, format!("could not set up the HTTP client: {}", chain(&e))))?;
    cache.clients.insert(key, client.clone());
    Ok((runtime, client))
}

/// Sends one request, repeating it (at most `MAX_ATTEMPTS` times, with
/// capped exponential backoff) only after a transient failure: a connection
/// refused or reset, or a 502, 503, 504 or 429. A `Retry-After` is honoured
/// in full when the wait fits in the request's timeout (counted from the
/// first attempt); a longer one is not cut short: the answer is returned at
/// once, for the provider to report when to try again.
/// A refused login is never repeated: Hestia bans an address after five.
pub fn send(request: &Request, settings: &HttpSettings) -> Result<Response, ProviderError> {
    let started = std::time::Instant::now();
    let mut attempt = 1;
    loop {
        let outcome = send_once(request, settings);
        let pause = match &outcome {
            Ok(response) if request.retry_safe && matches!(response.status, 429 | 502 | 503 | 504) => {
                match retry_after(response) {
                    Some(wait) if started.elapsed() + wait <= settings.timeout => Some(wait),
                    Some(_) => None,
                    None => Some(backoff(attempt)),
                }
            }
            Err(failure) if failure.retryable(request) => Some(backoff(attempt)),
            _ => None,
        };
        match pause {
            Some(pause) if attempt < MAX_ATTEMPTS => {
                std::thread::sleep(pause);
                attempt += 1;
            }
            _ => return outcome.map_err(|f| f.error),
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200u64 << (attempt - 1).min(5)).min(MAX_BACKOFF)
}

/// `Retry-After` in seconds (the HTTP-date form is rare from APIs; ignored).
pub fn retry_after(response: &Response) -> Option<Duration> {
    response.header("Retry-After")?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A failed attempt, with what is known about whether the panel saw it.
struct Failure {
    error: ProviderError,
    /// The connection never opened: the panel cannot have seen the request.
    unsent: bool,
}

impl Failure {
    fn retryable(&self, request: &Request) -> bool {
        self.error.kind == ErrorKind::Transport && (self.unsent || request.retry_safe)
    }
}

fn send_once(request: &Request, settings: &HttpSettings) -> Result<Response, Failure> {
    let unsent = |error| Failure { error, unsent: true };
    let proxy = settings.proxy.route(&request.url).map_err(unsent)?;
    let (runtime, client) = client_for(settings, request.url.scheme() == "https", proxy.as_ref()).map_err(unsent)?;
    runtime.block_on(exchange(&client, request, settings, proxy))
}

async fn exchange(client: &reqwest::Client, request: &Request, settings: &HttpSettings, proxy: Option<ProxyRoute>) -> Result<Response, Failure> {
    // Lets the runtime see what happened to idle connections since the last
    // request (a panel that closed one), so a closed one is not picked.
    tokio::task::yield_now().await;
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = client.request(method, request.url.clone()).timeout(settings.timeout);
    builder = match &request.auth {
        Auth::None => builder,
        Auth::Bearer(token) => builder.bearer_auth(token.expose()),
        Auth::Basic(user, key) => builder.basic_auth(user, Some(key.expose())),
        Auth::Header { name, public, secret } => builder.header(*name, format!("{public}{}", secret.expose())),
    };
    builder = match &request.body {
        Body::Empty => builder,
        Body::Form(fields) => {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (k, v) in fields {
                form.append_pair(k, v);
            }
            for (k, v) in &request.secret_fields {
                form.append_pair(k, v.expose());
            }
            builder.header("Content-Type", "application/x-www-form-urlencoded").body(form.finish())
        }
        Body::Json(value) => builder
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(value.to_string()),
    };

    let mut response = builder
        .send()
        .await
        .map_err(|e| Failure { unsent: e.is_connect(), error: transport_error(&e, &request.url, settings, proxy.as_ref()) })?;
    let status = response.status().as_u16();
    if status == 407 {
        if let Some(route) = &proxy {
            return Err(Failure { unsent: true, error: proxy_refused(route).with_status(status) });
        }
    }
    let redactor = answer_redactor(request, settings, proxy.as_ref());
    // A header can repeat a credential too (a redirect's Location, a proxy's
    // diagnostics). The values are searched together (joined by NUL, which
    // no header value holds and no escape takes in), then one by one only
    // when that finds something.
    let mut headers: Vec<(String, String)> =
        response.headers().iter().map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
    let all = headers.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("\0");
    if redactor.redact(&all) != all {
        for (_, value) in &mut headers {
            *value = redactor.redact(value);
        }
    }
    let mut bytes = Vec::new();
    while (bytes.len() as u64) <= MAX_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return Err(Failure { unsent: false, error: read_error(&e, &request.url, settings, proxy.as_ref()) }),
        }
    }
    if bytes.len() as u64 > MAX_BODY_BYTES {
        return Err(Failure {
            unsent: false,
            error: ProviderError::new(
                ErrorKind::Api,
                format!("{} answered with more than {} MiB; refusing to read it", host_of(&request.url), MAX_BODY_BYTES >> 20),
            )
            .with_status(status),
        });
    }
    let body = redactor.redact(&String::from_utf8_lossy(&bytes));
    Ok(Response { status, headers, body })
}

/// The provider's secrets plus the credentials in the forms this request
/// sent them (a panel may echo a header back), and the proxy's. Each is
/// masked in every encoding the answer may carry it in (see `Redactor`).
fn answer_redactor(request: &Request, settings: &HttpSettings, proxy: Option<&ProxyRoute>) -> Redactor {
    let mut redactor = redactor_with_proxy(settings, proxy);
    match &request.auth {
        Auth::None => {}
        Auth::Bearer(token) | Auth::Header { secret: token, .. } => redactor.add(token),
        Auth::Basic(user, key) => redactor.add_basic_credential(user, key),
    }
    for (_, secret) in &request.secret_fields {
        redactor.add(secret);
    }
    redactor
}

/// A panel's API address read from `constant`: an http(s) URL with a host,
/// and no credentials, query or fragment in it. `not_a_url` ends the message
/// for text that is no URL at all; `credentials` says where they go instead.
pub fn panel_url(constant: &str, text: &str, not_a_url: &str, credentials: &str) -> Result<Url, ProviderError> {
    // Every call reads the same few addresses: each is parsed once per process.
    static PARSED: Memo<String, Url> = Memo::new(32);
    if let Some(url) = PARSED.get(text) {
        return Ok(url);
    }
    let url = Url::parse(text).map_err(|_| ProviderError::config(format!("{constant} is not a URL: {not_a_url}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ProviderError::config(format!("{constant} must be an http:// or https:// address")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ProviderError::config(format!("{constant} must not contain credentials; {credentials}")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ProviderError::config(format!("{constant} must not contain '?' or '#'")));
    }
    PARSED.insert(text.to_string(), url.clone());
    Ok(url)
}

pub use crate::address::host_of;

/// The causes of an error, innermost last, without the URL reqwest adds.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn timeout_error(url: &Url, settings: &HttpSettings) -> ProviderError {
    ProviderError::new(
        ErrorKind::Timeout,
        format!(
            "{} did not answer within {} s (connect limit {} s); check that the panel is up, or raise WU_NATIVE_TIMEOUT",
            host_of(url),
            settings.timeout.as_secs_f64(),
            settings.connect_timeout.as_secs_f64()
        ),
    )
}

/// The configured secrets, plus the proxy's credentials in the forms they
/// travel in (a proxy may repeat its `Proxy-Authorization` header).
fn redactor_with_proxy(settings: &HttpSettings, proxy: Option<&ProxyRoute>) -> Redactor {
    let mut redactor = settings.redactor.clone();
    if let Some((user, password)) = proxy.and_then(|p| p.credentials.as_ref()) {
        redactor.add_basic_credential(user, password);
    }
    redactor
}

fn proxy_refused(route: &ProxyRoute) -> ProviderError {
    let fix = if route.source == crate::config::PROXY_HOST {
        format!("check {} and {}", crate::config::PROXY_USERNAME, crate::config::PROXY_PASSWORD)
    } else {
        format!("check the credentials in the environment variable {}", route.source)
    };
    ProviderError::new(ErrorKind::Auth, format!("the proxy {} (from {}) refused the request: it wants valid credentials (HTTP 407); {fix}", route.address(), route.source))
}

fn transport_error(err: &reqwest::Error, url: &Url, settings: &HttpSettings, proxy: Option<&ProxyRoute>) -> ProviderError {
    if err.is_timeout() {
        return timeout_error(url, settings);
    }
    let redactor = redactor_with_proxy(settings, proxy);
    let detail = redactor.redact(&chain(err).replace(url.as_str(), &host_of(url)));
    if let Some(reason) = crate::tls::refusal(err) {
        return tls_error(url, settings, &reason, &detail);
    }
    let lower = detail.to_ascii_lowercase();
    if let Some(route) = proxy {
        // A tunnel (CONNECT) refused with 407 reads "proxy authorization
        // required"; a bare "407" would also match a port such as :40765.
        if lower.contains("proxy authorization required") || lower.contains("407 proxy authentication required") {
            return proxy_refused(route);
        }
        let what = if err.is_connect() { "could not reach" } else { "the connection failed with" };
        return ProviderError::new(
            ErrorKind::Transport,
            format!(
                "{what} {} through the proxy {} (from {}) ({detail}); check that the proxy is up and lets this server reach the panel, or list the panel's host in WP_PROXY_BYPASS_HOSTS / no_proxy",
                host_of(url),
                route.address(),
                route.source
            ),
        );
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") || lower.contains("ssl") {
        return ProviderError::new(ErrorKind::Tls, format!("the TLS handshake with {} failed ({detail})", host_of(url)));
    }
    let what = if err.is_connect() { "could not connect to" } else { "the connection failed with" };
    ProviderError::new(ErrorKind::Transport, format!("{what} {} ({detail}); check the API URL and that the panel is reachable from this server", host_of(url)))
}

/// A refused certificate, with what can be done about it. When the CA file
/// is already set, the message says what is wrong instead of advising it again.
fn tls_error(url: &Url, settings: &HttpSettings, reason: &rustls::CertificateError, detail: &str) -> ProviderError {
    let host = host_of(url);
    let name = url.host_str().unwrap_or_default();
    let ca = crate::config::CA_FILE;
    let message = match (&settings.tls.ca_file, Refusal::from(reason)) {
        (_, Refusal::Expired) => format!(
            "the TLS certificate of {host} has expired or is not yet valid ({detail}); renew the panel's certificate (and replace it in {ca} if it is kept there), or check this server's clock"
        ),
        (_, Refusal::WrongHost) => format!(
            "the TLS certificate of {host} is not issued for '{name}' ({detail}); use a host name the certificate names in the API URL, or reissue the certificate for '{name}'"
        ),
        (Some(file), Refusal::NotTrusted) => format!(
            "the TLS certificate of {host} is neither in {ca} ('{}') nor issued by a CA in it or in the system store ({detail}); put the panel's current certificate, or the CA that issued it, into that file",
            crate::domain::printable(&file.path)
        ),
        (Some(file), Refusal::Other) => format!(
            "the TLS certificate of {host} was refused ({detail}); the certificates in {ca} ('{}') do not make it acceptable",
            crate::domain::printable(&file.path)
        ),
        (None, _) => format!(
            "the TLS certificate of {host} was refused ({detail}); if the panel uses its own or a self-signed certificate, set {ca} to a PEM file of it (or of its CA)"
        ),
    };
    ProviderError::new(ErrorKind::Tls, message)
}

fn read_error(err: &reqwest::Error, url: &Url, settings: &HttpSettings, proxy: Option<&ProxyRoute>) -> ProviderError {
    if err.is_timeout() || chain(err).to_ascii_lowercase().contains("timed out") {
        return timeout_error(url, settings);
    }
    let detail = redactor_with_proxy(settings, proxy).redact(&chain(err));
    ProviderError::new(ErrorKind::Transport, format!("the answer from {} broke off ({detail})", host_of(url)))
}
