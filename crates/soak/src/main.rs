//! wu-soak: drives tests/soak/worker.php in php-fpm over FastCGI with a
//! bounded number of requests and connections, then reports failed calls,
//! worker crashes and per-worker memory growth after warm-up.
//! scripts/soak.sh sets up php-fpm and the sandbox and runs this.

mod fcgi;

use fcgi::Target;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: wu-soak --fcgi unix:PATH|127.0.0.1:PORT --script ABS_PATH --sandbox URL
               [--calls 20000] [--concurrency 8] [--workers 4] [--warmup-pct 10]
               [--deadline-secs 300] [--timeout-secs 20] [--max-growth-kb 4096]
               [--fpm-log PATH] [--title TEXT] [--panel hestia|serverpilot]
  One FastCGI request adds then removes one name (two calls); every 10th
  request also passes an invalid name, which must throw. Exits 1 on any
  failed call, FastCGI error, 5xx, PHP stderr output, worker crash, leftover
  alias, unsent request, or RSS growth after warm-up above --max-growth-kb.
  --panel serverpilot makes every request change one ServerPilot app, whose
  API replaces the whole list: concurrent workers must not undo each other.";

struct Opts {
    target: Target,
    target_text: String,
    script: String,
    sandbox: String,
    calls: usize,
    concurrency: usize,
    workers: usize,
    warmup_pct: usize,
    deadline: Duration,
    timeout: Duration,
    max_growth_kb: u64,
    fpm_log: Option<String>,
    title: String,
    /// The sandbox panel the workers change (`hestia` or `serverpilot`).
    panel: String,
}

fn parse_opts() -> Result<Opts, String> {
    let mut m: BTreeMap<String, String> = BTreeMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let key = flag.strip_prefix("--").ok_or_else(|| format!("unexpected argument {flag:?}"))?;
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        m.insert(key.to_string(), value);
    }
    let known = ["fcgi", "script", "sandbox", "calls", "concurrency", "workers", "warmup-pct", "deadline-secs", "timeout-secs", "max-growth-kb", "fpm-log", "title", "panel"];
    if let Some(k) = m.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown option --{k}"));
    }
    let num = |k: &str, default: u64| -> Result<u64, String> {
        m.get(k).map_or(Ok(default), |v| v.parse().map_err(|_| format!("--{k} wants a number, got {v:?}")))
    };
    let need = |k: &str| m.get(k).cloned().ok_or_else(|| format!("--{k} is required"));
    let target_text = need("fcgi")?;
    let opts = Opts {
        target: Target::parse(&target_text)?,
        target_text,
        script: need("script")?,
        sandbox: need("sandbox")?.trim_end_matches('/').to_string(),
        calls: num("calls", 20_000)? as usize,
        concurrency: num("concurrency", 8)?.max(1) as usize,
        workers: num("workers", 4)? as usize,
        warmup_pct: num("warmup-pct", 10)?.min(90) as usize,
        deadline: Duration::from_secs(num("deadline-secs", 300)?),
        timeout: Duration::from_secs(num("timeout-secs", 20)?.max(1)),
        max_growth_kb: num("max-growth-kb", 4096)?,
        fpm_log: m.get("fpm-log").cloned(),
        title: m.get("title").cloned().unwrap_or_else(|| "wu_native soak".into()),
        panel: m.get("panel").cloned().unwrap_or_else(|| "hestia".into()),
    };
    if !matches!(opts.panel.as_str(), "hestia" | "serverpilot") {
        return Err(format!("--panel must be hestia or serverpilot, got {:?}", opts.panel));
    }
    if !opts.sandbox.starts_with("http://127.0.0.1:") {
        return Err("--sandbox must be http://127.0.0.1:PORT".into());
    }
    Ok(opts)
}

