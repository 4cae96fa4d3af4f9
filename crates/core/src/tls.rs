//! Which panel certificates are trusted: the system store, plus
//! `WU_NATIVE_CA_FILE` read the way PHP's curl reads `CURLOPT_CAINFO`.
//!
//! curl (with OpenSSL) trusts a certificate found in the CA file as it is,
//! even when it could not stand at the end of a chain: the `openssl req
//! -x509` default (CA:TRUE), a certificate with only a common name, an X.509
//! v1 certificate. webpki refuses all three, so the verifier here first asks
//! webpki and, when webpki refuses, accepts a certificate that is byte for
//! byte in the CA file if it is within its validity period and names the
//! host (subjectAltName, else the last common name, as curl does).
//!
//! The system store is consulted only for a certificate the CA file does not
//! vouch for, so a panel pinned in the file never pays for loading it; and
//! then its bundle file is read first, its directory only when the bundle
//! does not vouch for the certificate either.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use once_cell::sync::Lazy;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::config::CA_FILE;
use crate::domain::printable;
use crate::error::ProviderError;

/// Largest CA file read; a bundle of every public CA is about 200 KiB.
pub const MAX_CA_FILE_BYTES: u64 = 1 << 20;

/// The certificates of `WU_NATIVE_CA_FILE`, as read for one call. Two
/// clients with different contents are different clients, so a renewed
/// certificate is picked up without a restart; they compare by a digest of
/// the certificates, not by their bytes.
#[derive(Clone)]
pub struct CaFile {
    pub path: String,
    pub certificates: Arc<[CertificateDer<'static>]>,
    digest: [u8; 32],
}

impl PartialEq for CaFile {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest
    }
}

impl Eq for CaFile {}

impl std::hash::Hash for CaFile {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.digest.hash(state);
    }
}

impl std::fmt::Debug for CaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaFile({:?}, {} certificates)", self.path, self.certificates.len())
    }
}

impl CaFile {
    /// Reads `path` as PHP would let a script read it: only a regular file
    /// (a FIFO or a device is refused without blocking), at most
    /// [`MAX_CA_FILE_BYTES`], inside `open_basedir` when that is set. Every
    /// failure but open_basedir's reads the same, so the message tells no
    /// more about a file than that it cannot be used.
    pub fn read(path: &str, open_basedir: Option<&str>) -> Result<CaFile, ProviderError> {
        let shown = || printable(path);
        let unusable = || {
            ProviderError::config(format!(
                "{CA_FILE} '{}' cannot be used: it must name a readable regular file of PEM certificates, at most {} MiB",
                shown(),
                MAX_CA_FILE_BYTES >> 20
            ))
        };
        let outside = || {
            ProviderError::config(format!(
                "{CA_FILE} '{}' cannot be used: it is outside PHP's open_basedir; move the file into an allowed directory or add its directory to open_basedir",
                shown()
            ))
        };
        // Without open_basedir the name is read as given, links followed, as
        // curl does. With it, the name is resolved and checked, and the
        // resolved name read without following a link at its end: one
        // swapped in after the check is not followed.
        let (file, follow) = match open_basedir.map(str::trim).filter(|b| !b.is_empty()) {
            None => (PathBuf::from(path), true),
            Some(basedir) => match std::fs::canonicalize(path) {
                Ok(resolved) if within_open_basedir(&resolved, basedir) => (resolved, false),
                Ok(_) => return Err(outside()),
                // A missing file outside open_basedir reads like an existing one there.
                Err(_) if within_open_basedir(&lexically_absolute(Path::new(path)), basedir) => return Err(unusable()),
                Err(_) => return Err(outside()),
            },
        };
        let (certificates, digest) = read_certificates(&file, follow).ok_or_else(unusable)?;
        Ok(CaFile { path: path.to_string(), certificates, digest })
    }
}

