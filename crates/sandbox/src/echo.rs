//! The `echo` fault: an error answer that repeats the request it answers,
//! in one of the encodings panels, proxies and error pages use, as some
//! do with the credentials in it.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::http::HttpRequest;

/// How the repeated request is written into the answer.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum EchoEncoding {
    /// As received (a form body stays percent-encoded, as it was sent).
    #[default]
    Raw,
    /// application/x-www-form-urlencoded: `+` for a space, upper-case hex.
    Form,
    /// RFC 3986: all but unreserved characters escaped, `%20` for a space.
    Percent,
    /// Every non-alphanumeric byte escaped, lower-case hex.
    PercentLower,
    /// Form-encoded twice.
    FormTwice,
    /// A JSON string's content, with `\/` for `/`.
    Json,
    /// Every non-alphanumeric character as `\uXXXX`.
    JsonUnicode,
    /// HTML text: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`.
    Html,
    /// Every non-alphanumeric character as `&#NN;`.
    HtmlDecimal,
    /// Every non-alphanumeric character as `&#xHH;`.
    HtmlHex,
    /// Standard alphabet, padded.
    Base64,
    /// URL-safe alphabet, unpadded.
    Base64Url,
}

impl EchoEncoding {
    pub const ALL: [EchoEncoding; 12] = [
        EchoEncoding::Raw,
        EchoEncoding::Form,
        EchoEncoding::Percent,
        EchoEncoding::PercentLower,
        EchoEncoding::FormTwice,
        EchoEncoding::Json,
        EchoEncoding::JsonUnicode,
        EchoEncoding::Html,
        EchoEncoding::HtmlDecimal,
        EchoEncoding::HtmlHex,
        EchoEncoding::Base64,
        EchoEncoding::Base64Url,
    ];

    pub fn encode(self, text: &str) -> String {
        let every = |escape: &dyn Fn(char) -> String| -> String {
            text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { escape(c) }).collect()
        };
        match self {
            EchoEncoding::Raw => text.to_string(),
            EchoEncoding::Form => form(text),
            EchoEncoding::Percent => percent(text, |b| b.is_ascii_alphanumeric() || b"-._~".contains(&b), false),
            EchoEncoding::PercentLower => percent(text, |b| b.is_ascii_alphanumeric(), true),
            EchoEncoding::FormTwice => form(&form(text)),
            EchoEncoding::Json => {
                let quoted = serde_json::to_string(text).unwrap_or_default();
                quoted[1..quoted.len() - 1].replace('/', "\\/")
            }
            EchoEncoding::JsonUnicode => text
                .encode_utf16()
                .map(|u| match char::from_u32(u32::from(u)) {
                    Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
                    _ => format!("\\u{u:04x}"),
                })
                .collect(),
            EchoEncoding::Html => text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect(),
            EchoEncoding::HtmlDecimal => every(&|c| format!("&#{};", c as u32)),
            EchoEncoding::HtmlHex => every(&|c| format!("&#x{:X};", c as u32)),
            EchoEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(text),
            EchoEncoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text),
        }
    }
}

