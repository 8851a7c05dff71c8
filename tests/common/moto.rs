//! A local S3 for tests: moto's server, and a recorder of the requests a client sends.
#![allow(dead_code)]

use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A moto server: the one at `METASIFT_MOTO_ENDPOINT`, or one started for this test and
/// killed when dropped.
pub struct Moto {
    pub endpoint: String,
    child: Option<Child>,
}

impl Moto {
    /// The server, or `None` (after a loud note) when none can be had outside CI. Under
    /// `CI=true` a missing server fails the test: CI must not pass without running these.
    pub fn get() -> Option<Moto> {
        if let Ok(endpoint) = std::env::var("METASIFT_MOTO_ENDPOINT") {
            return Some(Moto { endpoint, child: None });
        }
        match Self::start() {
            Ok(m) => Some(m),
            Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("no moto server under CI=true: {why}")
            }
            Err(why) => {
                // Straight to stderr, past the test harness's capture: a skip must be seen.
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED (no S3 to test against): {why}; `pip install 'moto[server]'` or set METASIFT_MOTO_ENDPOINT"
                );
                None
            }
        }
    }

    fn start() -> Result<Moto, String> {
        // A free port: bind port 0, note the port, let it go.
        let port =
            TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run moto_server: {e}"))?;
        let mut moto = Moto { endpoint: format!("http://127.0.0.1:{port}"), child: Some(child) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(moto);
            }
            if let Some(Ok(Some(status))) = moto.child.as_mut().map(Child::try_wait) {
                return Err(format!("moto_server exited: {status}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("moto_server did not listen within 20 s".into())
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One request as sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub uri: String,
    pub range: Option<String>,
    pub if_match: Option<String>,
}

type Hook = Box<dyn Fn() + Send + Sync>;

/// Records every request a client sends; can run a hook before the n-th GET.
#[derive(Default)]
pub struct Recorder {
    sent: Mutex<Vec<Sent>>,
    hook: Mutex<Option<(usize, Hook)>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorder")
    }
}

impl Recorder {
    pub fn all(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub fn gets(&self) -> u64 {
        self.all().iter().filter(|s| s.method == "GET").count() as u64
    }

    pub fn clear(&self) {
        self.sent.lock().unwrap().clear();
    }

    /// Runs `hook` once, just before the `n`-th GET (counting from 1) is sent.
    pub fn before_get(&self, n: usize, hook: impl Fn() + Send + Sync + 'static) {
        *self.hook.lock().unwrap() = Some((n, Box::new(hook)));
    }
}

/// What a client's config holds: the recorder, shared with the test.
#[derive(Debug)]
pub struct Recording(pub std::sync::Arc<Recorder>);

impl Intercept for Recording {
    fn name(&self) -> &'static str {
        "Recorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.record(context);
        Ok(())
    }
}

impl Recorder {
    fn record(&self, context: &BeforeTransmitInterceptorContextRef<'_>) {
        let r = context.request();
        let sent = Sent {
            method: r.method().to_owned(),
            uri: r.uri().to_owned(),
            range: r.headers().get("range").map(str::to_owned),
            if_match: r.headers().get("if-match").map(str::to_owned),
        };
        let gets = {
            let mut all = self.sent.lock().unwrap();
            all.push(sent);
            all.iter().filter(|s| s.method == "GET").count()
        };
        let mut hook = self.hook.lock().unwrap();
        if hook.as_ref().is_some_and(|(n, _)| *n == gets) {
            if let Some((_, f)) = hook.take() {
                f();
            }
        }
    }
}
