//! Plumbing shared by every operation: sending with retries and timeouts,
//! authentication, decoding replies, pagination and polling. The same files
//! go into every crate apigen generates.

mod auth;
mod error;
mod guard;
mod oauth;
mod paginate;
mod params;
mod poll;
mod response;
mod retry;
mod transport;

pub use auth::{AuthError, TokenFuture, TokenProvider};
pub(crate) use auth::Auth;
pub use error::{BuildError, Error};
pub(crate) use error::{Secret, SendError};
pub(crate) use guard::{check_secure, redirect_policy, server_variable};
pub(crate) use oauth::ClientCredentials;
pub(crate) use paginate::{items, pages, query_value, Paginated};
pub(crate) use params::{encode_segment, join_simple, json_values, Query, ToParam};
pub use poll::{PollError, PollOptions};
pub(crate) use poll::{poll, poll_state, PollState};
pub use response::{ApiError, ApiResponse};
pub(crate) use response::RawResponse;
pub use retry::RetryPolicy;
pub(crate) use transport::{send, Config, Request, RequestOptions};
