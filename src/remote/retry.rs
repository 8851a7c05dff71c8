//! When to try a request again, and how long to wait first: one policy for every remote
//! backend.
//!
//! Object stores and web servers fail transiently (a dropped connection, a timeout, 503
//! "slow down"); a retry a moment later usually succeeds. Waits grow exponentially, with
//! jitter, so that many clients failing together do not retry together.

use std::hash::{BuildHasher, Hasher};
use std::io;
use std::time::{Duration, Instant};

/// How often, after how long, and with what per-request timeout a remote source retries.
///
/// ```
/// use std::time::Duration;
/// use metasift::remote::RetryPolicy;
/// let fast = RetryPolicy::default()
///     .with_attempts(3)
///     .with_backoff(Duration::from_millis(1), Duration::from_millis(10))
///     .with_timeout(Duration::from_secs(2));
/// assert_eq!(fast.attempts, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most attempts per request, the first included (at least one is always made).
    pub attempts: u32,
    /// Wait before the first retry; each further retry doubles it, up to `max_delay`.
    /// The wait actually taken is between half of it and all of it (jitter).
    pub base_delay: Duration,
    /// Longest wait between two attempts.
    pub max_delay: Duration,
    /// Longest wait, per attempt, for a connection, for a response's headers, and between
    /// two pieces of a body: a stalled transfer times out, a long one that makes progress
    /// does not.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What one attempt came to.
#[derive(Debug)]
pub enum Attempt<T> {
    /// It worked.
    Done(T),
    /// A transient failure (connection lost, timeout, 429, 5xx): worth another attempt.
    Retry(io::Error),
    /// A final answer (404, 403, a changed object, a server that returned other bytes):
    /// another attempt would get the same.
    Fail(io::Error),
}

impl<T> Attempt<T> {
    /// The value of a successful attempt, changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attempt<U> {
        match self {
            Attempt::Done(v) => Attempt::Done(f(v)),
            Attempt::Retry(e) => Attempt::Retry(e),
            Attempt::Fail(e) => Attempt::Fail(e),
        }
    }
}

impl RetryPolicy {
    /// Sets [`RetryPolicy::attempts`].
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Sets [`RetryPolicy::base_delay`] and [`RetryPolicy::max_delay`].
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// Sets [`RetryPolicy::timeout`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry): the exponential
    /// delay, capped, of which a random half is kept (so waits never collapse to zero).
    pub fn delay(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(30);
        let full = self.base_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let half = full / 2;
        let spread = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if spread == 0 { 0 } else { random() % spread };
        half + Duration::from_nanos(jitter)
    }

    /// Runs `attempt` until it is done, fails for good, or the attempts run out; it gets
    /// the attempt's number (0 for the first). The error of the last attempt is returned,
    /// saying how many were made when there were several.
    pub fn run<T>(&self, mut attempt: impl FnMut(u32) -> Attempt<T>) -> io::Result<T> {
        let attempts = self.attempts.max(1);
        let mut n = 0;
        loop {
            let err = match attempt(n) {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e) => e,
            };
            n += 1;
            if n >= attempts {
                return Err(after_attempts(err, n));
            }
            sleep(self.delay(n));
        }
    }
}

/// Whether an HTTP status is worth retrying: too many requests, and the server errors
/// that say "not now" rather than "never". Other 4xx answers are final.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// `err`, its message saying that it came after `n` attempts.
fn after_attempts(err: io::Error, n: u32) -> io::Error {
    if n <= 1 {
        return err;
    }
    io::Error::new(err.kind(), format!("{err} (after {n} attempts)"))
}

/// Sleeps for `d`, resuming if woken early.
fn sleep(d: Duration) {
    let until = Instant::now() + d;
    let mut now = Instant::now();
    while now < until {
        std::thread::sleep(until - now);
        now = Instant::now();
    }
}

/// A random number for jitter. Not cryptographic: std's hasher keys are random per
/// process and advance on every `RandomState::new()`, which is all jitter needs (no
/// dependency for it).
fn random() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    h.write_u128(nanos.as_nanos());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn quick() -> RetryPolicy {
        RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(4))
    }

    #[test]
    fn delays_grow_are_capped_and_jittered() {
        let p = RetryPolicy::default();
        for retry in 1..40 {
            let d = p.delay(retry);
            let full = (p.base_delay * 2u32.pow(retry.min(30) - 1)).min(p.max_delay);
            assert!(d >= full / 2 && d <= full, "retry {retry}: {d:?} outside [{:?}, {full:?}]", full / 2);
        }
        let spread: std::collections::HashSet<Duration> = (0..20).map(|_| p.delay(3)).collect();
        assert!(spread.len() > 1, "jitter varies the waits");
    }

    #[test]
    fn retries_transient_failures_until_done() {
        let calls = Cell::new(0);
        let got = quick().run(|n| {
            calls.set(calls.get() + 1);
            if n < 2 { Attempt::Retry(io::Error::other("503")) } else { Attempt::Done(n) }
        });
        assert_eq!(got.ok(), Some(2));
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn stops_at_final_failures_and_after_the_last_attempt() {
        let calls = Cell::new(0);
        let got: io::Result<()> = quick().run(|_| {
            calls.set(calls.get() + 1);
            Attempt::Fail(io::Error::new(io::ErrorKind::NotFound, "404"))
        });
        assert_eq!(got.map_err(|e| e.kind()).err(), Some(io::ErrorKind::NotFound));
        assert_eq!(calls.get(), 1);

        calls.set(0);
        let got: io::Result<()> = quick().with_attempts(3).run(|_| {
            calls.set(calls.get() + 1);
            Attempt::Retry(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        });
        let err = got.err().map(|e| (e.kind(), e.to_string()));
        assert_eq!(err, Some((io::ErrorKind::TimedOut, "timed out (after 3 attempts)".into())));
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn statuses_worth_retrying() {
        for s in [429, 500, 502, 503, 504] {
            assert!(retryable_status(s), "{s}");
        }
        for s in [200, 206, 400, 403, 404, 412, 416, 501] {
            assert!(!retryable_status(s), "{s}");
        }
    }
}
