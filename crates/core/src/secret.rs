//! Secrets (passwords, hashes, tokens, keys) in a type that cannot be printed,
//! and the `Redactor` that takes them out of every text a panel wrote, in
//! whatever form the text carries them.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The only way to the value: used where a request is built, nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Replaces every known secret, and every longer piece of one, in a text.
/// A last line of defence for texts a panel (or a proxy before it) wrote:
/// Hestia echoes an access key id in "key … doesn't exist", and an error page
/// may repeat the whole request, percent-, JSON- or HTML-escaped.
///
/// Percent-, JSON- and HTML-escaping each replace single characters by an
/// escape sequence, and every encoder picks its own set of characters to
/// escape and its own spelling of them (`%2f` or `%2F`, `+` or `%20`, `&#39;`,
/// `&#x27;` or `&apos;`, `\/` or `/`). Listing those forms per secret grows
/// with every combination and still misses the next encoder; decoding the
/// text reduces all of them to the same bytes. So the text is decoded in
/// rounds, each undoing one level of any mix of the three escapes, every
/// round is searched for the secrets (and for the secrets decoded the same
/// way, for a secret that itself looks escaped), and every match is mapped
/// back to the span of the original text it came from and replaced there.
/// Base64 is not a per-character escape, so its forms are generated instead:
/// the secret at each of the three alignments in a longer base64 text, in
/// both alphabets. `+` and space count as one character throughout, since
/// form encoding writes a space as `+`: that can only redact more.
///
/// Each round and the search are linear in the text; the search runs all
/// needles at once (Aho-Corasick), so a panel answer of `MAX_BODY_BYTES`
/// costs a few passes over it, not one per needle.
#[derive(Default, Clone)]
pub struct Redactor {
    /// What was added, in order: the values whose forms `set` holds. Adding
    /// one again (every layer of a call adds the settings' secrets) costs a
    /// comparison.
    added: Vec<(Source, Box<str>)>,
    /// Their forms and automaton, shared by every redactor the process made
    /// with the same additions (see `NeedleSet::of`): cloning a redactor, or
    /// making a fresh one per answer, copies no needle.
    set: Option<Arc<NeedleSet>>,
}

/// Every form to look for, folded (`fold`), each at least `MIN_PIECE` long,
/// and their automaton, built on first use.
struct NeedleSet {
    needles: Vec<Vec<u8>>,
    finder: OnceLock<Option<AhoCorasick>>,
}

/// How a value was added: its forms differ.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Text,
    BasicCredential,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} needles)", self.set.as_ref().map_or(0, |s| s.needles.len()))
    }
}

/// What takes the place of a secret.
const MASK: &str = "***";

/// Both alphabets, padded and not.
const BASE64: [&base64::engine::GeneralPurpose; 4] = [
    &base64::engine::general_purpose::STANDARD,
    &base64::engine::general_purpose::STANDARD_NO_PAD,
    &base64::engine::general_purpose::URL_SAFE,
    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
];

/// Pieces shorter than this are too common to redact without mangling
/// messages; a whole secret that short is not redacted either.
const MIN_PIECE: usize = 6;
/// Levels of escaping undone: a secret escaped where it was sent, then the
/// whole request escaped again by whoever repeats it, up to twice more.
const ROUNDS: usize = 4;

impl Redactor {
    pub fn add(&mut self, secret: &Secret) {
        self.add_text(secret.expose());
    }

    /// A secret in another form than a configured value.
    pub fn add_text(&mut self, value: &str) {
        self.add_value(Source::Text, value);
    }

    /// HTTP Basic credentials as a request sent them: the secret, and the
    /// base64 of `user:secret` (whose secret part the aligned forms of the
    /// secret cover too, all but its first and last characters).
    pub fn add_basic_credential(&mut self, user: &str, secret: &Secret) {
        self.add(secret);
        self.add_value(Source::BasicCredential, &format!("{user}:{}", secret.expose()));
    }

    fn add_value(&mut self, source: Source, value: &str) {
        if self.added.iter().any(|(s, v)| *s == source && &**v == value) {
            return;
        }
        self.added.push((source, value.into()));
        self.set = Some(NeedleSet::of(&self.added, self.set.as_deref()));
    }

