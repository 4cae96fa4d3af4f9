//! `wu-sandbox`: the sandbox panel as a process, for PHP tests and the demo.

use std::path::PathBuf;
use std::process::ExitCode;
use wu_sandbox::{LogTarget, Options, Sandbox};

const USAGE: &str = "usage: wu-sandbox [--listen 127.0.0.1:0] [--port-file PATH] [--seed FILE] [--log FILE]";

struct Args {
    listen: String,
    port_file: Option<PathBuf>,
    seed: Option<PathBuf>,
    log: Option<PathBuf>,
}

fn parse_args(argv: Vec<String>) -> Result<Args, String> {
    let mut args = Args { listen: "127.0.0.1:0".into(), port_file: None, seed: None, log: None };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => args.listen = value()?,
            "--port-file" => args.port_file = Some(PathBuf::from(value()?)),
            "--seed" => args.seed = Some(PathBuf::from(value()?)),
            "--log" => args.log = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1).collect()) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("wu-sandbox: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let seed = match &args.seed {
        None => None,
        Some(p) => match std::fs::read_to_string(p).map_err(|e| e.to_string()).and_then(|t| {
            serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string())
        }) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("wu-sandbox: cannot read seed {}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
    };
    let log = match &args.log {
        Some(p) => LogTarget::File(p.clone()),
        None => LogTarget::Stderr,
    };
    let sandbox = match Sandbox::try_start(Options { listen: args.listen.clone(), seed, log, ..Options::default() }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wu-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let handle = sandbox.shutdown_handle();
    if let Err(e) = ctrlc::set_handler(move || handle.request()) {
        eprintln!("wu-sandbox: cannot install signal handler: {e}");
    }
    if let Some(p) = &args.port_file {
        // Write then rename so a watcher never reads a half-written port.
        let tmp = p.with_extension("tmp");
        let written = std::fs::write(&tmp, format!("{}\n", sandbox.port())).and_then(|_| std::fs::rename(&tmp, p));
        if let Err(e) = written {
            eprintln!("wu-sandbox: cannot write port file {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    println!("wu-sandbox listening on {}", sandbox.url());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    sandbox.wait_for_shutdown();
    sandbox.stop();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn flags_are_read_in_both_spellings() {
        let a = parse_args(argv("--listen 127.0.0.1:9 --port-file=/tmp/p --seed s.json --log=l.txt")).unwrap();
        assert_eq!(a.listen, "127.0.0.1:9");
        assert_eq!(a.port_file, Some(PathBuf::from("/tmp/p")));
        assert_eq!(a.seed, Some(PathBuf::from("s.json")));
        assert_eq!(a.log, Some(PathBuf::from("l.txt")));
    }

    #[test]
    fn an_unknown_flag_or_a_missing_value_is_an_error() {
        assert!(parse_args(argv("--bogus")).is_err());
        assert!(parse_args(argv("--listen")).is_err());
    }
}