/// How long after its last change a file's identity is trusted to tell its
/// contents: a file can change twice within the clock tick the kernel
/// stamps modification times with, and keep its size.
const SETTLED_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// The certificates of a CA file and their digest. The file is looked at
/// (one `stat`) on every call, so a renewed, removed or unreadable file
/// counts at once; it is read and parsed again only when it is another
/// file or its size, modification or change time moved, or it changed in
/// the last two seconds (see `SETTLED_AFTER`).
fn read_certificates(path: &Path, follow: bool) -> Option<(Arc<[CertificateDer<'static>]>, [u8; 32])> {
    use std::os::unix::fs::MetadataExt;
    /// Device, inode, size, modification and change times of a file.
    type Identity = (u64, u64, u64, i64, i64, i64, i64);
    #[derive(Clone)]
    struct Parsed {
        identity: Identity,
        settled: bool,
        certificates: Arc<[CertificateDer<'static>]>,
        digest: [u8; 32],
    }
    static PARSED: crate::memo::Memo<PathBuf, Parsed> = crate::memo::Memo::new(16);
    let identity_of = |m: &std::fs::Metadata| (m.dev(), m.ino(), m.len(), m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec());

    let meta = if follow { std::fs::metadata(path) } else { std::fs::symlink_metadata(path) }.ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_CA_FILE_BYTES {
        return None;
    }
    if let Some(seen) = PARSED.get(path) {
        // A file we cannot open any more has a new change time (chmod), so it is read again and refused.
        if seen.settled && seen.identity == identity_of(&meta) {
            return Some((seen.certificates, seen.digest));
        }
    }
    let (pem, meta) = read_regular_file(path, MAX_CA_FILE_BYTES, follow)?;
    let certificates: Arc<[CertificateDer<'static>]> =
        CertificateDer::pem_slice_iter(&pem).collect::<Result<Vec<_>, _>>().ok().filter(|c| !c.is_empty())?.into();
    let digest = {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for certificate in certificates.iter() {
            hasher.update((certificate.len() as u64).to_be_bytes());
            hasher.update(certificate.as_ref());
        }
        hasher.finalize().into()
    };
    let settled = meta
        .modified()
        .ok()
        .and_then(|changed| std::time::SystemTime::now().duration_since(changed).ok())
        .is_some_and(|age| age > SETTLED_AFTER);
    PARSED.insert(path.to_path_buf(), Parsed { identity: identity_of(&meta), settled, certificates: Arc::clone(&certificates), digest });
    Some((certificates, digest))
}

/// The contents of a regular file of at most `cap` bytes; `None` for
/// anything else. Opened non-blocking so a FIFO without a writer returns at
/// once, and the type checked on the opened descriptor, not the name.
/// `follow`: whether a link at the last component is followed.
fn read_regular_file(path: &Path, cap: u64, follow: bool) -> Option<(Vec<u8>, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | nofollow)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.file_type().is_file() || meta.len() > cap {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= cap).then_some((bytes, meta))
}

/// PHP's open_basedir test on a resolved path: each `:`-separated entry is
/// resolved too (an entry ending in `/` must be a directory), and the path
/// must be that entry or lie below it. PHP 8 compares whole path
/// components, so `/var/www` does not admit `/var/www2`.
pub fn within_open_basedir(resolved: &Path, open_basedir: &str) -> bool {
    open_basedir.split(':').filter(|entry| !entry.is_empty()).any(|entry| match std::fs::canonicalize(entry) {
        Ok(allowed) => resolved.starts_with(&allowed),
        Err(_) => false,
    })
}

/// `path` made absolute against the working directory, with `.` and `..`
/// applied to the text (for a path that does not exist).
fn lexically_absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::from("/");
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------- verifier

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The system trust store, in two parts, each read at most once per process
/// and only when needed: its bundle file first (one file of every trusted
/// CA, parsed once: about 1 ms), and its certificate directory only for a
/// certificate the bundle does not vouch for (a CA dropped there by hand:
/// reading a file per CA costs several ms). Together they trust what curl
/// with OpenSSL trusts through its CA file and CA path; `None` when empty.
static SYSTEM_BUNDLE: Lazy<Option<Arc<WebPkiServerVerifier>>> =
    Lazy::new(|| anchored_verifier(system_paths().bundle.and_then(|path| std::fs::read(path).ok()).map(|pem| pem_certificates(&pem)).unwrap_or_default()));

static SYSTEM_DIRECTORY: Lazy<Option<Arc<WebPkiServerVerifier>>> = Lazy::new(|| {
    let paths = system_paths();
    let mut certificates = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // The bundle is often linked into the directory: not read twice.
    if let Some(meta) = paths.bundle.as_ref().and_then(|b| std::fs::metadata(b).ok()) {
        use std::os::unix::fs::MetadataExt;
        seen.insert((meta.dev(), meta.ino()));
    }
    for dir in &paths.directories {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            use std::os::unix::fs::MetadataExt;
            let Ok(meta) = std::fs::metadata(entry.path()) else { continue };
            if meta.is_file() && meta.len() <= MAX_CA_FILE_BYTES && seen.insert((meta.dev(), meta.ino())) {
                if let Ok(pem) = std::fs::read(entry.path()) {
                    certificates.extend(pem_certificates(&pem));
                }
            }
        }
    }
    anchored_verifier(certificates)
});

/// Where the system store is: `SSL_CERT_FILE` and `SSL_CERT_DIR` when
/// either is set (as OpenSSL and curl read them), else the usual places.
struct SystemPaths {
    bundle: Option<PathBuf>,
    directories: Vec<PathBuf>,
}

fn system_paths() -> SystemPaths {
    let file = std::env::var_os("SSL_CERT_FILE").filter(|f| !f.is_empty()).map(PathBuf::from);
    let dirs = std::env::var_os("SSL_CERT_DIR").filter(|d| !d.is_empty());
    if file.is_some() || dirs.is_some() {
        let directories = dirs.map(|d| std::env::split_paths(&d).filter(|p| !p.as_os_str().is_empty()).collect()).unwrap_or_default();
        return SystemPaths { bundle: file, directories };
    }
    let probe = openssl_probe::probe();
    SystemPaths { bundle: probe.cert_file, directories: probe.cert_dir }
}

/// The certificates of a PEM text. Public certificates need no
/// constant-time decoding, so this is the plain base64 decoder (the
/// constant-time one made reading the system's bundle cost 5 ms);
/// anything that is not a well-formed certificate block is skipped.
fn pem_certificates(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    use base64::Engine as _;
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let find = |haystack: &[u8], needle: &[u8]| memchr::memmem::find(haystack, needle);
    let mut certificates = Vec::new();
    let mut rest = pem;
    let mut text = Vec::new();
    while let Some(start) = find(rest, BEGIN) {
        let body = &rest[start + BEGIN.len()..];
        let Some(end) = find(body, END) else { break };
        text.clear();
        // Line by line (PEM's lines are 64 characters), not byte by byte.
        let block = &body[..end];
        let mut from = 0;
        for to in memchr::memchr_iter(b'\n', block).chain([block.len()]) {
            text.extend_from_slice(block[from..to].trim_ascii());
            from = (to + 1).min(block.len());
        }
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&text) {
            certificates.push(CertificateDer::from(der));
        }
        rest = &body[end + END.len()..];
    }
    certificates
}

