//! `s3://bucket/key` inputs, and `-r s3://bucket/prefix/` for a whole prefix (feature
//! `s3`). The tokio runtime and the client are built on the first S3 input only, so that
//! local runs pay nothing for them; without the feature an S3 input is a clear error.

/// What the command line and list files name objects with.
pub const SCHEME: &str = "s3://";

/// Worker threads when an input is on S3 and `--threads` is not given: each extraction
/// mostly waits on its requests, so many run at once whatever the number of cores.
pub const CONCURRENCY: usize = 24;

/// Why an S3 input cannot be read by this build.
#[cfg(not(feature = "s3"))]
pub const NO_FEATURE: &str = "metasift was built without the `s3` feature";

/// One object to read, as a URI names it (plus its size, when a listing gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub bucket: String,
    pub key: String,
    pub size: Option<u64>,
}

impl Object {
    pub fn uri(&self) -> String {
        format!("{SCHEME}{}/{}", self.bucket, self.key)
    }

    /// The extension of the key, for `-ext` filters.
    pub fn extension(&self) -> Option<&str> {
        let name = self.key.rsplit('/').next()?;
        name.rsplit_once('.').map(|(_, e)| e)
    }
}

/// Whether `arg` names an S3 object or prefix.
pub fn is_s3(arg: &str) -> bool {
    arg.starts_with(SCHEME)
}

/// Splits `s3://bucket/key` into bucket and key (the key may be empty: a whole bucket).
pub fn parse(uri: &str) -> Result<(String, String), String> {
    let rest = uri.strip_prefix(SCHEME).ok_or_else(|| format!("{uri}: not an s3:// URI"))?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("{uri}: no bucket name"));
    }
    Ok((bucket.to_owned(), key.to_owned()))
}

#[cfg(feature = "s3")]
pub use with_sdk::{Listing, extract};

#[cfg(feature = "s3")]
mod with_sdk {
    use crate::s3::Object;
    use metasift::remote::{S3Listing, S3Object, extract_s3, s3_client_from_env};
    use metasift::{Error, ErrorKind, Metadata, Options};
    use std::sync::OnceLock;

    /// The runtime every request runs on, and the client, built once.
    struct Session {
        runtime: tokio::runtime::Runtime,
        client: aws_sdk_s3::Client,
    }

    static SESSION: OnceLock<Result<Session, String>> = OnceLock::new();

    fn session() -> Result<&'static Session, String> {
        SESSION.get_or_init(start).as_ref().map_err(Clone::clone)
    }

    /// Two runtime threads drive the sockets; the extractions run on the CLI's own worker
    /// threads, each blocking on its requests.
    fn start() -> Result<Session, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime for S3: {e}"))?;
        let client = runtime.block_on(s3_client_from_env());
        Ok(Session { runtime, client })
    }

    /// The metadata of one object (its `stats` count the GETs and their bytes).
    pub fn extract(object: &Object, options: &Options) -> metasift::Result<Metadata> {
        let s = session().map_err(|msg| Error::new(ErrorKind::Io, msg))?;
        let request = S3Object::new(&object.bucket, &object.key).with_known_size(object.size);
        extract_s3(&s.client, s.runtime.handle(), &request, options).map(|x| x.metadata)
    }

    /// The objects under a prefix, page by page.
    pub struct Listing(Result<S3Listing, Option<String>>);

    impl Listing {
        pub fn new(bucket: &str, prefix: &str) -> Self {
            match session() {
                Ok(s) => {
                    Listing(Ok(S3Listing::new(s.client.clone(), s.runtime.handle().clone(), bucket, prefix)))
                }
                Err(msg) => Listing(Err(Some(msg))),
            }
        }
    }

    impl Iterator for Listing {
        type Item = Result<Object, String>;

        fn next(&mut self) -> Option<Self::Item> {
            match &mut self.0 {
                Ok(list) => Some(match list.next()? {
                    Ok(o) => Ok(Object { bucket: o.bucket, key: o.key, size: o.known_size }),
                    Err(e) => Err(e.to_string()),
                }),
                Err(msg) => msg.take().map(Err),
            }
        }
    }
}

#[cfg(not(feature = "s3"))]
pub use without_sdk::{Listing, extract};

#[cfg(not(feature = "s3"))]
mod without_sdk {
    use crate::s3::{NO_FEATURE, Object};
    use metasift::{Error, ErrorKind, Metadata, Options};

    pub fn extract(object: &Object, _options: &Options) -> metasift::Result<Metadata> {
        Err(Error::new(ErrorKind::Unsupported, format!("{}: {NO_FEATURE}", object.uri())))
    }

    /// A listing that says once that it cannot list.
    pub struct Listing(Option<String>);

    impl Listing {
        pub fn new(bucket: &str, prefix: &str) -> Self {
            Listing(Some(format!("s3://{bucket}/{prefix}: {NO_FEATURE}")))
        }
    }

    impl Iterator for Listing {
        type Item = Result<Object, String>;

        fn next(&mut self) -> Option<Self::Item> {
            self.0.take().map(Err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_split_into_bucket_and_key() {
        assert_eq!(parse("s3://b/a/c.jpg"), Ok(("b".into(), "a/c.jpg".into())));
        assert_eq!(parse("s3://b/"), Ok(("b".into(), String::new())));
        assert_eq!(parse("s3://b"), Ok(("b".into(), String::new())));
        assert!(parse("s3:///k").is_err());
        assert!(is_s3("s3://b/k") && !is_s3("./s3:/x"));
        let o = Object { bucket: "b".into(), key: "d/e.MP4".into(), size: None };
        assert_eq!((o.uri().as_str(), o.extension()), ("s3://b/d/e.MP4", Some("MP4")));
    }
}