    pub fn redact(&self, text: &str) -> String {
        let Some(set) = self.set.as_deref().filter(|s| !s.needles.is_empty()) else {
            return text.to_string();
        };
        if text.len() < MIN_PIECE {
            return text.to_string();
        }
        let finder = set.finder.get_or_init(|| {
            #[cfg(test)]
            if set.needles.iter().any(|n| n.starts_with(tests::COUNTED)) {
                tests::AUTOMATA_BUILT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // The needles' rarest bytes are common in panel answers (letters,
                // digits): a prefilter would stop at most bytes and cost more
                // than the automaton's own pass.
                .prefilter(false)
                .build(&set.needles)
                .ok()
        });
        let Some(finder) = finder else {
            // Only when the needles do not fit in memory: say nothing rather than risk a secret.
            return "(text withheld: it could not be checked for secrets)".to_string();
        };
        let mut spans = Spans::default();
        let mut layer: Cow<[u8]> = folded(text.as_bytes());
        // Token lists of the rounds so far: the last maps the current layer to the one before.
        let mut rounds: Vec<Vec<Token>> = Vec::new();
        // Positions are kept as u32; a longer text (never a panel answer) is searched as it is.
        let max_rounds = if text.len() < u32::MAX as usize { ROUNDS } else { 0 };
        loop {
            let mut found = Spans::default();
            // Most texts hold no secret: a plain search says so sooner than
            // the overlapping one that finds every match.
            let matches = if finder.is_match(layer.as_ref()) { Some(finder.find_overlapping_iter(layer.as_ref())) } else { None };
            for m in matches.into_iter().flatten() {
                let (mut start, mut end) = (m.start(), m.end());
                for tokens in rounds.iter().rev() {
                    (start, end) = map_back(tokens, start, end);
                }
                found.add(start, end);
            }
            spans.extend(found);
            if rounds.len() == max_rounds || memchr::memchr3(b'%', b'\\', b'&', &layer).is_none() {
                break;
            }
            let decoded = decode(&layer);
            if decoded.tokens.is_empty() {
                break;
            }
            rounds.push(decoded.tokens);
            layer = Cow::Owned(decoded.bytes);
        }
        spans.apply(text)
    }
}

impl NeedleSet {
    /// The set for `added`, the values added so far in order (`before` holds
    /// the forms of all but the last). Working out a value's forms (base64
    /// at every alignment, escapes) and building an automaton cost far more
    /// than a request (about 150 forms for three secrets), and every call
    /// of a process adds the same few secrets in the same order, so each
    /// sequence's set is made once per process. The cache holds what the
    /// process already holds (its settings' secrets) and stays small: a
    /// process talks to few panels.
    fn of(added: &[(Source, Box<str>)], before: Option<&NeedleSet>) -> Arc<NeedleSet> {
        static SETS: crate::memo::Memo<Vec<(Source, Box<str>)>, Arc<NeedleSet>> = crate::memo::Memo::new(64);

        if let Some(set) = SETS.get(added) {
            return set;
        }
        let mut forms = Forms(before.map(|b| b.needles.clone()).unwrap_or_default());
        if let Some((source, value)) = added.last() {
            match source {
                Source::Text => forms.add_text_forms(value),
                Source::BasicCredential => forms.add_basic_credential_forms(value),
            }
        }
        let set = Arc::new(NeedleSet { needles: forms.0, finder: OnceLock::new() });
        SETS.insert(added.to_vec(), Arc::clone(&set));
        set
    }
}

/// The needles of a set while it is made.
struct Forms(Vec<Vec<u8>>);

impl Forms {
    fn add_text_forms(&mut self, value: &str) {
        let pieces = std::iter::once(value).chain(value.split([':', '@', ' ']));
        for piece in pieces {
            if piece.len() >= MIN_PIECE {
                self.add_forms(piece.as_bytes());
            }
        }
    }

