//! A local S3 for tests: moto's server, and a recorder of the requests a client sends.
#![allow(dead_code)]

use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use std::sync::Mutex;

#[path = "../support/local_aws.rs"]
mod local_aws;

/// The local AWS (see `tests/support/local_aws.rs`): `None`, after a note, when there is
/// none outside CI; under `CI=true` a missing server fails the test.
pub struct Moto {
    pub endpoint: String,
}

impl Moto {
    /// The server shared by this test process.
    pub fn get() -> Option<Moto> {
        local_aws::endpoint().map(|endpoint| Moto { endpoint })
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