fn anchored_verifier(certificates: Vec<CertificateDer<'static>>) -> Option<Arc<WebPkiServerVerifier>> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(certificates);
    if roots.is_empty() {
        return None;
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider()).build().ok()
}

/// The TLS set-up for HTTPS panels: `ca_file` and the system store, or no
/// check at all when `skip_verify`.
pub fn client_config(ca_file: Option<&CaFile>, skip_verify: bool) -> Result<rustls::ClientConfig, String> {
    let provider = provider();
    let algorithms = provider.signature_verification_algorithms;
    let verifier: Arc<dyn ServerCertVerifier> = if skip_verify {
        Arc::new(AcceptAnyCertificate { algorithms })
    } else {
        let pinned = ca_file.map(|f| f.certificates.to_vec()).unwrap_or_default();
        Arc::new(PanelVerifier { file: anchored_verifier(pinned.clone()), pinned, algorithms })
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The CA file first (its certificates as anchors, then as pinned
/// certificates), then the system store.
#[derive(Debug)]
struct PanelVerifier {
    /// `None` without a CA file, or when nothing in it can be an anchor.
    file: Option<Arc<WebPkiServerVerifier>>,
    pinned: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PanelVerifier {
    fn is_pinned(&self, certificate: &CertificateDer<'_>) -> bool {
        self.pinned.iter().any(|p| p.as_ref() == certificate.as_ref())
    }
}

/// A refusal that only says "no anchor vouches for it": webpki's
/// UnknownIssuer, and its refusals of certificates that can be trusted only
/// by pinning (CA:TRUE, X.509 v1), which are reported as UnknownIssuer.
fn untrusted(error: &rustls::Error) -> bool {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => true,
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => {
            ["CaUsedAsEndEntity", "UnsupportedCertVersion"].iter().any(|k| format!("{other:?}").contains(k))
        }
        _ => false,
    }
}

impl ServerCertVerifier for PanelVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verify = |verifier: &Option<Arc<WebPkiServerVerifier>>| match verifier {
            Some(v) => v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now),
            None => Err(CertificateError::UnknownIssuer.into()),
        };
        let from_file = match verify(&self.file) {
            Ok(verified) => return Ok(verified),
            Err(_) if self.is_pinned(end_entity) => {
                return check_pinned(end_entity, server_name, now).map(|()| ServerCertVerified::assertion())
            }
            Err(error) => error,
        };
        let system = match verify(&SYSTEM_BUNDLE) {
            Err(error) if untrusted(&error) => verify(&SYSTEM_DIRECTORY),
            outcome => outcome,
        };
        match system {
            Ok(verified) => Ok(verified),
            // A chain to a CA of the file says more (expired, wrong host) than the system's "unknown".
            Err(_) if !untrusted(&from_file) => Err(from_file),
            Err(error) if untrusted(&error) => Err(CertificateError::UnknownIssuer.into()),
            Err(error) => Err(error),
        }
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        if self.is_pinned(cert) {
            return verify_with_key_of(cert, message, dss, &self.algorithms, false);
        }
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        if self.is_pinned(cert) {
            return verify_with_key_of(cert, message, dss, &self.algorithms, true);
        }
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A pinned certificate is trusted as it is; what curl still checks is
/// checked here: the validity period, the host name, and (when the
/// certificate limits its use) that it may serve TLS.
fn check_pinned(der: &CertificateDer<'_>, server_name: &ServerName<'_>, now: UnixTime) -> Result<(), rustls::Error> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).map_err(|_| CertificateError::BadEncoding)?;
    let now = now.as_secs() as i64;
    let validity = cert.validity();
    if now < validity.not_before.timestamp() {
        return Err(CertificateError::NotValidYet.into());
    }
    if now > validity.not_after.timestamp() {
        return Err(CertificateError::Expired.into());
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        if !eku.value.server_auth && !eku.value.any {
            return Err(CertificateError::InvalidPurpose.into());
        }
    }
    if !names_host(&cert, server_name) {
        return Err(CertificateError::NotValidForName.into());
    }
    Ok(())
}