    fn add_basic_credential_forms(&mut self, credential: &str) {
        for engine in BASE64 {
            self.push(engine.encode(credential).into_bytes());
        }
        let credential = BASE64[0].encode(credential);
        // The header itself base64-encoded, as a request repeated whole would be.
        for encoded in base64_forms(credential.as_bytes()) {
            self.push(encoded);
        }
    }

    fn add_forms(&mut self, piece: &[u8]) {
        let mut form = piece.to_vec();
        self.push(form.clone());
        for _ in 0..ROUNDS {
            let decoded = decode(&form);
            if decoded.tokens.is_empty() {
                break;
            }
            form = decoded.bytes;
            self.push(form.clone());
        }
        // Base64 has no escape to undo: whoever base64-encodes a request
        // encodes the secret as it was sent, so the forms are generated from
        // each form a request carries it in (a header, a form, JSON).
        let sent = [piece.to_vec(), form_urlencoded::byte_serialize(piece).collect::<String>().into_bytes(), json_escaped(piece)];
        for form in sent {
            for encoded in base64_forms(&form) {
                self.push(encoded);
            }
        }
    }

    fn push(&mut self, mut needle: Vec<u8>) {
        fold(&mut needle);
        if needle.len() >= MIN_PIECE && !self.0.contains(&needle) {
            self.0.push(needle);
        }
    }
}

/// `+` and space as one character, as form encoding treats them.
fn fold(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b == b'+') {
        *b = b' ';
    }
}

fn folded(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.contains(&b'+') {
        let mut owned = bytes.to_vec();
        fold(&mut owned);
        Cow::Owned(owned)
    } else {
        Cow::Borrowed(bytes)
    }
}

/// A JSON string's content, as serde_json writes it.
fn json_escaped(piece: &[u8]) -> Vec<u8> {
    let quoted = serde_json::to_string(&String::from_utf8_lossy(piece)).unwrap_or_default();
    quoted.as_bytes()[1..quoted.len().max(2) - 1].to_vec()
}

/// The secret encoded alone, and as it shows inside a longer base64 text
/// that has it at any of the three byte alignments: there only the
/// characters made of its bits alone are certain.
fn base64_forms(piece: &[u8]) -> Vec<Vec<u8>> {
    let mut forms: Vec<Vec<u8>> = BASE64.iter().map(|engine| engine.encode(piece).into_bytes()).collect();
    for engine in [BASE64[1], BASE64[3]] {
        for offset in 0..3 {
            let mut shifted = vec![0u8; offset];
            shifted.extend_from_slice(piece);
            let encoded = engine.encode(&shifted).into_bytes();
            let (first, last) = ((8 * offset).div_ceil(6), 8 * (offset + piece.len()) / 6);
            forms.push(encoded[first..last].to_vec());
        }
    }
    forms
}

/// Byte ranges of the original text to mask, merged as they come.
#[derive(Default)]
struct Spans(Vec<(usize, usize)>);

impl Spans {
    /// Adds a range; within one layer, ranges come by ascending end.
    fn add(&mut self, mut start: usize, mut end: usize) {
        while let Some(&(s, e)) = self.0.last() {
            if start > e {
                break;
            }
            start = start.min(s);
            end = end.max(e);
            self.0.pop();
        }
        self.0.push((start, end));
    }

    fn extend(&mut self, other: Spans) {
        if self.0.is_empty() {
            self.0 = other.0;
            return;
        }
        let mut all = std::mem::take(&mut self.0);
        all.extend(other.0);
        all.sort_unstable();
        for (s, e) in all {
            self.add(s, e);
        }
    }

