//! Long-running operations: submit, then poll a status until it settles.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use super::defaults;
use super::error::Error;
use super::response::ApiResponse;

/// How often and how long to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollOptions {
    initial_delay: Duration,
    max_delay: Duration,
    deadline: Duration,
}

impl Default for PollOptions {
    /// The runtime's defaults (its `defaults` module): first delay, longest wait and deadline.
    fn default() -> Self {
        PollOptions {
            initial_delay: defaults::POLL_INITIAL_DELAY,
            max_delay: defaults::POLL_MAX_DELAY,
            deadline: defaults::POLL_DEADLINE,
        }
    }
}

impl PollOptions {
    /// The wait before the first poll, doubled for each further one.
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest wait between polls.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How long to poll in all before giving up.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }
}

/// Why submitting and polling failed. `S` and `P` are the error enums of the
/// submitting and the polled operation, `T` the polled result.
#[derive(Debug)]
#[non_exhaustive]
pub enum PollError<S, P, T> {
    /// Submitting failed.
    Submit(Error<S>),
    /// The submit reply lacked what polling needs (such as the execution id).
    MissingId(&'static str),
    /// A poll failed.
    Poll(Error<P>),
    /// The operation finished with a failure status; the last reply says more.
    Failed(ApiResponse<T>),
    /// The deadline passed while the operation was still running.
    DeadlineExceeded(Option<ApiResponse<T>>),
}

impl<S: fmt::Debug, P: fmt::Debug, T> fmt::Display for PollError<S, P, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PollError::Submit(e) => write!(f, "submitting failed: {e}"),
            PollError::MissingId(what) => write!(f, "the submit reply has no `{what}` to poll with"),
            PollError::Poll(e) => write!(f, "polling failed: {e}"),
            PollError::Failed(_) => write!(f, "the operation finished with a failure status"),
            PollError::DeadlineExceeded(_) => write!(f, "the operation did not finish before the deadline"),
        }
    }
}

impl<S: fmt::Debug, P: fmt::Debug, T: fmt::Debug> std::error::Error for PollError<S, P, T> {}

/// Where a polled operation stands.
#[doc(hidden)]
pub enum PollState {
    Running,
    Done,
    Failed,
}

/// The state named by a status value: done and failed values as the spec lists them.
#[doc(hidden)]
pub fn poll_state(status: Option<&str>, done: &[&str], failed: &[&str]) -> PollState {
    match status {
        Some(s) if done.contains(&s) => PollState::Done,
        Some(s) if failed.contains(&s) => PollState::Failed,
        _ => PollState::Running,
    }
}

/// Calls `fetch` with growing waits until `state` says done or failed, or
/// the deadline passes.
#[doc(hidden)]
pub async fn poll<S, P, T, Fut>(
    options: &PollOptions,
    fetch: impl Fn() -> Fut,
    state: impl Fn(&T) -> PollState,
) -> Result<ApiResponse<T>, PollError<S, P, T>>
where
    Fut: Future<Output = Result<ApiResponse<T>, Error<P>>>,
{
    let deadline = Instant::now() + options.deadline;
    let mut delay = options.initial_delay;
    let mut last = None;
    loop {
        if Instant::now() + delay > deadline {
            return Err(PollError::DeadlineExceeded(last));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(options.max_delay);
        let reply = fetch().await.map_err(PollError::Poll)?;
        match state(reply.body()) {
            PollState::Done => return Ok(reply),
            PollState::Failed => return Err(PollError::Failed(reply)),
            PollState::Running => last = Some(reply),
        }
    }
}
