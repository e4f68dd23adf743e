//! When and how long to wait before trying a request again.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

use super::defaults;

/// How often a request is tried and how long the client waits in between.
///
/// A request is tried again after `429 Too Many Requests` or `503 Service
/// Unavailable`, and, for idempotent methods only (not POST or PATCH), after
/// a connection error. The wait doubles from `initial_backoff` up to
/// `max_backoff`, with random jitter, unless the server's `Retry-After`
/// (seconds or an HTTP date) says how long to wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// The runtime's defaults (its `defaults` module): attempts, backoff and the `Retry-After` cap.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: defaults::ATTEMPTS,
            initial_backoff: defaults::INITIAL_BACKOFF,
            max_backoff: defaults::MAX_BACKOFF,
            max_retry_after: defaults::MAX_RETRY_AFTER,
        }
    }
}

impl RetryPolicy {
    /// The default policy with `max_attempts` tries in all (at least 1).
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy { max_attempts: max_attempts.max(1), ..RetryPolicy::default() }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy::new(1)
    }

    /// The first wait, doubled for each further retry.
    pub fn with_initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait between attempts when the server gives no `Retry-After`.
    pub fn with_max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Tries in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait after failed attempt number `attempt` (1-based): exponential,
    /// with jitter between half and all of it.
    #[doc(hidden)]
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_backoff);
        capped.mul_f64(0.5 + 0.5 * random_unit())
    }

    /// The wait the server asked for, if it did, within `max_retry_after`.
    #[doc(hidden)]
    pub fn retry_after(&self, headers: &HeaderMap) -> Option<Duration> {
        let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
        let wait = match value.parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => {
                let at = httpdate::parse_http_date(value).ok()?;
                at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)
            }
        };
        Some(wait.min(self.max_retry_after))
    }
}

/// Statuses that say the request was not processed and may be sent again.
#[doc(hidden)]
pub fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
}

/// A number in [0, 1) for jitter; not for cryptography.
fn random_unit() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_bounds() {
        let policy = RetryPolicy::default();
        for attempt in 1..=10 {
            let wait = policy.backoff(attempt);
            let full = (Duration::from_millis(200) * 2u32.pow(attempt - 1)).min(Duration::from_secs(10));
            assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let policy = RetryPolicy::default();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(policy.retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(policy.retry_after(&headers), Some(Duration::from_secs(60)));
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
        headers.insert(RETRY_AFTER, soon.parse().unwrap());
        let wait = policy.retry_after(&headers).unwrap();
        assert!(wait <= Duration::from_secs(5) && wait >= Duration::from_secs(3), "{wait:?}");
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(policy.retry_after(&headers), Some(Duration::ZERO));
    }
}
