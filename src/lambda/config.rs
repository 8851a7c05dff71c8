//! Where the Lambda writes what it extracted, read once at start-up from the function's
//! environment. Every output is optional; a value that cannot be right (a malformed table
//! name, an unknown output mode) stops the function at start-up with an error that names
//! the variable, rather than failing on every object later.

use std::fmt;

/// The DynamoDB table that holds one item per object (optional).
pub const TABLE_VAR: &str = "METASIFT_TABLE";
/// The key prefix sidecar files are written under (optional; unset or empty: no sidecars).
pub const SIDECAR_PREFIX_VAR: &str = "METASIFT_SIDECAR_PREFIX";
/// The bucket sidecars go to (optional; default: the object's own bucket).
pub const SIDECAR_BUCKET_VAR: &str = "METASIFT_SIDECAR_BUCKET";
/// The SNS topic told about each new or changed object (optional).
pub const TOPIC_VAR: &str = "METASIFT_SNS_TOPIC_ARN";
/// The shape of the stored metadata: `native` (the default) or `exiftool`.
pub const OUTPUT_VAR: &str = "METASIFT_OUTPUT";

/// The longest sidecar prefix accepted. S3 keys are at most 1,024 bytes and the sidecar
/// key also holds the object's key, so a prefix near that length leaves no room.
const MAX_PREFIX_BYTES: usize = 512;

/// The outputs configured for the function.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// The DynamoDB table name (or ARN) items are written to; `None`: no table.
    pub table: Option<String>,
    /// Where sidecar JSON files go; `None`: no sidecars.
    pub sidecar: Option<SidecarConfig>,
    /// The SNS topic ARN notifications are published to; `None`: no notifications.
    pub topic_arn: Option<String>,
    /// How the metadata is shaped in every output.
    pub output: OutputMode,
}

/// Where sidecar files are written: `{prefix}{key}.json` in `bucket`, or in the object's
/// own bucket when `bucket` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarConfig {
    /// The key prefix, never empty (an empty prefix would make every key a sidecar's).
    pub prefix: String,
    /// A bucket for all sidecars, or `None` for the bucket of each object.
    pub bucket: Option<String>,
}

/// The JSON shape of the metadata written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputMode {
    /// metasift's own object ([`crate::output::NativeObject`]): summary, tags, streams.
    #[default]
    Native,
    /// The object `exiftool -json -n -G` prints ([`crate::output::ExifToolObject`]), for
    /// consumers moving from ExifTool.
    ExifTool,
}

impl OutputMode {
    /// The name used in `METASIFT_OUTPUT` and in the stored `extractor` attribute.
    pub fn name(self) -> &'static str {
        match self {
            OutputMode::Native => "native",
            OutputMode::ExifTool => "exiftool",
        }
    }
}

/// A configuration value that cannot be used; says which variable and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    variable: &'static str,
    message: String,
}

impl ConfigError {
    fn new(variable: &'static str, message: impl Into<String>) -> Self {
        ConfigError { variable, message: message.into() }
    }

    /// The environment variable at fault.
    pub fn variable(&self) -> &'static str {
        self.variable
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The configuration in the process environment (see the `*_VAR` constants).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// The configuration read through `lookup`, which gives a variable's value or `None`
    /// when it is unset: tests pass a map here instead of changing the process environment.
    ///
    /// An empty value counts as unset (deployment templates often write `""` for an output
    /// that is switched off), except for `METASIFT_OUTPUT`, where it means the default.
    ///
    /// ```
    /// use metasift::lambda::config::{Config, OutputMode};
    /// let config = Config::from_lookup(|name| match name {
    ///     "METASIFT_TABLE" => Some("media-metadata".to_owned()),
    ///     "METASIFT_OUTPUT" => Some("exiftool".to_owned()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(config.table.as_deref(), Some("media-metadata"));
    /// assert_eq!(config.output, OutputMode::ExifTool);
    /// assert!(config.sidecar.is_none() && config.topic_arn.is_none());
    /// # Ok::<(), metasift::lambda::config::ConfigError>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let table = get(TABLE_VAR).map(check_table).transpose()?;
        let topic_arn = get(TOPIC_VAR).map(check_topic).transpose()?;
        let bucket = get(SIDECAR_BUCKET_VAR).map(check_bucket).transpose()?;
        let sidecar = match (get(SIDECAR_PREFIX_VAR), bucket) {
            (Some(prefix), bucket) => Some(SidecarConfig { prefix: check_prefix(prefix)?, bucket }),
            (None, Some(_)) => {
                return Err(ConfigError::new(
                    SIDECAR_BUCKET_VAR,
                    format!("is set but {SIDECAR_PREFIX_VAR} is not: sidecars need a key prefix"),
                ));
            }
            (None, None) => None,
        };
        let output = match get(OUTPUT_VAR).map(|v| v.to_ascii_lowercase()).as_deref() {
            None | Some("native") => OutputMode::Native,
            Some("exiftool") => OutputMode::ExifTool,
            Some(other) => {
                return Err(ConfigError::new(OUTPUT_VAR, format!("`{other}` is not `native` or `exiftool`")));
            }
        };
        Ok(Config { table, sidecar, topic_arn, output })
    }
}

