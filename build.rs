//! Checks the build prerequisites with messages that say what to install,
//! and embeds the version and git revision shown by wu_native_version() and
//! phpinfo().

use std::path::Path;
use std::process::Command;

fn main() {
    check_php_config();
    check_libclang();

    let revision = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=WU_NATIVE_GIT_REVISION={revision}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
}

fn fail(message: &str) -> ! {
    eprintln!("\nwu_native: {message}\n");
    std::process::exit(1);
}

fn check_php_config() {
    let php_config = match std::env::var("PHP_CONFIG") {
        Ok(path) if !path.is_empty() => {
            if !Path::new(&path).is_absolute() {
                fail(&format!("PHP_CONFIG must be an absolute path, got '{path}' (e.g. PHP_CONFIG=/usr/bin/php-config8.2)"));
            }
            path
        }
        _ => "php-config".to_string(),
    };
    let ok = Command::new(&php_config).arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        fail(&format!(
            "'{php_config}' was not found. Install PHP's development files: apt-get install -y php8.2-dev (or run `make deps`)"
        ));
    }
    check_same_php(&php_config);
}

/// ext-php-rs takes the headers from `$PHP_CONFIG` but the API version from
/// `$PHP -i`: two different PHPs would make a module that no PHP loads.
fn check_same_php(php_config: &str) {
    println!("cargo:rerun-if-env-changed=PHP");
    let php = std::env::var("PHP").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "php".to_string());
    let headers = Command::new(php_config)
        .arg("--phpapi")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let runtime = Command::new(&php).arg("-i").output().ok().filter(|o| o.status.success()).and_then(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("PHP API => ").map(|v| v.trim().to_string()))
    });
    if let (Some(headers), Some(runtime)) = (headers, runtime) {
        if headers != runtime {
            fail(&format!(
                "PHP and PHP_CONFIG name two different PHPs: '{php}' has PHP API {runtime}, '{php_config}' has PHP API {headers}. \
                 Set both for the same version, e.g. PHP=/usr/bin/php8.4 PHP_CONFIG=/usr/bin/php-config8.4"
            ));
        }
    }
}

fn check_libclang() {
    if std::env::var_os("LIBCLANG_PATH").is_some() {
        return;
    }
    // bindgen loads libclang.so[.N] or libclang-N.so[.N]; libclang-cpp.so
    // (pulled in by llvm-N-dev) is another library and cannot stand in for it.
    let is_libclang = |name: &str| {
        let rest = match name.strip_prefix("libclang") {
            Some(rest) => rest,
            None => return false,
        };
        rest.starts_with(".so") || rest.strip_prefix('-').is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()) && v.contains(".so"))
    };
    let in_dir = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).any(|e| is_libclang(&e.file_name().to_string_lossy())))
            .unwrap_or(false)
    };
    let found = ["/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/local/lib"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flat_map(|entries| entries.filter_map(Result::ok))
        .any(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            is_libclang(&name) || (name.starts_with("llvm-") && in_dir(&entry.path().join("lib")))
        });
    if !found {
        fail("libclang was not found (ext-php-rs generates PHP bindings with it). Install it: apt-get install -y libclang-dev (or run `make deps`)");
    }
}