    /// The text with every range (widened to whole characters) masked.
    fn apply(self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in self.0 {
            let mut start = start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = end.min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if end <= at {
                continue;
            }
            if start >= at {
                out.push_str(&text[at..start]);
                out.push_str(MASK);
            }
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// One escape sequence a round decoded: where it was, where its bytes went.
/// Bytes outside tokens were copied one to one.
#[derive(Clone, Copy, Debug)]
struct Token {
    out_start: u32,
    in_start: u32,
    out_len: u8,
    in_len: u8,
}

struct Decoded {
    bytes: Vec<u8>,
    tokens: Vec<Token>,
}

/// One round: every percent, JSON (and C-style `\xHH`) and HTML escape
/// replaced by the bytes it stands for, folded.
fn decode(input: &[u8]) -> Decoded {
    let mut bytes = Vec::with_capacity(input.len());
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let Some(next) = input[i..].iter().position(|b| matches!(b, b'%' | b'\\' | b'&')) else {
            bytes.extend_from_slice(&input[i..]);
            break;
        };
        bytes.extend_from_slice(&input[i..i + next]);
        i += next;
        match unescape(&input[i..]) {
            Some((in_len, ch)) => {
                let mut buf = [0u8; 4];
                let out = ch.bytes(&mut buf);
                tokens.push(Token { out_start: bytes.len() as u32, in_start: i as u32, out_len: out.len() as u8, in_len: in_len as u8 });
                bytes.extend_from_slice(out);
                i += in_len;
            }
            None => {
                bytes.push(input[i]);
                i += 1;
            }
        }
    }
    fold(&mut bytes);
    Decoded { bytes, tokens }
}

/// Where a range of a decoded layer came from in the layer before it.
fn map_back(tokens: &[Token], start: usize, end: usize) -> (usize, usize) {
    (position(tokens, start, false), position(tokens, end - 1, true))
}

/// The input position of output byte `at`: the start of the token it is
/// part of (or its end, for the end of a range), or the same offset from
/// the last token before it.
fn position(tokens: &[Token], at: usize, end: bool) -> usize {
    let after = tokens.partition_point(|t| t.out_start as usize <= at);
    let Some(t) = after.checked_sub(1).map(|i| tokens[i]) else {
        return at + usize::from(end);
    };
    let (out_start, in_start) = (t.out_start as usize, t.in_start as usize);
    let (out_end, in_end) = (out_start + usize::from(t.out_len), in_start + usize::from(t.in_len));
    if at < out_end {
        if end { in_end } else { in_start }
    } else {
        at + (in_end - out_end) + usize::from(end)
    }
}

/// What one escape sequence stands for: one byte (percent, `\xHH`) or one character.
enum Unescaped {
    Byte(u8),
    Char(char),
}

impl Unescaped {
    fn bytes<'a>(&self, buf: &'a mut [u8; 4]) -> &'a [u8] {
        match self {
            Unescaped::Byte(b) => {
                buf[0] = *b;
                &buf[..1]
            }
            Unescaped::Char(c) => c.encode_utf8(buf).as_bytes(),
        }
    }
}

/// The escape sequence at the start of `s`, if it is one: its length and value.
fn unescape(s: &[u8]) -> Option<(usize, Unescaped)> {
    match s.first()? {
        b'%' => Some((3, Unescaped::Byte(hex(s.get(1..3)?)? as u8))),
        b'\\' => json_escape(s),
        b'&' => html_reference(s),
        _ => None,
    }
}

fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

fn json_escape(s: &[u8]) -> Option<(usize, Unescaped)> {
    let c = match s.get(1)? {
        b'u' => {
            let unit = hex(s.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&unit) && s.get(6..8) == Some(b"\\u") {
                let low = hex(s.get(8..12)?)?;
                if (0xDC00..0xE000).contains(&low) {
                    let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                    return Some((12, Unescaped::Char(c)));
                }
            }
            return char::from_u32(unit).map(|c| (6, Unescaped::Char(c)));
        }
        b'x' => return Some((4, Unescaped::Byte(hex(s.get(2..4)?)? as u8))),
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'\'' => '\'',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    };
    Some((2, Unescaped::Char(c)))
}

/// Named references for ASCII punctuation (HTML5), and the non-breaking space.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'), ("AMP", '&'), ("lt", '<'), ("LT", '<'), ("gt", '>'), ("GT", '>'), ("quot", '"'), ("QUOT", '"'),
    ("apos", '\''), ("nbsp", '\u{a0}'), ("excl", '!'), ("num", '#'), ("dollar", '$'), ("percnt", '%'),
    ("lpar", '('), ("rpar", ')'), ("ast", '*'), ("midast", '*'), ("plus", '+'), ("comma", ','), ("period", '.'),
    ("sol", '/'), ("colon", ':'), ("semi", ';'), ("equals", '='), ("quest", '?'), ("commat", '@'),
    ("lsqb", '['), ("lbrack", '['), ("rsqb", ']'), ("rbrack", ']'), ("bsol", '\\'), ("Hat", '^'),
    ("lowbar", '_'), ("grave", '`'), ("lcub", '{'), ("lbrace", '{'), ("rcub", '}'), ("rbrace", '}'),
    ("verbar", '|'), ("vert", '|'), ("Tab", '\t'), ("NewLine", '\n'),
];