/// What one FastCGI request came to.
enum Outcome {
    /// worker.php answered; its own report of the calls it made.
    Answered { calls: u64, probes: u64, failures: Vec<String>, sample: Sample, stderr: String },
    /// Connection, protocol or timeout trouble, a 5xx, or a body that is not the worker's JSON.
    Broken { kind: &'static str, detail: String },
}

#[derive(Clone, Copy)]
struct Sample {
    pid: u64,
    rss_kb: u64,
    anon_kb: u64,
    php_mem: u64,
}

struct Done {
    seq: usize,
    latency: Duration,
    outcome: Outcome,
}

fn one_request(o: &Opts, n: usize) -> Outcome {
    let params: Vec<(&str, String)> = vec![
        ("GATEWAY_INTERFACE", "CGI/1.1".into()),
        ("SERVER_SOFTWARE", "wu-soak".into()),
        ("SERVER_PROTOCOL", "HTTP/1.1".into()),
        ("SERVER_NAME", "localhost".into()),
        ("SERVER_ADDR", "127.0.0.1".into()),
        ("SERVER_PORT", "80".into()),
        ("REMOTE_ADDR", "127.0.0.1".into()),
        ("REQUEST_METHOD", "GET".into()),
        ("SCRIPT_FILENAME", o.script.clone()),
        ("SCRIPT_NAME", "/worker.php".into()),
        ("REQUEST_URI", format!("/worker.php?n={n}")),
        ("QUERY_STRING", format!("n={n}")),
        ("CONTENT_LENGTH", "0".into()),
        ("SOAK_SANDBOX_URL", o.sandbox.clone()),
        ("SOAK_N", n.to_string()),
        ("SOAK_PANEL", o.panel.clone()),
    ];
    let resp = match fcgi::request(&o.target, &params, o.timeout) {
        Ok(r) => r,
        Err(e) => return Outcome::Broken { kind: "fastcgi", detail: e.to_string() },
    };
    if resp.protocol_status != 0 {
        return Outcome::Broken { kind: "fastcgi", detail: format!("protocol status {}", resp.protocol_status) };
    }
    let stderr = String::from_utf8_lossy(&resp.stderr).trim().to_string();
    let (status, body) = resp.http();
    if status >= 500 {
        return Outcome::Broken { kind: "http5xx", detail: format!("HTTP {status}: {} {stderr}", String::from_utf8_lossy(body).trim()) };
    }
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return Outcome::Broken { kind: "body", detail: format!("HTTP {status}, not JSON: {:.200} {stderr}", String::from_utf8_lossy(body)) },
    };
    let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let failures = v.get("failures").and_then(Value::as_array).map(|a| a.iter().map(|f| f.as_str().unwrap_or("?").to_string()).collect()).unwrap_or_default();
    Outcome::Answered {
        calls: u("calls"),
        probes: u("probes"),
        failures,
        sample: Sample { pid: u("pid"), rss_kb: u("rss_kb"), anon_kb: u("anon_kb"), php_mem: u("php_mem") },
        stderr,
    }
}

/// Plain HTTP/1.0 GET against the loopback sandbox; returns the body.
fn sandbox_get(base: &str, path: &str) -> Result<String, String> {
    let hostport = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(hostport).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {hostport}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).ok_or_else(|| "no HTTP body".into())
}

/// Names soak-* still on the panel the workers changed: each add was paired with a remove.
fn leftover_aliases(base: &str, panel: &str) -> Result<Vec<String>, String> {
    let body = sandbox_get(base, "/__sandbox/state")?;
    let v: Value = serde_json::from_str(&body).map_err(|e| format!("state is not JSON: {e}"))?;
    let pointer = match panel {
        "serverpilot" => "/serverpilot/apps/nlcN0TwdZAyNEgdp/domains",
        _ => "/hestia/users/admin/web_domains/network.example/aliases",
    };
    let aliases = v.pointer(pointer).and_then(Value::as_array).ok_or("no names in /__sandbox/state")?;
    Ok(aliases.iter().filter_map(Value::as_str).filter(|a| a.contains("soak-")).map(str::to_string).collect())
}

