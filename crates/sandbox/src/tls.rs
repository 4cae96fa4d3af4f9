//! HTTPS for the sandbox: throwaway certificates for tests and the demo, and
//! the rustls server set-up. Only the ring provider is used, so building needs
//! no C toolchain beyond what ring itself brings.

use crate::http::Transport;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::net::TcpStream;
use std::sync::Arc;

/// PEM texts for a test HTTPS set-up: trust `ca_pem`, serve `cert_pem` with
/// `key_pem`.
#[derive(Clone, Debug)]
pub struct TestPki {
    /// What a client should trust. For [`generate_self_signed`] this is the
    /// leaf itself.
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

fn named(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "wu-sandbox");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn leaf_params(names: &[&str]) -> CertificateParams {
    // IP literals become IP SANs, the rest DNS names (rcgen decides by parsing).
    let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("wu-sandbox: invalid certificate name in {names:?}: {e}"));
    params.distinguished_name = named(names.first().copied().unwrap_or("wu-sandbox"));
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params
}

fn new_key() -> KeyPair {
    KeyPair::generate().unwrap_or_else(|e| panic!("wu-sandbox: cannot generate a key: {e}"))
}

/// A fresh CA and a leaf for `names` (e.g. "127.0.0.1", "localhost") signed
/// by it. Panics only if the crypto library fails, which a test cannot handle.
pub fn generate(names: &[&str]) -> TestPki {
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = named("wu-sandbox test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_key = new_key();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap_or_else(|e| panic!("wu-sandbox: cannot sign the CA: {e}"));
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = new_key();
    let leaf = leaf_params(names)
        .signed_by(&leaf_key, &issuer)
        .unwrap_or_else(|e| panic!("wu-sandbox: cannot sign the leaf: {e}"));
    TestPki { ca_pem: ca_cert.pem(), cert_pem: leaf.pem(), key_pem: leaf_key.serialize_pem() }
}

/// A leaf for `names` that is its own issuer: no CA vouches for it, so a
/// client trusting some CA must refuse it.
pub fn generate_self_signed(names: &[&str]) -> TestPki {
    let key = new_key();
    let cert = leaf_params(names).self_signed(&key).unwrap_or_else(|e| panic!("wu-sandbox: cannot sign the leaf: {e}"));
    let pem = cert.pem();
    TestPki { ca_pem: pem.clone(), cert_pem: pem, key_pem: key.serialize_pem() }
}

/// The rustls server set-up for a PEM certificate chain (leaf first) and key.
pub(crate) fn server_config(cert_chain_pem: &str, key_pem: &str) -> Result<Arc<ServerConfig>, String> {
    let certs = CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("invalid TLS certificate PEM: {e}"))?;
    if certs.is_empty() {
        return Err("invalid TLS certificate PEM: no certificate found".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| format!("invalid TLS key PEM: {e}"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .with_no_client_auth();
    let mut config = match builder.clone().with_single_cert(certs.clone(), key.clone_key()) {
        Ok(config) => config,
        // rustls checks that the key fits by parsing the certificate, which it
        // cannot do for X.509 v1; such a certificate (which curl accepts from
        // a CA file) is served without that check, for the tests that need it.
        Err(e) if e.to_string().contains("UnsupportedCertVersion") => {
            let signing_key = provider.key_provider.load_private_key(key).map_err(|e| format!("invalid TLS key: {e}"))?;
            builder.with_cert_resolver(Arc::new(FixedCertificate(Arc::new(rustls::sign::CertifiedKey::new(certs, signing_key)))))
        }
        Err(e) => return Err(format!("TLS certificate and key do not fit together: {e}")),
    };
    // Only HTTP/1.1 is spoken; saying so stops clients from trying h2.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// One certificate for every client.
#[derive(Debug)]
struct FixedCertificate(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for FixedCertificate {
    fn resolve(&self, _: rustls::server::ClientHello<'_>) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }
}

impl Transport for StreamOwned<ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }

    fn finish(&mut self) {
        self.conn.send_close_notify();
        // Best effort: a client that is gone cannot be told.
        while self.conn.wants_write() {
            match self.conn.write_tls(&mut self.sock) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
}
