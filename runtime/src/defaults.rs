//! The runtime's defaults, in one place. The generator reads this file when
//! it writes a client's docs and README, so changing a value here changes
//! what every regenerated client says about it.
//!
//! Keep each value a plain literal (`Duration::from_secs(30)`,
//! `Duration::from_millis(200)`, an integer, or `n << 20` bytes): the
//! generator reads exactly those forms, and its tests fail on others.

use std::time::Duration;

/// Attempts per request, the first one included.
pub const ATTEMPTS: u32 = 3;
/// The wait before the first retry, doubled for each further one.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(200);
/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// The longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How long one attempt may take in all, from connecting to the last byte.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest reply body read, in bytes.
pub const MAX_RESPONSE_SIZE: u64 = 64 << 20;
/// The wait before the first poll of a long-running operation, doubled for
/// each further one.
pub const POLL_INITIAL_DELAY: Duration = Duration::from_millis(500);
/// The longest wait between two polls.
pub const POLL_MAX_DELAY: Duration = Duration::from_secs(10);
/// How long polling goes on before giving up.
pub const POLL_DEADLINE: Duration = Duration::from_secs(300);
