//! What the entry is told: where Cloud Storage is, how to authenticate, where sidecars go
//! and in which shape; from the environment (as Cloud Run sets it) or built in code.

use crate::options::Options;
use crate::remote::RetryPolicy;

/// Cloud Storage's XML API.
pub const DEFAULT_ENDPOINT: &str = "https://storage.googleapis.com";

/// Where sidecars go, in front of the object's name.
pub const DEFAULT_PREFIX: &str = "metadata/";

/// The metadata server's host on Google Cloud.
pub const DEFAULT_METADATA_HOST: &str = "metadata.google.internal";

/// Requests handled at once by default: each extraction holds at most a few times
/// `Limits::max_alloc` (16 MiB), so 8 fit a 512 MiB instance with room to spare.
pub const DEFAULT_WORKERS: usize = 8;

/// The JSON the sidecar holds under `metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SidecarOutput {
    /// metasift's own schema ([`crate::output::NativeObject`]).
    #[default]
    Native,
    /// The object `exiftool -json -n -G` prints ([`crate::output::ExifToolObject`]).
    ExifTool,
}

impl SidecarOutput {
    /// `native` or `exiftool`, as `METASIFT_OUTPUT` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SidecarOutput::Native => "native",
            SidecarOutput::ExifTool => "exiftool",
        }
    }
}

/// The entry's configuration. [`Config::from_env`] reads it as the binary does; tests
/// and embedders build it with [`Config::new`] and the `with_*` methods.
///
/// ```
/// use metasift::cloudevents::{Config, SidecarOutput};
/// let config = Config::new("http://127.0.0.1:4443")
///     .with_sidecar_prefix("meta/")
///     .with_output(SidecarOutput::ExifTool);
/// assert_eq!(config.sidecar_bucket, None); // beside the object, in its own bucket
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The XML API's base URL (`METASIFT_GCS_ENDPOINT`, default [`DEFAULT_ENDPOINT`]).
    pub endpoint: String,
    /// An access token to send as `Authorization: Bearer` (`METASIFT_GCS_TOKEN`). Without
    /// one, an `https` endpoint gets the service account's token from the metadata
    /// server and a plain-`http` one (an emulator, a test server) gets none.
    pub token: Option<String>,
    /// The metadata server's `host[:port]` (`GCE_METADATA_HOST`, default
    /// [`DEFAULT_METADATA_HOST`]).
    pub metadata_host: String,
    /// The bucket sidecars are written to (`METASIFT_SIDECAR_BUCKET`); `None`: the
    /// object's own.
    pub sidecar_bucket: Option<String>,
    /// Put before the object's name to name its sidecar, `{prefix}{name}.json`
    /// (`METASIFT_SIDECAR_PREFIX`, default [`DEFAULT_PREFIX`]). Objects under it in the
    /// sidecar bucket are never extracted: a sidecar must not trigger its own extraction.
    pub sidecar_prefix: String,
    /// The shape of the metadata in the sidecar (`METASIFT_OUTPUT`: `native` or
    /// `exiftool`).
    pub output: SidecarOutput,
    /// Requests handled at once (`METASIFT_WORKERS`, default [`DEFAULT_WORKERS`]); more
    /// wait for a free worker.
    pub workers: usize,
    /// Retries for every Cloud Storage request and the metadata server.
    pub retry: RetryPolicy,
    /// Extraction options (limits).
    pub options: Options,
    /// Whether to write one JSON log line per request to standard output (Cloud Logging
    /// reads `severity` and `message` from it). On by default.
    pub log: bool,
}

impl Config {
    /// The defaults, reading from `endpoint`.
    pub fn new(endpoint: impl Into<String>) -> Config {
        Config {
            endpoint: endpoint.into(),
            token: None,
            metadata_host: DEFAULT_METADATA_HOST.to_owned(),
            sidecar_bucket: None,
            sidecar_prefix: DEFAULT_PREFIX.to_owned(),
            output: SidecarOutput::Native,
            workers: DEFAULT_WORKERS,
            retry: RetryPolicy::default(),
            options: Options::default(),
            log: true,
        }
    }