/// Named references browsers also read without the `;`.
const BARE_ENTITIES: &[&str] = &["amp", "AMP", "lt", "LT", "gt", "GT", "quot", "QUOT"];

fn html_reference(s: &[u8]) -> Option<(usize, Unescaped)> {
    if s.get(1) == Some(&b'#') {
        let (digits_at, radix) = if matches!(s.get(2), Some(b'x' | b'X')) { (3, 16) } else { (2, 10) };
        let digits = s[digits_at..].iter().take(8).take_while(|b| if radix == 16 { b.is_ascii_hexdigit() } else { b.is_ascii_digit() }).count();
        if digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&s[digits_at..digits_at + digits]).ok()?;
        let c = char::from_u32(u32::from_str_radix(text, radix).ok()?).filter(|c| *c != '\0')?;
        let end = digits_at + digits;
        let len = if s.get(end) == Some(&b';') { end + 1 } else { end };
        return Some((len, Unescaped::Char(c)));
    }
    let name_len = s[1..].iter().take(8).take_while(|b| b.is_ascii_alphabetic()).count();
    let name = std::str::from_utf8(&s[1..1 + name_len]).ok()?;
    let named = |name: &str| ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| Unescaped::Char(*c));
    if s.get(1 + name_len) == Some(&b';') {
        if let Some(c) = named(name) {
            return Some((name_len + 2, c));
        }
    }
    let bare = BARE_ENTITIES.iter().find(|bare| s[1..].starts_with(bare.as_bytes()))?;
    Some((bare.len() + 1, named(bare)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

    /// Automata built for needle sets holding a needle that starts with `COUNTED`.
    pub(super) static AUTOMATA_BUILT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    pub(super) const COUNTED: &[u8] = b"only-this-test";

    #[test]
    fn redactors_of_the_same_secrets_build_their_automaton_once_per_process() {
        let redactor = || {
            let mut r = Redactor::default();
            r.add(&Secret::new("only-this-test-uses-this-secret-0001"));
            r
        };
        for _ in 0..10 {
            // A fresh redactor per request, as http.rs makes one per answer.
            assert_eq!(redactor().redact("x only-this-test-uses-this-secret-0001 y"), "x *** y");
        }
        assert_eq!(AUTOMATA_BUILT.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn a_secret_prints_as_stars_in_debug_and_display() {
        let s = Secret::new("hunter2-password");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
    }

    #[test]
    fn the_redactor_removes_whole_secrets_and_their_key_pieces() {
        let mut r = Redactor::default();
        r.add(&Secret::new("ACCESSKEY0123456789A:secretsecretsecretsecretsecretsecret0000"));
        let text = "Error: key ACCESSKEY0123456789A doesn't exist; full ACCESSKEY0123456789A:secretsecretsecretsecretsecretsecret0000";
        let out = r.redact(text);
        assert!(!out.contains("ACCESSKEY"), "{out}");
        assert!(!out.contains("secretsecret"), "{out}");
        assert_eq!(out, "Error: key *** doesn't exist; full ***");
    }

    /// RFC 3986's unreserved characters stay; everything else is escaped, a space as `%20`.
    const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

    fn form(s: &str) -> String {
        form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }

    fn url_with(edit: impl FnOnce(&mut url::Url)) -> url::Url {
        let mut url = url::Url::parse("https://panel.example/api").unwrap();
        edit(&mut url);
        url
    }

    fn json_unicode(s: &str, upper: bool) -> String {
        s.encode_utf16()
            .map(|u| match char::from_u32(u32::from(u)) {
                Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
                _ if upper => format!("\\u{u:04X}"),
                _ => format!("\\u{u:04x}"),
            })
            .collect()
    }

    /// PHP's htmlspecialchars with ENT_QUOTES, and the variants other escapers write.
    fn html(s: &str, quote: &str, slash: Option<&str>) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => quote.to_string(),
                '/' if slash.is_some() => slash.unwrap().to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    fn html_numeric(s: &str, hex: bool) -> String {
        s.chars()
            .map(|c| match c {
                c if c.is_ascii_alphanumeric() => c.to_string(),
                c if hex => format!("&#x{:X};", c as u32),
                c => format!("&#{};", c as u32),
            })
            .collect()
    }

    fn html_named(s: &str) -> String {
        s.chars()
            .map(|c| match ENTITIES.iter().find(|(n, e)| *e == c && n.chars().all(|l| l.is_ascii_lowercase())) {
                Some((name, _)) => format!("&{name};"),
                None => c.to_string(),
            })
            .collect()
    }

    fn json(s: &str) -> String {
        let quoted = serde_json::to_string(s).unwrap();
        quoted[1..quoted.len() - 1].to_string()
    }

    type Encode = Box<dyn Fn(&str) -> String>;

    /// Every form a secret can take on the wire or in an answer that repeats it, by name.
    fn encodings() -> Vec<(&'static str, Encode)> {
        vec![
            ("raw", Box::new(|s| s.to_string())),
            ("form_urlencoded (+ for space)", Box::new(form)),
            ("serde_urlencoded", Box::new(|s| serde_urlencoded::to_string([("p", s)]).unwrap()[2..].to_string())),
            ("RFC 3986 (%20 for space)", Box::new(|s| utf8_percent_encode(s, RFC3986).to_string())),
            ("every non-alphanumeric, upper-case hex", Box::new(|s| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string())),
            ("every non-alphanumeric, lower-case hex", Box::new(|s| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string().to_lowercase_hex())),
            ("url path segment", Box::new(|s| url_with(|u| { u.path_segments_mut().unwrap().push(s); }).path()["/api/".len()..].to_string())),
            ("url query", Box::new(|s| url_with(|u| u.set_query(Some(s))).query().unwrap().to_string())),
            ("url query pair", Box::new(|s| url_with(|u| { u.query_pairs_mut().append_pair("p", s); }).query().unwrap()[2..].to_string())),
            ("url password", Box::new(|s| url_with(|u| u.set_password(Some(s)).unwrap()).password().unwrap().to_string())),
            ("url fragment", Box::new(|s| url_with(|u| u.set_fragment(Some(s))).fragment().unwrap().to_string())),
            ("form_urlencoded twice", Box::new(|s| form(&form(s)))),
            ("RFC 3986 of form_urlencoded", Box::new(|s| utf8_percent_encode(&form(s), RFC3986).to_string())),
            ("JSON (serde_json)", Box::new(json)),
            ("JSON with \\/", Box::new(|s| json(s).replace('/', "\\/"))),
            ("JSON \\u for every non-alphanumeric", Box::new(|s| json_unicode(s, false))),
            ("JSON \\u, upper-case hex", Box::new(|s| json_unicode(s, true))),
            ("JSON of JSON", Box::new(|s| json(&json(s)))),
            ("HTML, &#39;", Box::new(|s| html(s, "&#39;", None))),
            ("HTML, &#x27; and &#x2F;", Box::new(|s| html(s, "&#x27;", Some("&#x2F;")))),
            ("HTML, &apos; and &#47;", Box::new(|s| html(s, "&apos;", Some("&#47;")))),
            ("HTML decimal references", Box::new(|s| html_numeric(s, false))),
            ("HTML hex references", Box::new(|s| html_numeric(s, true))),
            ("HTML5 named references", Box::new(html_named)),
            ("HTML of JSON", Box::new(|s| html(&json(s), "&#39;", None))),
            ("JSON of form_urlencoded in HTML", Box::new(|s| html(&json(&form(s)), "&#x27;", Some("&#x2F;")))),
            ("HTML of form_urlencoded, percent-encoded", Box::new(|s| form(&html(&form(s), "&#39;", None)))),
            ("base64", Box::new(|s| STANDARD.encode(s))),
            ("base64url, unpadded", Box::new(|s| URL_SAFE_NO_PAD.encode(s))),
            ("base64 after one byte", Box::new(|s| STANDARD.encode(format!("x{s}")))),
            ("base64 after two bytes", Box::new(|s| STANDARD.encode(format!("xy{s}")))),
            ("base64url after two bytes", Box::new(|s| URL_SAFE_NO_PAD.encode(format!("xy{s}")))),
            ("base64, percent-encoded", Box::new(|s| form(&STANDARD.encode(s)))),
            ("base64 in JSON", Box::new(|s| json(&STANDARD.encode(s)).replace('/', "\\/"))),
            ("base64 of form_urlencoded after one byte", Box::new(|s| STANDARD.encode(format!("p{}", form(s))))),
            ("base64url of JSON after two bytes", Box::new(|s| URL_SAFE_NO_PAD.encode(format!("\"a{}", json(s))))),
        ]
    }

    trait LowerHex {
        fn to_lowercase_hex(&self) -> String;
    }

    impl LowerHex for String {
        fn to_lowercase_hex(&self) -> String {
            let mut out = String::with_capacity(self.len());
            let mut rest = self.as_str();
            while let Some(at) = rest.find('%') {
                out.push_str(&rest[..at]);
                out.push('%');
                out.push_str(&rest[at + 1..at + 3].to_ascii_lowercase());
                rest = &rest[at + 3..];
            }
            out.push_str(rest);
            out
        }
    }

    const SECRETS: &[&str] = &[
        "pw-Qx7Lm2Vz9Rk4Wt3B",
        "Pa55/w0rd+&Qx \"7'<Lm>\\%2F=?#é😀~",
        "tok_Zr4+Hm7/Qc2=Wn9",
        "spk Vg3 Lt8&Fb1;Dy6|\u{1}",
    ];

    /// The text around a secret a panel repeats, and how many of its
    /// characters may stay: none, but for base64, whose last character
    /// mixes the secret's final bits with padding or what follows.
    fn check(r: &Redactor, secret: &str, encoding: &str, encoded: &str) {
        let (before, after) = ("Error: request <", "> refused; retry & see <a href=\"/x?a=1&amp;b=2\">help</a>");
        let out = r.redact(&format!("{before}{encoded}{after}"));
        let label = format!("{secret:?} as {encoding}: {encoded:?} became {out:?}");
        assert!(out.starts_with(before) && out.ends_with(after), "text around the secret stays: {label}");
        let middle = &out[before.len()..out.len() - after.len()];
        let (mask, left) = match middle.find(MASK) {
            Some(at) => (at, middle.len() - MASK.len()),
            None => panic!("nothing masked: {label}"),
        };
        // Padding is no part of the secret.
        let left = left - middle.matches("%3D").count() * 3 - middle.matches('=').count();
        let slack = if encoding.contains("after") { 4 } else { 0 };
        assert!(left <= slack, "{left} characters left (at most {slack}), mask at {mask}: {label}");
    }

    #[test]
    fn every_form_of_a_secret_on_the_wire_or_in_an_answer_is_masked() {
        for secret in SECRETS {
            let mut r = Redactor::default();
            r.add(&Secret::new(*secret));
            for (encoding, encode) in encodings() {
                check(&r, secret, encoding, &encode(secret));
            }
        }
    }

    #[test]
    fn basic_credentials_are_masked_in_base64_with_the_user_name() {
        let mut r = Redactor::default();
        r.add_basic_credential("cid_sandbox", &Secret::new("spk/Vg3+Lt8"));
        for engine in [&STANDARD, &URL_SAFE_NO_PAD] {
            let header = format!("Basic {}", engine.encode("cid_sandbox:spk/Vg3+Lt8"));
            assert_eq!(r.redact(&format!("you sent Authorization: {header}.")), "you sent Authorization: Basic ***.");
        }
        // The whole request base64-encoded: only characters that mix in the header's neighbours may stay.
        let repeated = STANDARD.encode(format!("Authorization: Basic {}\n", STANDARD.encode("cid_sandbox:spk/Vg3+Lt8")));
        let out = r.redact(&repeated);
        let (before, after) = out.split_once(MASK).unwrap_or_else(|| panic!("nothing masked in {out}"));
        // "Authorization: Basic " is 28 characters of base64; the header's own 32 bytes end at most 2 before the end.
        assert!(before == &repeated[..28] && after.len() <= 2, "{out}");
    }

    #[test]
    fn short_secrets_and_short_pieces_are_left_alone_so_messages_stay_readable() {
        let cases = [
            ("pw1", "pw1 failed: pw1", "pw1 failed: pw1"),
            ("admin:topsecret-value", "user admin: topsecret-value", "user admin: ***"),
            ("abc@longer-piece", "abc mailed longer-piece", "abc mailed ***"),
        ];
        for (secret, text, expected) in cases {
            let mut r = Redactor::default();
            r.add(&Secret::new(secret));
            assert_eq!(r.redact(text), expected, "{secret}");
        }
    }

    #[test]
    fn text_outside_a_secret_stays_as_the_panel_wrote_it() {
        let mut r = Redactor::default();
        r.add(&Secret::new("Pa55/w0rd+&x"));
        let cases = [
            ("a%2520b &amp; Pa55%252Fw0rd%252B%2526x &lt;é&gt; \\u00e9+", "a%2520b &amp; *** &lt;é&gt; \\u00e9+"),
            ("é Pa55/w0rd &x é", "é *** é"),
            ("Pa55/w0rd+&xPa55/w0rd+&x", "***"),
            ("%E9%ZZ&#xZZ; \\uD83D &bogus; Pa55&#x2f;w0rd%2b&amp;x", "%E9%ZZ&#xZZ; \\uD83D &bogus; ***"),
        ];
        for (text, expected) in cases {
            assert_eq!(r.redact(text), expected, "{text}");
        }
    }

    /// Random runs of escape fragments, multi-byte characters and pieces of
    /// the secret and its forms: no panic, valid text out, and neither the
    /// secret nor its form-encoded form survives anywhere.
    #[test]
    fn any_mix_of_escapes_and_secret_fragments_is_redacted_without_panicking() {
        let secret = "Pa55/w0rd+&Qx";
        let mut r = Redactor::default();
        r.add(&Secret::new(secret));
        let encoded = form(secret);
        let fragments = [
            "%", "%2", "%25", "2F", "\\", "\\u", "\\uD83D", "\\uDE00", "00", "&", "&#", "&#x", ";", "amp;", "é", "😀", "+", " ",
            "Pa55", "/w0rd", "+&Qx", secret, &encoded, "&#x2F;", "%2B", "\\/", "=", "YQ==",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for i in 0..(seed % 24) {
                text.push_str(fragments[((seed >> (i % 40)) as usize + i as usize * 7) % fragments.len()]);
            }
            let out = r.redact(&text);
            assert!(!out.contains(secret) && !out.contains(&encoded), "{text:?} became {out:?}");
        }
    }

    /// Large hostile answers: every byte an escape, nested escapes, long runs of near-matches.
    #[test]
    fn redacting_an_answer_of_the_largest_size_read_takes_linear_time() {
        let mut r = Redactor::default();
        for secret in SECRETS {
            r.add(&Secret::new(*secret));
        }
        let size = crate::http::MAX_BODY_BYTES as usize;
        let fills = ["%2525", "&amp;amp;", "\\u0026", "Pa55/w0rd+&Qx ", "pw-Qx7Lm2Vz9Rk4Wt3", "x"];
        for fill in fills {
            let text = fill.repeat(size / fill.len());
            let started = std::time::Instant::now();
            let out = r.redact(&text);
            let took = started.elapsed();
            assert!(!out.is_empty());
            eprintln!("redacting {fill:?} × {} ({} bytes): {took:?}", size / fill.len(), text.len());
            assert!(took < std::time::Duration::from_secs(4), "{fill:?} × {}: {took:?}", size / fill.len());
        }
    }
}