/// curl's rule: the subjectAltName entries when there are any DNS or IP
/// ones, else the last common name of the subject.
fn names_host(cert: &x509_parser::certificate::X509Certificate<'_>, server_name: &ServerName<'_>) -> bool {
    use x509_parser::extensions::GeneralName;
    let ip: Option<std::net::IpAddr> = match server_name {
        ServerName::IpAddress(ip) => Some((*ip).into()),
        _ => None,
    };
    let host = match server_name {
        ServerName::DnsName(name) => name.as_ref().to_string(),
        ServerName::IpAddress(_) => ip.map(|ip| ip.to_string()).unwrap_or_default(),
        _ => return false,
    };
    let alt_names: Vec<&GeneralName<'_>> = match cert.subject_alternative_name() {
        Ok(Some(san)) => san.value.general_names.iter().filter(|n| matches!(n, GeneralName::DNSName(_) | GeneralName::IPAddress(_))).collect(),
        Ok(None) => Vec::new(),
        Err(_) => return false,
    };
    if !alt_names.is_empty() {
        return alt_names.iter().any(|name| match (name, ip) {
            (GeneralName::DNSName(pattern), None) => dns_pattern_matches(pattern, &host),
            (GeneralName::IPAddress(bytes), Some(ip)) => ip_bytes(ip) == *bytes,
            _ => false,
        });
    }
    let common_name = cert.subject().iter_common_name().last().and_then(|cn| cn.as_str().ok());
    match (common_name, ip) {
        (Some(cn), Some(ip)) => cn.trim().parse::<std::net::IpAddr>().is_ok_and(|c| c == ip),
        (Some(cn), None) => dns_pattern_matches(cn, &host),
        (None, _) => false,
    }
}

fn ip_bytes(ip: std::net::IpAddr) -> Vec<u8> {
    match ip {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// A certificate name against a host name, ignoring case and a final dot.
/// A wildcard stands for exactly one whole leftmost label, and only when at
/// least two labels follow it (`*.example.com`, never `*.com`), as in curl.
pub fn dns_pattern_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(rest) = pattern.strip_prefix("*.") {
        if rest.matches('.').count() >= 1 && !rest.contains('*') {
            return match host.split_once('.') {
                Some((label, host_rest)) => !label.is_empty() && host_rest == rest,
                None => false,
            };
        }
    }
    !pattern.is_empty() && pattern == host
}

/// The handshake signature checked against the certificate's public key
/// alone, which works for the X.509 v1 certificates webpki cannot parse.
fn verify_with_key_of(
    cert: &CertificateDer<'_>,
    message: &[u8],
    dss: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
    tls13: bool,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref()).map_err(|_| CertificateError::BadEncoding)?;
    let spki = SubjectPublicKeyInfoDer::from(parsed.tbs_certificate.subject_pki.raw);
    if tls13 {
        return rustls::crypto::verify_tls13_signature_with_raw_key(message, &spki, dss, algorithms);
    }
    let key = webpki::RawPublicKeyEntity::try_from(&spki).map_err(|_| CertificateError::BadEncoding)?;
    let candidates = algorithms.mapping.iter().filter(|(scheme, _)| *scheme == dss.scheme).flat_map(|(_, algs)| algs.iter());
    for alg in candidates {
        if key.verify_signature(*alg, message, dss.signature()).is_ok() {
            return Ok(HandshakeSignatureValid::assertion());
        }
    }
    Err(CertificateError::BadSignature.into())
}

