//! `wu-sandbox-proxy`: the test forward proxy as a process, for the PHP tests.

use std::process::ExitCode;
use wu_sandbox::proxy::{ForwardProxy, ProxyOptions};

const USAGE: &str = "usage: wu-sandbox-proxy [--listen 127.0.0.1:0] [--port-file PATH] [--log FILE] [--auth USER:PASSWORD]
  --log   append one JSON line per request received (method, target, authorization, authorized)
  --auth  answer 407 unless these Basic credentials come in Proxy-Authorization";

fn main() -> ExitCode {
    let mut listen = "127.0.0.1:0".to_string();
    let mut port_file = None;
    let mut options = ProxyOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        match flag.as_str() {
            "--listen" => listen = value,
            "--port-file" => port_file = Some(value),
            "--log" => options.log = Some(value.into()),
            "--auth" => match value.split_once(':') {
                Some((user, password)) => options.credentials = Some((user.to_string(), password.to_string())),
                None => {
                    eprintln!("--auth wants USER:PASSWORD\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let proxy = match ForwardProxy::start_on(&listen, options) {
        Ok(proxy) => proxy,
        Err(e) => {
            eprintln!("wu-sandbox-proxy: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = port_file {
        // Written whole at once, so a reader never sees half a number.
        let tmp = format!("{path}.tmp");
        if std::fs::write(&tmp, proxy.addr().port().to_string()).and_then(|_| std::fs::rename(&tmp, &path)).is_err() {
            eprintln!("wu-sandbox-proxy: cannot write {path}");
            return ExitCode::FAILURE;
        }
    }
    println!("wu-sandbox-proxy listening on {}", proxy.addr());
    loop {
        std::thread::park();
    }
}
