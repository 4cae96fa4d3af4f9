//! The hostile host-name corpus shared with the PHP suite
//! (tests/data/bad-hostnames.jsonl): every entry is refused by the core, so
//! the two suites cannot drift apart.

use std::path::PathBuf;

use serde_json::Value;
use wu_native_core::HostName;

fn data(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data").join(file)
}

/// One corpus line: `input` repeated `repeat` times (default 1), then `then`.
fn expand(line: &Value) -> String {
    let input = line["input"].as_str().expect("every entry has an input");
    let repeat = line["repeat"].as_u64().unwrap_or(1) as usize;
    input.repeat(repeat) + line["then"].as_str().unwrap_or("")
}

fn corpus(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| {
            let line: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{file} line {}: {e}", n + 1));
            let why = line["why"].as_str().unwrap_or_else(|| panic!("{file} line {}: no why", n + 1)).to_string();
            (expand(&line), why)
        })
        .collect()
}

#[test]
fn every_hostile_name_in_the_shared_corpus_is_refused() {
    let entries = corpus("bad-hostnames.jsonl");
    assert!(entries.len() >= 150, "the corpus shrank to {}", entries.len());
    let accepted: Vec<String> = entries
        .iter()
        .filter_map(|(input, why)| {
            HostName::parse(input).ok().map(|h| format!("{why}: {:?} became {h}", wu_native_core::domain::printable(input)))
        })
        .collect();
    assert!(accepted.is_empty(), "accepted:\n{}", accepted.join("\n"));
}

#[test]
fn every_refusal_message_is_short_and_printable() {
    for (input, why) in corpus("bad-hostnames.jsonl") {
        let message = HostName::parse(&input).map(|_| String::new()).unwrap_or_else(|e| e.to_string());
        assert!(message.chars().count() < 300, "{why}: message of {} characters", message.chars().count());
        assert!(!message.chars().any(char::is_control), "{why}: control character in {message:?}");
    }
}

#[test]
fn every_good_name_in_the_shared_corpus_is_accepted_as_normalised() {
    for (input, normalised) in corpus_pairs("good-hostnames.jsonl") {
        match HostName::parse(&input) {
            Ok(h) => assert_eq!(h.as_str(), normalised, "{input:?}"),
            Err(e) => panic!("{input:?} was refused: {e}"),
        }
    }
}

fn corpus_pairs(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let line: Value = serde_json::from_str(l).unwrap();
            (expand(&line), line["normalised"].as_str().expect("normalised").to_string())
        })
        .collect()
}