fn form(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn percent(text: &str, keep: impl Fn(u8) -> bool, lower: bool) -> String {
    text.bytes()
        .map(|b| match b {
            b if keep(b) => (b as char).to_string(),
            b if lower => format!("%{b:02x}"),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The request as a panel refusing it, or a proxy's error page, might repeat
/// it: the credentials first (the Authorization header, any other header an
/// emulator knows to carry a credential, such as Plesk's X-API-Key, then a
/// form's credential fields as they were sent), so that they show in the
/// start of the answer an error message quotes; then the body, the request
/// line and the other headers.
pub fn request_text(req: &HttpRequest) -> String {
    let mut parts = Vec::new();
    if let Some(auth) = req.header("authorization") {
        parts.push(format!("authorization: {auth}"));
    }
    let secrets: Vec<String> = crate::emulator::EMULATORS.iter().flat_map(|e| e.secrets(req, None)).collect();
    let is_credential = |name: &str, value: &str| name != "authorization" && secrets.iter().any(|s| s == value);
    for (name, value) in &req.headers {
        if is_credential(name, value) {
            parts.push(format!("{name}: {value}"));
        }
    }
    let body = String::from_utf8_lossy(&req.body);
    for pair in body.split('&') {
        if crate::is_secret_field(pair.split('=').next().unwrap_or("")) {
            parts.push(pair.to_string());
        }
    }
    if !req.body.is_empty() {
        parts.push(String::from_utf8_lossy(&req.body).into_owned());
    }
    let query = if req.query.is_empty() { String::new() } else { format!("?{}", req.query) };
    parts.push(format!("{} {}{query}", req.method, req.path));
    for (name, value) in &req.headers {
        if name != "authorization" && !is_credential(name, value) {
            parts.push(format!("{name}: {value}"));
        }
    }
    parts.join("\n")
}

/// The answer's body: `template` with `{request}` replaced by the encoded
/// request, and `{request_json}` by the same as a JSON string's content (for
/// a template that is JSON).
pub fn body(template: Option<&str>, encoding: EchoEncoding, req: &HttpRequest) -> String {
    let echoed = encoding.encode(&request_text(req));
    let quoted = serde_json::to_string(&echoed).unwrap_or_default();
    template
        .unwrap_or("{request}")
        .replace("{request_json}", &quoted[1..quoted.len() - 1])
        .replace("{request}", &echoed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_writes_the_request_as_its_encoders_do() {
        let text = "a b/+&'\"<é";
        let cases = [
            (EchoEncoding::Raw, "a b/+&'\"<é"),
            (EchoEncoding::Form, "a+b%2F%2B%26%27%22%3C%C3%A9"),
            (EchoEncoding::Percent, "a%20b%2F%2B%26%27%22%3C%C3%A9"),
            (EchoEncoding::PercentLower, "a%20b%2f%2b%26%27%22%3c%c3%a9"),
            (EchoEncoding::FormTwice, "a%2Bb%252F%252B%2526%2527%2522%253C%25C3%25A9"),
            (EchoEncoding::Json, "a b\\/+&'\\\"<é"),
            (EchoEncoding::JsonUnicode, "a\\u0020b\\u002f\\u002b\\u0026\\u0027\\u0022\\u003c\\u00e9"),
            (EchoEncoding::Html, "a b/+&amp;&#39;&quot;&lt;é"),
            (EchoEncoding::HtmlDecimal, "a&#32;b&#47;&#43;&#38;&#39;&#34;&#60;&#233;"),
            (EchoEncoding::HtmlHex, "a&#x20;b&#x2F;&#x2B;&#x26;&#x27;&#x22;&#x3C;&#xE9;"),
            (EchoEncoding::Base64, "YSBiLysmJyI8w6k="),
            (EchoEncoding::Base64Url, "YSBiLysmJyI8w6k"),
        ];
        assert_eq!(cases.len(), EchoEncoding::ALL.len());
        for (encoding, expected) in cases {
            assert_eq!(encoding.encode(text), expected, "{encoding:?}");
        }
    }

    #[test]
    fn the_echo_puts_the_credential_header_first_and_fills_the_template() {
        let req = HttpRequest {
            method: "POST".into(),
            path: "/v1/apps".into(),
            query: "x=1".into(),
            headers: [("authorization".to_string(), "Bearer t/k".to_string()), ("host".to_string(), "h".to_string())].into(),
            body: b"{\"a\":1}".to_vec(),
            connection: 1,
        };
        assert_eq!(request_text(&req), "authorization: Bearer t/k\n{\"a\":1}\nPOST /v1/apps?x=1\nhost: h");
        assert_eq!(
            body(Some("{\"error\":{\"message\":\"{request_json}\"}}"), EchoEncoding::Raw, &req),
            "{\"error\":{\"message\":\"authorization: Bearer t/k\\n{\\\"a\\\":1}\\nPOST /v1/apps?x=1\\nhost: h\"}}"
        );
        assert_eq!(body(None, EchoEncoding::Form, &req).lines().count(), 1);
        let form = HttpRequest { headers: Default::default(), body: b"cmd=v-x&user=admin&password=a%2Fb".to_vec(), ..req };
        assert!(request_text(&form).starts_with("password=a%2Fb\ncmd=v-x&user=admin&password=a%2Fb\nPOST"), "{}", request_text(&form));
    }
}
