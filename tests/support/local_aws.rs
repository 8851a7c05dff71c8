//! The local AWS of the tests that need one: a moto server (S3, DynamoDB, SQS, SNS), the
//! one `METASIFT_MOTO_ENDPOINT` names or one started on a free port for this test process.
//! Shared by `tests/common/moto.rs` (the S3 tests) and `tests/lambda_support` (the
//! Lambda tests).

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long moto may take to start (it takes about half a second on an idle machine,
/// many times that while the test binary's siblings compile).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A moto server this process started.
///
/// It runs under `sh`, which kills it once its standard input closes: the test harness
/// never drops statics, but the kernel closes the pipe when this process exits, however
/// it exits, so no server outlives the tests.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The endpoint of the local AWS, or `None` (with a note) when there is none and this is
/// not CI. On CI (`CI=true`) a server that cannot start fails the test.
pub fn endpoint() -> Option<String> {
    if let Ok(url) = std::env::var("METASIFT_MOTO_ENDPOINT") {
        return Some(url);
    }
    static MOTO: OnceLock<Result<Moto, String>> = OnceLock::new();
    match MOTO.get_or_init(start_moto) {
        Ok(moto) => Some(moto.endpoint.clone()),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("moto_server: {why}"),
        Err(why) => {
            eprintln!("skipped: no local AWS ({why}); install moto[server] or set METASIFT_MOTO_ENDPOINT");
            None
        }
    }
}

fn start_moto() -> Result<Moto, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    // `sh` exits at once (127) when there is no moto_server, so that its absence is told
    // without waiting for a port.
    let script = r#"command -v moto_server >/dev/null || exit 127
moto_server -H 127.0.0.1 -p "$1" >/dev/null 2>&1 & m=$!; read -r _; kill "$m""#;
    let child = Command::new("sh")
        .args(["-c", script, "sh", &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(moto);
        }
        if let Ok(Some(status)) = moto.child.try_wait() {
            return Err(format!("moto_server is not installed or did not start ({status})"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("not listening on port {port} after {START_TIMEOUT:?} (is moto_server installed?)"))
}
