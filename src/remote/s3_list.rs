//! The objects under a prefix, page by page (`ListObjectsV2`), for a backfill: a bucket of
//! millions of keys is never held in memory at once.

use super::s3::S3Object;
use aws_sdk_s3::Client;
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use std::collections::VecDeque;
use std::io;
use tokio::runtime::Handle;

/// The objects of `bucket` whose keys start with `prefix`, in key order, each with its
/// size (so [`extract_s3`](super::extract_s3) can fetch its tail with its head). Keys
/// ending in `/` (folder markers) are left out. Fetches one page of up to 1000 keys at a
/// time, when the previous one is used up; after an error the listing ends.
///
/// Blocks on `handle` like [`S3Source`](super::S3Source): use it from a thread that is not
/// running async code.
pub struct S3Listing {
    client: Client,
    handle: Handle,
    bucket: String,
    prefix: String,
    token: Option<String>,
    page: VecDeque<S3Object>,
    done: bool,
}

impl S3Listing {
    /// Lists `s3://bucket/prefix*`.
    pub fn new(client: Client, handle: Handle, bucket: impl Into<String>, prefix: impl Into<String>) -> Self {
        S3Listing {
            client,
            handle,
            bucket: bucket.into(),
            prefix: prefix.into(),
            token: None,
            page: VecDeque::new(),
            done: false,
        }
    }

    /// Fetches the next page into `self.page`.
    fn fetch(&mut self) -> io::Result<()> {
        let request = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&self.prefix)
            .set_continuation_token(self.token.take());
        let resp = self.handle.block_on(request.send()).map_err(|e| {
            let kind = match e.code() {
                Some("NoSuchBucket") => io::ErrorKind::NotFound,
                Some("AccessDenied") => io::ErrorKind::PermissionDenied,
                _ => io::ErrorKind::Other,
            };
            io::Error::new(
                kind,
                format!("s3://{}/{}: listing: {}", self.bucket, self.prefix, DisplayErrorContext(&e)),
            )
        })?;
        for obj in resp.contents() {
            let Some(key) = obj.key().filter(|k| !k.ends_with('/')) else { continue };
            let size = obj.size().and_then(|n| u64::try_from(n).ok());
            self.page.push_back(S3Object::new(self.bucket.clone(), key).with_known_size(size));
        }
        self.token = resp.next_continuation_token().map(str::to_owned);
        // A truncated page without a token would list the first page again: stop instead.
        self.done = !resp.is_truncated().unwrap_or(false) || self.token.is_none();
        Ok(())
    }
}

impl Iterator for S3Listing {
    type Item = io::Result<S3Object>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(obj) = self.page.pop_front() {
                return Some(Ok(obj));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(e));
            }
        }
    }
}