/// A DynamoDB table name (3 to 255 of `A-Za-z0-9_.-`), or a table ARN, which the data
/// plane accepts in its place.
fn check_table(name: String) -> Result<String, ConfigError> {
    if name.starts_with("arn:") {
        if name.contains(":dynamodb:") && name.contains(":table/") {
            return Ok(name);
        }
        return Err(ConfigError::new(TABLE_VAR, format!("`{name}` is not a DynamoDB table ARN")));
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if (3..=255).contains(&name.len()) && name.chars().all(ok_char) {
        Ok(name)
    } else {
        Err(ConfigError::new(TABLE_VAR, format!("`{name}` is not a table name (3-255 of A-Z a-z 0-9 _ . -)")))
    }
}

/// An SNS topic ARN: `arn:PARTITION:sns:REGION:ACCOUNT:NAME`.
fn check_topic(arn: String) -> Result<String, ConfigError> {
    let parts: Vec<&str> = arn.split(':').collect();
    let ok = parts.len() == 6
        && parts.first() == Some(&"arn")
        && parts.get(2) == Some(&"sns")
        && parts.get(5).is_some_and(|name| !name.is_empty());
    if ok { Ok(arn) } else { Err(ConfigError::new(TOPIC_VAR, format!("`{arn}` is not an SNS topic ARN"))) }
}

/// A bucket name as S3 allows for new buckets: 3 to 63 of `a-z0-9.-`, starting and ending
/// with a letter or digit.
fn check_bucket(name: String) -> Result<String, ConfigError> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-');
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if (3..=63).contains(&name.len())
        && name.chars().all(ok_char)
        && ends_ok(name.chars().next())
        && ends_ok(name.chars().last())
    {
        Ok(name)
    } else {
        Err(ConfigError::new(SIDECAR_BUCKET_VAR, format!("`{name}` is not a bucket name")))
    }
}

fn check_prefix(prefix: String) -> Result<String, ConfigError> {
    if prefix.len() > MAX_PREFIX_BYTES {
        return Err(ConfigError::new(SIDECAR_PREFIX_VAR, format!("longer than {MAX_PREFIX_BYTES} bytes")));
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_no_outputs_and_native_json() {
        assert_eq!(config(&[]).unwrap(), Config::default());
        assert_eq!(config(&[(TABLE_VAR, ""), (TOPIC_VAR, " ")]).unwrap(), Config::default());
    }

    #[test]
    fn every_output_is_read() {
        let c = config(&[
            (TABLE_VAR, "media-meta"),
            (SIDECAR_PREFIX_VAR, "metadata/"),
            (SIDECAR_BUCKET_VAR, "sidecars.example"),
            (TOPIC_VAR, "arn:aws:sns:eu-west-1:123456789012:media"),
            (OUTPUT_VAR, "ExifTool"),
        ])
        .unwrap();
        assert_eq!(c.table.as_deref(), Some("media-meta"));
        let sidecar = SidecarConfig { prefix: "metadata/".into(), bucket: Some("sidecars.example".into()) };
        assert_eq!(c.sidecar, Some(sidecar));
        assert_eq!(c.topic_arn.as_deref(), Some("arn:aws:sns:eu-west-1:123456789012:media"));
        assert_eq!(c.output, OutputMode::ExifTool);
    }

    #[test]
    fn bad_values_name_their_variable() {
        let bad = [
            (TABLE_VAR, "a b"),
            (TABLE_VAR, "ab"),
            (TABLE_VAR, "arn:aws:s3:::bucket"),
            (TOPIC_VAR, "media"),
            (TOPIC_VAR, "arn:aws:sqs:eu-west-1:123456789012:media"),
            (OUTPUT_VAR, "xml"),
        ];
        for (var, value) in bad {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable(), var, "{var}={value}");
            assert!(err.to_string().starts_with(var), "{err}");
        }
        let err = config(&[(SIDECAR_PREFIX_VAR, "m/"), (SIDECAR_BUCKET_VAR, "Upper")]).unwrap_err();
        assert_eq!(err.variable(), SIDECAR_BUCKET_VAR);
        let long = "p".repeat(MAX_PREFIX_BYTES + 1);
        assert_eq!(config(&[(SIDECAR_PREFIX_VAR, &long)]).unwrap_err().variable(), SIDECAR_PREFIX_VAR);
    }

    #[test]
    fn a_sidecar_bucket_without_a_prefix_is_refused() {
        let err = config(&[(SIDECAR_BUCKET_VAR, "sidecars")]).unwrap_err();
        assert_eq!(err.variable(), SIDECAR_BUCKET_VAR);
        assert!(err.to_string().contains(SIDECAR_PREFIX_VAR), "{err}");
    }

    #[test]
    fn table_arns_are_accepted() {
        let arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/media";
        assert_eq!(config(&[(TABLE_VAR, arn)]).unwrap().table.as_deref(), Some(arn));
    }
}
