//! What the client refuses to do, whatever values the application passes
//! and whatever the server answers: send credentials to another origin or in
//! clear text, let a value change the request's host or path, or hold an
//! unbounded reply in memory.

use super::error::{BuildError, SendError};

/// The most redirects followed, all within the origin of the request.
const MAX_REDIRECTS: usize = 10;

/// A server-variable value, checked before it goes into the server URL (and
/// the token URL): it must stay inside its place in the host or path, so no
/// `/ ? # @ :`, `\`, `%`, whitespace or control character, and not empty.
#[doc(hidden)]
pub fn server_variable<'v>(name: &str, value: &'v str) -> Result<&'v str, BuildError> {
    let bad = value.is_empty()
        || value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@' | ':' | '\\' | '%'));
    if bad {
        return Err(BuildError::new(format!(
            "the server variable `{name}` cannot be {value:?}: a value may not be empty or hold `/ ? # @ : \\ %` or whitespace"
        )));
    }
    Ok(value)
}

/// Credentials go only over HTTPS, or plain HTTP to this machine, unless
/// the application allows plain HTTP (`allow_insecure_http`).
#[doc(hidden)]
pub fn check_secure(what: &str, url: &str, allow_http: bool) -> Result<(), BuildError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| BuildError::new(format!("the {what} `{url}` is not a valid URL: {e}")))?;
    if parsed.scheme() == "https" || allow_http || is_loopback(&parsed) {
        return Ok(());
    }
    Err(BuildError::new(format!(
        "the {what} `{url}` is not HTTPS, and credentials would be sent in clear text; \
         use HTTPS, or call `allow_insecure_http(true)` on the builder"
    )))
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || ip.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Follows redirects only within the origin (scheme, host and port) of the
/// request, so no header (an API key, a token) and no `Referer` reaches
/// another origin. A redirect elsewhere is not followed: its reply is the
/// answer, reported like any other status.
#[doc(hidden)]
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin || attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// A path whose values made a `.` or `..` segment, which URL parsing would
/// resolve away, sending the request to another path.
#[doc(hidden)]
pub fn check_path(path: &str, template: &str) -> Result<(), SendError> {
    let dots = |p: &str| p.split('/').filter(|s| *s == "." || *s == "..").count();
    if dots(path) > dots(template) {
        return Err(SendError::InvalidRequest(format!(
            "a path parameter of `{template}` is `.` or `..`, which would send the request to another path"
        )));
    }
    Ok(())
}

/// A cookie name or value with everything outside RFC 6265's cookie octets
/// (`;`, `,`, `"`, `\`, space, controls, non-ASCII) and `%` percent-encoded,
/// so a value cannot end its cookie and add another.
#[doc(hidden)]
pub fn encode_cookie(text: &str) -> String {
    const COOKIE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b',')
        .add(b';')
        .add(b'\\')
        .add(b'%');
    percent_encoding::utf8_percent_encode(text, COOKIE).to_string()
}

/// The whole body of `response`, refusing one larger than `limit` bytes as
/// soon as that is known: from `Content-Length`, or while reading. With
/// `hide_url`, an error does not name the URL (it holds a credential).
#[doc(hidden)]
pub async fn read_body(mut response: reqwest::Response, limit: u64, hide_url: bool) -> Result<bytes::Bytes, SendError> {
    let status = response.status();
    let failed = |e: reqwest::Error| SendError::from_reqwest(if hide_url { e.without_url() } else { e });
    let too_large = || SendError::TooLarge { status, limit, attempts: 1 };
    match response.content_length() {
        // The length is enforced by the HTTP layer: read in one piece, as
        // reqwest's own buffer (no copy).
        Some(length) if length <= limit => return response.bytes().await.map_err(failed),
        Some(_) => return Err(too_large()),
        None => {}
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_variables_stay_in_their_place() {
        assert!(server_variable("region", "mypurecloud.com").is_ok());
        for bad in ["", "evil.com/", "evil.com?", "x@evil.com", "evil.com#", "evil.com:8443", "a b", "a\nb", "%2F"] {
            assert!(server_variable("region", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn credentials_need_https_except_to_this_machine() {
        assert!(check_secure("base URL", "https://api.example.com", false).is_ok());
        assert!(check_secure("base URL", "http://127.0.0.1:8080", false).is_ok());
        assert!(check_secure("base URL", "http://localhost:8080", false).is_ok());
        assert!(check_secure("base URL", "http://[::1]:8080", false).is_ok());
        assert!(check_secure("base URL", "http://api.example.com", false).is_err());
        assert!(check_secure("base URL", "http://api.example.com", true).is_ok());
    }

    #[test]
    fn dot_segments_from_values_are_refused() {
        assert!(check_path("/users/../profile", "/users/{id}/profile").is_err());
        assert!(check_path("/users/./profile", "/users/{id}/profile").is_err());
        assert!(check_path("/users/..x/profile", "/users/{id}/profile").is_ok());
        assert!(check_path("/users/a.b/profile", "/users/{id}/profile").is_ok());
    }

    #[test]
    fn cookies_cannot_add_cookies() {
        assert_eq!(encode_cookie("a; admin=1"), "a%3B%20admin=1");
        assert_eq!(encode_cookie("plain-value_1.2"), "plain-value_1.2");
    }
}