    /// The configuration from the process environment; an error names the variable with
    /// a bad value.
    pub fn from_env() -> Result<Config, String> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// The configuration from variables looked up by `var` (the environment's names).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let mut config =
            Config::new(set("METASIFT_GCS_ENDPOINT").unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()));
        config.token = set("METASIFT_GCS_TOKEN");
        if let Some(host) = set("GCE_METADATA_HOST") {
            config.metadata_host = host;
        }
        config.sidecar_bucket = set("METASIFT_SIDECAR_BUCKET");
        // Set but empty is a choice (sidecars under no prefix), not "unset".
        if let Some(prefix) = var("METASIFT_SIDECAR_PREFIX") {
            config.sidecar_prefix = prefix;
        }
        config.output = match set("METASIFT_OUTPUT").as_deref().map(str::trim) {
            None | Some("native") => SidecarOutput::Native,
            Some("exiftool") => SidecarOutput::ExifTool,
            Some(other) => return Err(format!("METASIFT_OUTPUT={other:?}: expected native or exiftool")),
        };
        if let Some(n) = set("METASIFT_WORKERS") {
            config.workers = match n.trim().parse::<usize>() {
                Ok(n @ 1..=256) => n,
                _ => return Err(format!("METASIFT_WORKERS={n:?}: expected a number from 1 to 256")),
            };
        }
        config.check()?;
        Ok(config)
    }

    /// Refuses settings that cannot work: an endpoint that is not a URL, and sidecars
    /// that would trigger their own extraction without end (no prefix, same bucket).
    pub fn check(&self) -> Result<(), String> {
        let e = self.endpoint.to_ascii_lowercase();
        if !(e.starts_with("http://") || e.starts_with("https://")) {
            return Err(format!("METASIFT_GCS_ENDPOINT={:?}: expected an http(s) URL", self.endpoint));
        }
        if self.sidecar_prefix.is_empty() && self.sidecar_bucket.is_none() {
            return Err("METASIFT_SIDECAR_PREFIX is empty and METASIFT_SIDECAR_BUCKET unset: sidecars \
                        would be written beside the objects they describe, and each would trigger an \
                        extraction of its own"
                .to_owned());
        }
        Ok(())
    }

    /// Sets [`Config::token`].
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sets [`Config::sidecar_bucket`].
    pub fn with_sidecar_bucket(mut self, bucket: impl Into<String>) -> Self {
        self.sidecar_bucket = Some(bucket.into());
        self
    }

    /// Sets [`Config::sidecar_prefix`].
    pub fn with_sidecar_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.sidecar_prefix = prefix.into();
        self
    }

    /// Sets [`Config::output`].
    pub fn with_output(mut self, output: SidecarOutput) -> Self {
        self.output = output;
        self
    }

    /// Sets [`Config::workers`] (at least 1).
    pub fn with_workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Sets [`Config::retry`].
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets [`Config::options`].
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Sets [`Config::log`].
    pub fn with_log(mut self, log: bool) -> Self {
        self.log = log;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_vars(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_and_variables() {
        let c = from(&[]).unwrap();
        assert_eq!((c.endpoint.as_str(), c.sidecar_prefix.as_str()), (DEFAULT_ENDPOINT, DEFAULT_PREFIX));
        assert_eq!((c.output, c.workers, c.token.is_none()), (SidecarOutput::Native, 8, true));
        let c = from(&[
            ("METASIFT_GCS_ENDPOINT", "http://127.0.0.1:4443"),
            ("METASIFT_GCS_TOKEN", "t"),
            ("METASIFT_SIDECAR_BUCKET", "meta"),
            ("METASIFT_SIDECAR_PREFIX", ""),
            ("METASIFT_OUTPUT", "exiftool"),
            ("METASIFT_WORKERS", "2"),
            ("GCE_METADATA_HOST", "169.254.169.254"),
        ])
        .unwrap();
        assert_eq!(c.sidecar_bucket.as_deref(), Some("meta"));
        assert_eq!((c.sidecar_prefix.as_str(), c.output, c.workers), ("", SidecarOutput::ExifTool, 2));
        assert_eq!((c.token.as_deref(), c.metadata_host.as_str()), (Some("t"), "169.254.169.254"));
    }

    #[test]
    fn bad_settings_name_their_variable() {
        assert!(from(&[("METASIFT_OUTPUT", "xml")]).unwrap_err().contains("METASIFT_OUTPUT"));
        assert!(from(&[("METASIFT_WORKERS", "0")]).unwrap_err().contains("METASIFT_WORKERS"));
        assert!(from(&[("METASIFT_GCS_ENDPOINT", "gs://x")]).unwrap_err().contains("METASIFT_GCS_ENDPOINT"));
        let loop_err = from(&[("METASIFT_SIDECAR_PREFIX", "")]).unwrap_err();
        assert!(loop_err.contains("METASIFT_SIDECAR_PREFIX"), "{loop_err}");
    }
}
