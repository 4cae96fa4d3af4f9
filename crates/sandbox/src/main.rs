//! `wu-sandbox`: the sandbox panel as a process, for PHP tests and the demo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wu_sandbox::{LogTarget, Options, Sandbox};

const USAGE: &str = "usage: wu-sandbox [--listen 127.0.0.1:0] [--port-file PATH] [--seed FILE] [--log FILE]
                  [--tls [--ca-out FILE] | --tls-cert FILE --tls-key FILE] [--latency-ms N] [--reload-ms N]
  --latency-ms  charge N ms to every panel request (a round trip to a distant panel)
  --reload-ms   charge N ms to each web-server reload a request causes
                (both can be changed later: PATCH /__sandbox/model)
  --tls         serve HTTPS with a fresh test CA and a certificate for 127.0.0.1/localhost
  --ca-out      write that CA (PEM) here, before the port file
  --tls-cert/--tls-key  serve HTTPS with these PEM files instead";

#[derive(Default)]
struct Args {
    listen: String,
    port_file: Option<PathBuf>,
    seed: Option<PathBuf>,
    log: Option<PathBuf>,
    tls: bool,
    ca_out: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    model: wu_sandbox::NetworkModel,
}

fn parse_args(argv: Vec<String>) -> Result<Args, String> {
    let mut args = Args { listen: "127.0.0.1:0".into(), ..Args::default() };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        if flag == "--tls" && inline.is_none() {
            args.tls = true;
            continue;
        }
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => args.listen = value()?,
            "--port-file" => args.port_file = Some(PathBuf::from(value()?)),
            "--seed" => args.seed = Some(PathBuf::from(value()?)),
            "--log" => args.log = Some(PathBuf::from(value()?)),
            "--ca-out" => args.ca_out = Some(PathBuf::from(value()?)),
            "--tls-cert" => args.tls_cert = Some(PathBuf::from(value()?)),
            "--tls-key" => args.tls_key = Some(PathBuf::from(value()?)),
            "--latency-ms" => args.model.latency_ms = milliseconds(&flag, &value()?)?,
            "--reload-ms" => args.model.reload_ms = milliseconds(&flag, &value()?)?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.tls_cert.is_some() != args.tls_key.is_some() {
        return Err("--tls-cert and --tls-key go together".into());
    }
    if args.tls_cert.is_some() && (args.tls || args.ca_out.is_some()) {
        return Err("--tls-cert/--tls-key replace --tls and --ca-out (there is no generated CA to write)".into());
    }
    if args.ca_out.is_some() && !args.tls {
        return Err("--ca-out needs --tls".into());
    }
    Ok(args)
}

fn milliseconds(flag: &str, text: &str) -> Result<u64, String> {
    text.trim().parse::<u64>().ok().filter(|ms| *ms <= 600_000).ok_or_else(|| format!("{flag} needs a number of milliseconds (0 to 600000)"))
}

/// Write then rename so a watcher never reads a half-written file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path))
}

/// `((cert_pem, key_pem), generated CA)` to serve, if HTTPS was asked for.
type TlsMaterial = ((String, String), Option<String>);

fn tls_material(args: &Args) -> Result<Option<TlsMaterial>, String> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
        return Ok(Some(((read(cert)?, read(key)?), None)));
    }
    if args.tls {
        let pki = wu_sandbox::tls::generate(&["127.0.0.1", "localhost"]);
        return Ok(Some(((pki.cert_pem, pki.key_pem), Some(pki.ca_pem))));
    }
    Ok(None)
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
    let (tls, ca_pem) = match tls_material(&args) {
        Ok(Some((pair, ca))) => (Some(pair), ca),
        Ok(None) => (None, None),
        Err(e) => {
            eprintln!("wu-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let log = match &args.log {
        Some(p) => LogTarget::File(p.clone()),
        None => LogTarget::Stderr,
    };
    let sandbox = match Sandbox::try_start(Options { listen: args.listen.clone(), seed, log, tls, model: args.model, ..Options::default() }) {
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
    // The CA goes first: whoever waits for the port file may then trust it at once.
    if let (Some(p), Some(ca)) = (&args.ca_out, &ca_pem) {
        if let Err(e) = write_atomically(p, ca) {
            eprintln!("wu-sandbox: cannot write CA file {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    if let Some(p) = &args.port_file {
        if let Err(e) = write_atomically(p, &format!("{}\n", sandbox.port())) {
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
    fn the_network_model_is_read_in_milliseconds() {
        let a = parse_args(argv("--latency-ms 40 --reload-ms=300")).unwrap();
        assert_eq!((a.model.latency_ms, a.model.reload_ms), (40, 300));
        for bad in ["--latency-ms -1", "--reload-ms x", "--latency-ms 600001"] {
            assert!(parse_args(argv(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unknown_flag_or_a_missing_value_is_an_error() {
        assert!(parse_args(argv("--bogus")).is_err());
        assert!(parse_args(argv("--listen")).is_err());
    }

    #[test]
    fn tls_flags_are_read_and_contradictions_refused() {
        let a = parse_args(argv("--tls --ca-out=/tmp/ca.pem")).unwrap();
        assert!(a.tls);
        assert_eq!(a.ca_out, Some(PathBuf::from("/tmp/ca.pem")));
        let b = parse_args(argv("--tls-cert c.pem --tls-key k.pem")).unwrap();
        assert_eq!((b.tls_cert, b.tls_key), (Some(PathBuf::from("c.pem")), Some(PathBuf::from("k.pem"))));
        for bad in ["--tls-cert c.pem", "--tls-key k.pem", "--ca-out x", "--tls --tls-cert c --tls-key k", "--tls=yes"] {
            assert!(parse_args(argv(bad)).is_err(), "{bad}");
        }
    }
}