/// php-fpm's own record of children that died; with pm.max_requests=0 none should exit during the run.
fn crash_lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("exited on signal") || l.contains("exited with code") || l.contains("SIGSEGV"))
        .map(str::to_string)
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() -> ExitCode {
    let o = match parse_opts() {
        Ok(o) => Arc::new(o),
        Err(e) => {
            if !e.is_empty() {
                eprintln!("wu-soak: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let requests = o.calls.div_ceil(2);
    let next = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + o.deadline;

    let threads: Vec<_> = (0..o.concurrency)
        .map(|_| {
            let (o, next, finished) = (o.clone(), next.clone(), finished.clone());
            std::thread::spawn(move || {
                let mut done = Vec::new();
                loop {
                    // Checked before taking a number, so unsent requests stay countable.
                    if Instant::now() >= deadline {
                        break;
                    }
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests {
                        break;
                    }
                    let t = Instant::now();
                    let outcome = one_request(&o, n);
                    let latency = t.elapsed();
                    let seq = finished.fetch_add(1, Ordering::Relaxed);
                    done.push(Done { seq, latency, outcome });
                }
                done
            })
        })
        .collect();
    let mut all: Vec<Done> = threads.into_iter().flat_map(|t| t.join().unwrap_or_default()).collect();
    let elapsed = started.elapsed();
    all.sort_by_key(|d| d.seq);

    // Tally.
    let sent = all.len();
    let warm_n = sent * o.warmup_pct / 100;
    let own_warm = (warm_n / o.workers.max(1)) as u64;
    let (mut calls, mut probes, mut failed_calls) = (0u64, 0u64, 0u64);
    let mut broken: BTreeMap<&str, u64> = BTreeMap::new();
    let mut stderr_msgs = 0u64;
    let mut examples: Vec<String> = Vec::new();
    // pid → (requests, first sample, first sample after warm-up, last sample, peak RSS after warm-up)
    let mut per_pid: BTreeMap<u64, (u64, Sample, Option<Sample>, Sample, u64)> = BTreeMap::new();
    for d in &all {
        match &d.outcome {
            Outcome::Answered { calls: c, probes: p, failures, sample, stderr } => {
                calls += c;
                probes += p;
                failed_calls += failures.len() as u64;
                for f in failures {
                    if examples.len() < 5 {
                        examples.push(format!("request {}: {f}", d.seq));
                    }
                }
                if !stderr.is_empty() {
                    stderr_msgs += 1;
                    if examples.len() < 5 {
                        examples.push(format!("php stderr: {stderr:.300}"));
                    }
                }
                let e = per_pid.entry(sample.pid).or_insert((0, *sample, None, *sample, 0));
                e.0 += 1;
                e.3 = *sample;
                // A worker respawned late gets its own warm-up, not a cold baseline.
                if d.seq >= warm_n && e.0 > own_warm {
                    e.2.get_or_insert(*sample);
                    e.4 = e.4.max(sample.rss_kb);
                }
            }
            Outcome::Broken { kind, detail } => {
                *broken.entry(kind).or_default() += 1;
                if examples.len() < 5 {
                    examples.push(format!("{kind}: {detail:.300}"));
                }
            }
        }
    }
    let unsent = requests - sent.min(requests);
    let crashes = o.fpm_log.as_deref().map(crash_lines).unwrap_or_default();
    let leftovers = leftover_aliases(&o.sandbox, &o.panel);
    let mut lat: Vec<Duration> = all.iter().map(|d| d.latency).collect();
    lat.sort();

    // Report.
    let secs = elapsed.as_secs_f64().max(1e-9);
    let fastcgi_errors = broken.get("fastcgi").copied().unwrap_or(0);
    let http5xx = broken.get("http5xx").copied().unwrap_or(0);
    let bad_body = broken.get("body").copied().unwrap_or(0);
    let leftover_n = leftovers.as_ref().map_or(0, |l| l.len());
    println!("{}", o.title);
    println!("  php-fpm: {} static workers, pm.max_requests=0; {} concurrent connections to {}", o.workers, o.concurrency, o.target_text);
    let unsent_note = if unsent > 0 { format!(" ({unsent} unsent at the deadline)") } else { String::new() };
    println!("  {:<36}{sent} of {requests}{unsent_note}", "FastCGI requests sent");
    println!("  {:<36}{}", "add/remove calls made", calls);
    println!("  {:<36}{}", "invalid-name calls (must throw)", probes);
    println!("  {:<36}{}", "failed calls (ok=false / no throw)", failed_calls);
    println!("  {:<36}{}", "FastCGI errors / timeouts", fastcgi_errors);
    println!("  {:<36}{}", "HTTP 5xx from php-fpm", http5xx);
    println!("  {:<36}{}", "non-JSON answers", bad_body);
    println!("  {:<36}{}", "answers with PHP stderr output", stderr_msgs);
    println!("  {:<36}{}", "worker crashes (php-fpm log)", if o.fpm_log.is_some() { crashes.len().to_string() } else { "not checked".into() });
    println!("  {:<36}{} seen, {} configured", "worker pids", per_pid.len(), o.workers);
    match &leftovers {
        Ok(l) => println!("  {:<36}{}", "soak aliases left on the panel", l.len()),
        Err(e) => println!("  {:<36}unknown: {e}", "soak aliases left on the panel"),
    }
    println!("  {:<36}{:.1} s", "elapsed", secs);
    println!("  {:<36}{:.0} calls/s ({:.0} requests/s)", "throughput", (calls + probes) as f64 / secs, sent as f64 / secs);
    println!("  {:<36}{:.2} / {:.2} / {:.2} ms", "latency p50 / p99 / max per request", percentile(&lat, 0.50), percentile(&lat, 0.99), percentile(&lat, 1.0));
    println!();
    println!("  memory per worker (warm-up: the first {}% of requests, {warm_n}, and {own_warm} of the worker's own; RSS from /proc/self/status)", o.warmup_pct);
    println!("  {:>8} {:>9} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>10}", "pid", "requests", "RSS first", "RSS warm", "RSS end", "RSS growth", "anon warm", "anon end", "PHP mem");
    let mut max_growth: i64 = 0;
    for (pid, (n, first, warm, last, _peak)) in &per_pid {
        let Some(warm) = warm else {
            println!("  {:>8} {:>9} {:>8} kB {:>11} {:>11} {:>11}", pid, n, first.rss_kb, "-", "-", "-");
            continue;
        };
        let growth = last.rss_kb as i64 - warm.rss_kb as i64;
        max_growth = max_growth.max(growth);
        println!(
            "  {:>8} {:>9} {:>8} kB {:>8} kB {:>8} kB {:>+8} kB {:>8} kB {:>8} kB {:>7} kB",
            pid, n, first.rss_kb, warm.rss_kb, last.rss_kb, growth, warm.anon_kb, last.anon_kb, last.php_mem / 1024
        );
    }
    println!("  {:<36}{:+} kB (limit {} kB)", "max RSS growth after warm-up", max_growth, o.max_growth_kb);

    let mut reasons = Vec::new();
    if unsent > 0 {
        reasons.push(format!("{unsent} requests not sent before the deadline"));
    }
    if failed_calls > 0 {
        reasons.push(format!("{failed_calls} failed calls"));
    }
    if fastcgi_errors + http5xx + bad_body > 0 {
        reasons.push(format!("{} broken requests", fastcgi_errors + http5xx + bad_body));
    }
    if stderr_msgs > 0 {
        reasons.push(format!("{stderr_msgs} answers with PHP stderr output"));
    }
    if !crashes.is_empty() {
        reasons.push(format!("{} worker crashes", crashes.len()));
    }
    if o.workers > 0 && per_pid.len() > o.workers {
        reasons.push(format!("{} worker pids for {} workers (respawns)", per_pid.len(), o.workers));
    }
    match &leftovers {
        Ok(_) if leftover_n > 0 => reasons.push(format!("{leftover_n} soak aliases left on the panel")),
        Err(e) => reasons.push(format!("panel state unreadable: {e}")),
        _ => {}
    }
    if max_growth > o.max_growth_kb as i64 {
        reasons.push(format!("RSS grew {max_growth} kB after warm-up (limit {} kB)", o.max_growth_kb));
    }
    for e in &examples {
        println!("  e.g. {e}");
    }
    for c in crashes.iter().take(5) {
        println!("  php-fpm: {c}");
    }
    if reasons.is_empty() {
        println!("  result: PASS");
        ExitCode::SUCCESS
    } else {
        println!("  result: FAIL — {}", reasons.join("; "));
        ExitCode::from(1)
    }
}
