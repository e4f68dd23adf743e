//! The runtime of the API clients apigen generates: sending with retries and
//! timeouts, authentication (bearer tokens, token providers, OAuth 2 client
//! credentials), errors and replies, parameter encoding, pagination and
//! polling.
//!
//! A generated crate holds only what its spec decides (operations, types,
//! the client's builder) and re-exports what its users need from here, so
//! an application that uses several generated clients configures one
//! [`RetryPolicy`] and implements one [`TokenProvider`] for all of them.
//!
//! `apigen generate --vendor-runtime` copies these files into a crate
//! instead, for a client that depends on nothing of apigen's.
//!
//! The items of [`__private`] are for generated code only: they may change
//! in any release.

// The error type carries the reply's status, headers and body.
#![allow(clippy::result_large_err)]

mod auth;
mod body;
pub mod defaults;
mod double_option;
mod error;
mod form;
mod guard;
mod intercept;
#[cfg(feature = "mock")]
pub mod mock;
mod oauth;
mod object;
mod paginate;
mod params;
mod poll;
mod response;
mod retry;
mod settings;
mod transport;

pub use auth::{AuthError, TokenFuture, TokenProvider};
pub use body::{ByteStream, Upload};
// The chunks of a `ByteStream` and of `Upload::from_stream`.
pub use bytes::Bytes;
pub use error::{BuildError, Error, TransportError, TransportErrorKind};
pub use intercept::{AttemptOutcome, BoxError, Interceptor, OutgoingRequest};
pub use poll::{PollError, PollOptions};
pub use response::{ApiError, ApiResponse};
pub use retry::RetryPolicy;

/// What generated code uses and applications do not: not part of the
/// runtime's stable API.
#[doc(hidden)]
pub mod __private {
    pub use super::auth::{set_api_key, ApiKey, Auth, KeyPlace};
    pub use super::body::{Multipart, Payload};
    pub use super::error::{Secret, SendError};
    pub use super::form::{FormField, FormStyle};
    pub use super::guard::{check_secure, redirect_policy, server_variable};
    pub use super::intercept::Interceptors;
    /// `Option<Option<T>>` members: absent, `null`, or a value.
    pub mod double_option {
        pub use super::super::double_option::{deserialize, serialize};
    }
    pub use super::oauth::ClientCredentials;
    /// Decoding generated structs.
    pub mod object {
        pub use super::super::object::{deserialize, required, Object};
    }
    pub use super::paginate::{items, pages, query_value, Paginated};
    pub use super::params::{encode_segment, join_simple, json_values, Query, ToParam};
    pub use super::poll::{poll, poll_state, PollState};
    pub use super::response::RawResponse;
    pub use super::settings::{ClientSettings, SpecDefaults};
    pub use super::transport::{call, send, Config, Request, RequestOptions};
}