/// `WU_NATIVE_SSL_VERIFY` false: any certificate, any name.
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(&self, _: &CertificateDer<'_>, _: &[CertificateDer<'_>], _: &ServerName<'_>, _: &[u8], _: UnixTime) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

// ---------------------------------------------------------------- refusals

/// Why a handshake failed, when rustls said so: found in an error's chain
/// (hyper and tokio wrap it in `io::Error`s, whose `source` skips the
/// error they wrap, so those are opened by hand).
pub fn refusal(err: &(dyn std::error::Error + 'static)) -> Option<CertificateError> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let mut candidate = Some(e);
        while let Some(c) = candidate {
            if let Some(rustls::Error::InvalidCertificate(reason)) = c.downcast_ref::<rustls::Error>() {
                return Some(reason.clone());
            }
            candidate = c.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()).map(|i| i as &(dyn std::error::Error + 'static));
        }
        next = e.source();
    }
    None
}

/// What a refusal means for someone who already set `WU_NATIVE_CA_FILE`.
pub enum Refusal {
    Expired,
    WrongHost,
    NotTrusted,
    Other,
}

impl From<&CertificateError> for Refusal {
    fn from(reason: &CertificateError) -> Self {
        match reason {
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => Refusal::Expired,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => Refusal::WrongHost,
            CertificateError::UnknownIssuer | CertificateError::BadSignature => Refusal::NotTrusted,
            _ => Refusal::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_names_match_hosts_as_curl_matches_them() {
        let cases = [
            ("panel.example", "panel.example", true),
            ("PANEL.example.", "panel.EXAMPLE", true),
            ("*.example.com", "panel.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.panel.example.com", false),
            ("*.com", "example.com", false),
            ("p*.example.com", "panel.example.com", false),
            ("panel.example", "other.example", false),
            ("", "", false),
        ];
        for (pattern, host, want) in cases {
            assert_eq!(dns_pattern_matches(pattern, host), want, "{pattern} vs {host}");
        }
    }

    #[test]
    fn open_basedir_admits_an_entry_and_what_lies_below_it_only() {
        let root = std::env::temp_dir().join(format!("wu-native-basedir-{}", std::process::id()));
        for dir in ["ab", "abc"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            std::fs::write(root.join(dir).join("ca.pem"), "x").unwrap();
        }
        let root = std::fs::canonicalize(&root).unwrap();
        let r = root.to_string_lossy();
        let cases = [
            (format!("{r}/ab"), "ab/ca.pem", true),
            (format!("{r}/ab/"), "ab/ca.pem", true),
            (format!("{r}/ab"), "abc/ca.pem", false),
            (format!("{r}/a"), "ab/ca.pem", false),
            (format!("/nonexistent:{r}/abc"), "abc/ca.pem", true),
            (format!("{r}/ab/ca.pem"), "ab/ca.pem", true),
            (format!("{r}/ab/ca.pem/"), "ab/ca.pem", false),
            ("/".to_string(), "ab/ca.pem", true),
        ];
        for (basedir, file, want) in cases {
            assert_eq!(within_open_basedir(&root.join(file), &basedir), want, "{basedir} / {file}");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn pem_blocks_are_read_as_the_strict_reader_reads_them() {
        let bundle = std::fs::read("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default();
        let strict: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bundle).filter_map(Result::ok).collect();
        assert_eq!(pem_certificates(&bundle), strict);
        let odd = b"junk\n-----BEGIN CERTIFICATE-----\nAAEC\r\nAw==\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAEC";
        assert_eq!(pem_certificates(odd), vec![CertificateDer::from(vec![0u8, 1, 2, 3])], "a bad block and an unfinished one are skipped");
    }

    #[test]
    fn a_missing_path_is_made_absolute_without_touching_the_disk() {
        assert_eq!(lexically_absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(lexically_absolute(Path::new("/../x")), PathBuf::from("/x"));
    }
}
