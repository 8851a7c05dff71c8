//! `metasift-cloudevents`: the Google Cloud entry as a program, for Cloud Run and Cloud
//! Functions (2nd gen). Listens on `0.0.0.0:$PORT` (default 8080; 0 picks a free port)
//! and serves Cloud Storage CloudEvents with the configuration the environment gives
//! (see `metasift::cloudevents::Config::from_env`). Exits 2 on a bad setting, 1 if the
//! server cannot run.

use metasift::cloudevents::{Config, serve};
use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(2, &format!("bad configuration: {e}")),
    };
    let port = match std::env::var("PORT").ok().filter(|p| !p.trim().is_empty()) {
        None => 8080,
        Some(p) => match p.trim().parse::<u16>() {
            Ok(port) => port,
            Err(_) => return fail(2, &format!("bad configuration: PORT={p:?} is not a port number")),
        },
    };
    let listener = match TcpListener::bind(("0.0.0.0", port)) {
        Ok(listener) => listener,
        Err(e) => return fail(1, &format!("cannot listen on port {port}: {e}")),
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let message = format!(
        "metasift-cloudevents {} listening on {addr}; reading {}, sidecars in {}{}, {} output",
        env!("CARGO_PKG_VERSION"),
        config.endpoint,
        config
            .sidecar_bucket
            .as_deref()
            .map_or("the object's bucket, under ".to_owned(), |b| format!("gs://{b}/")),
        config.sidecar_prefix,
        config.output.as_str(),
    );
    log_line("INFO", &message);
    match serve(listener, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(1, &e.to_string()),
    }
}

/// Logs `message` as an error and gives the exit code.
fn fail(code: u8, message: &str) -> ExitCode {
    log_line("ERROR", message);
    ExitCode::from(code)
}

/// One JSON line on standard output, the shape Cloud Logging reads.
fn log_line(severity: &str, message: &str) {
    let line = serde_json::json!({ "severity": severity, "message": message });
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
