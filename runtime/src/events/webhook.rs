//! The webhook receiver kit: checks the shared secret in the request URL in constant time, caps the body,
//! and decodes it into any message type, independent of any web framework.
//!
//! Mews calls a webhook endpoint with `POST` and a JSON body, and proves it is Mews by a secret token the
//! integrator chose and put into the endpoint URL (the docs show the format only as an image, so the
//! receiver is told where it sits: [`SecretLocation`]). The endpoint must answer within **5 seconds**
//! (`events/wh-faq.md`), or Mews resends the message a few minutes later; so a handler should only
//! [`receive`](WebhookReceiver::receive) (or [`verify`](WebhookReceiver::verify)), hand the result off (a
//! channel, a queue) and answer `2xx` at once, doing any API calls afterwards. Each rejection says which
//! status to answer ([`WebhookRejection::status`]); an error status makes Mews resend the message later.

use std::fmt;

use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

pub use crate::secret::WebhookSecret;

/// Where the secret sits in the webhook URL registered with Mews.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretLocation {
    /// A query parameter of this name: `Query("token")` for `https://example.com/mews?token=SECRET`.
    /// Its value is percent-decoded (and `+` read as a space), as in a form. A parameter given more than
    /// once is rejected as [`WebhookRejection::WrongSecret`].
    Query(String),
    /// The path segment at this index, counting from 0 after the leading `/`: `PathSegment(1)` for
    /// `https://example.com/mews/SECRET/general`. The segment is percent-decoded.
    PathSegment(usize),
}

/// Why a webhook request was refused, with the status to answer ([`status`](Self::status)).
///
/// No variant holds the secret or any part of the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The URL has no secret where the receiver looks for it (or the URL could not be read). Answer 401.
    #[error("the webhook request carries no secret")]
    MissingSecret,
    /// The URL has a secret, and it is not the configured one. Answer 403.
    #[error("the webhook request carries a wrong secret")]
    WrongSecret,
    /// The body is larger than the receiver's limit; it was not decoded. Answer 413.
    #[error("the webhook body has {size} bytes, over the limit of {limit}")]
    BodyTooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The receiver's limit in bytes.
        limit: usize,
    },
    /// The body is not JSON (or is cut short); `line` and `column` locate the first bad character. Answer 400.
    #[error("the webhook body is not JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong, from the JSON parser.
        message: String,
    },
    /// The body is JSON but not the expected message; `path` is the JSON path of the value that did not
    /// decode (`Events[2].Value`). Answer 400, or accept and keep the raw body for later (see
    /// [`VerifiedBody`]) if resending it cannot help.
    #[error("the webhook body does not decode at `{path}`: {message}")]
    UnexpectedShape {
        /// The JSON path of the value that did not decode.
        path: String,
        /// What is wrong, from the decoder.
        message: String,
    },
}

impl WebhookRejection {
    /// The HTTP status to answer: 401 (missing secret), 403 (wrong secret), 413 (body too large), 400
    /// (not JSON, unexpected shape).
    pub fn status(&self) -> u16 {
        match self {
            WebhookRejection::MissingSecret => 401,
            WebhookRejection::WrongSecret => 403,
            WebhookRejection::BodyTooLarge { .. } => 413,
            WebhookRejection::NotJson { .. } | WebhookRejection::UnexpectedShape { .. } => 400,
        }
    }
}

/// Checks webhook requests from Mews: the secret in the URL, the body size, and the body's JSON.
///
/// ```
/// use mews_connector_runtime::events::{SecretLocation, WebhookReceiver};
///
/// let receiver = WebhookReceiver::new("s3cret", SecretLocation::Query("token".into()));
/// let body = br#"{"EnterpriseId": "e", "IntegrationId": "i", "Events": []}"#;
/// let message: serde_json::Value = receiver.receive("/mews/general?token=s3cret", body)?;
/// assert_eq!(message["EnterpriseId"], "e");
///
/// let wrong = receiver.receive::<serde_json::Value>("/mews/general?token=guess", body);
/// assert_eq!(wrong.map_err(|e| e.status()).err(), Some(403));
/// # Ok::<(), mews_connector_runtime::events::WebhookRejection>(())
/// ```
#[derive(Clone, Debug)]
pub struct WebhookReceiver {
    secret: WebhookSecret,
    location: SecretLocation,
    max_body_bytes: usize,
}

impl WebhookReceiver {
    /// The default body limit: 1 MiB.
    ///
    /// A General webhook carries at most "in the order of hundreds" of events (`events/wh-faq.md`), each
    /// about 100 bytes (a discriminator and an id), so tens of kilobytes; an Integration webhook carries
    /// one event. 1 MiB leaves a wide margin for growth while bounding what an unauthenticated caller can
    /// make the receiver hold. Change it with [`max_body_bytes`](Self::max_body_bytes).
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

    /// A receiver for the given secret at the given place in the URL, with the default body limit.
    ///
    /// An empty secret never matches: a receiver configured without one rejects every request.
    pub fn new(secret: impl Into<WebhookSecret>, location: SecretLocation) -> Self {
        WebhookReceiver {
            secret: secret.into(),
            location,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Sets the body limit in bytes. Give the same limit to the web framework, so that it stops reading
    /// a larger body before buffering it (see [`limit`](Self::limit)).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The body limit in bytes.
    pub fn limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Checks the secret of a request, given its URL (`https://host/path?query`) or its path and query
    /// (`/path?query`, as most frameworks hand it over). The comparison takes the same time whatever the
    /// secret's content (it only depends on the lengths).
    pub fn check_secret(&self, url: &str) -> Result<(), WebhookRejection> {
        let result = match find_secret(url, &self.location) {
            Found::None => Err(WebhookRejection::MissingSecret),
            Found::Many => Err(WebhookRejection::WrongSecret),
            Found::One(given) => {
                let expected = self.secret.expose().as_bytes();
                // `ct_eq` on slices of different lengths is false without looking at their content.
                let equal: bool = expected.ct_eq(given.as_bytes()).into();
                if equal && !expected.is_empty() {
                    Ok(())
                } else {
                    Err(WebhookRejection::WrongSecret)
                }
            }
        };
        if let Err(rejection) = &result {
            tracing::debug!(%rejection, "webhook request refused");
        }
        result
    }

    /// Checks the secret and the body size, and keeps the raw body for decoding later (after putting it on
    /// a queue, for example). The body is not parsed.
    pub fn verify<B>(&self, url: &str, body: B) -> Result<VerifiedBody, WebhookRejection>
    where
        B: AsRef<[u8]> + Into<Vec<u8>>,
    {
        self.check_secret(url)?;
        self.check_size(body.as_ref().len())?;
        Ok(VerifiedBody { bytes: body.into() })
    }

    /// Checks the secret and the body size, then decodes the body into `T` (the General or Integration
    /// webhook message, or [`serde_json::Value`]).
    pub fn receive<T: DeserializeOwned>(
        &self,
        url: &str,
        body: &[u8],
    ) -> Result<T, WebhookRejection> {
        self.check_secret(url)?;
        self.check_size(body.len())?;
        decode(body)
    }

    fn check_size(&self, size: usize) -> Result<(), WebhookRejection> {
        if size > self.max_body_bytes {
            let rejection = WebhookRejection::BodyTooLarge {
                size,
                limit: self.max_body_bytes,
            };
            tracing::debug!(%rejection, "webhook request refused");
            return Err(rejection);
        }
        Ok(())
    }
}

/// A webhook body whose request had the right secret and fitted the size limit, kept as received.
///
/// Its bytes can go on a queue (or to disk) as they are, and be decoded later with
/// [`decode`](Self::decode), or rebuilt with [`VerifiedBody::from_bytes`] when read back.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedBody {
    bytes: Vec<u8>,
}

impl VerifiedBody {
    /// Wraps bytes that were verified before (read back from a queue). Nothing is checked.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        VerifiedBody { bytes }
    }

    /// The body as received.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as received, without copying.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Decodes the body into `T`. Fails with [`WebhookRejection::NotJson`] or
    /// [`WebhookRejection::UnexpectedShape`] only.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, WebhookRejection> {
        decode(&self.bytes)
    }
}

impl fmt::Debug for VerifiedBody {
    /// The length only: bodies may hold personal data and, for Integration webhooks, an `AccessToken`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifiedBody({} bytes)", self.bytes.len())
    }
}

/// Decodes JSON into `T`, telling a body that is not JSON from one of another shape (with its path).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookRejection> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, inner) = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => return Ok(value),
            // Trailing characters: a syntax error, which has no path.
            Err(inner) => (String::new(), inner),
        },
        Err(error) => (error.path().to_string(), error.into_inner()),
    };
    Err(match inner.classify() {
        serde_json::error::Category::Data => WebhookRejection::UnexpectedShape {
            path,
            message: without_string_values(&inner.to_string()),
        },
        serde_json::error::Category::Io
        | serde_json::error::Category::Syntax
        | serde_json::error::Category::Eof => WebhookRejection::NotJson {
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
        },
    })
}

/// `message` with the text of every double-quoted value replaced by `…`. serde quotes the value that did not
/// decode (`invalid type: string "…", expected u32`), and a webhook body holds personal data and, in
/// Integration webhooks, an access token, which must not reach the receiver's logs. The path says where the
/// value is; names in backticks (fields, variants, numbers) stay.
fn without_string_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            // serde prints strings with `Debug`, which escapes quotes inside with `\`.
            let mut escaped = false;
            for c in chars.by_ref() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => break,
                    _ => {}
                }
            }
            out.push_str("…\"");
        }
    }
    out
}

enum Found {
    None,
    One(String),
    Many,
}

/// Reads the secret out of a URL or a path with a query. Works on any input: what cannot be read as a URL
/// has no secret.
fn find_secret(url: &str, location: &SecretLocation) -> Found {
    // A base makes a path and query (`/hook?token=…`) a URL; a full URL replaces it.
    let Ok(base) = url::Url::parse("http://webhook.invalid/") else {
        return Found::None;
    };
    let Ok(parsed) = base.join(url) else {
        return Found::None;
    };
    match location {
        SecretLocation::Query(name) => {
            let mut values = parsed
                .query_pairs()
                .filter(|(key, _)| key == name.as_str())
                .map(|(_, value)| value.into_owned());
            match (values.next(), values.next()) {
                (None, _) => Found::None,
                (Some(value), None) => Found::One(value),
                (Some(_), Some(_)) => Found::Many,
            }
        }
        SecretLocation::PathSegment(index) => parsed
            .path_segments()
            .and_then(|mut segments| segments.nth(*index))
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .map_or(Found::None, Found::One),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> WebhookReceiver {
        WebhookReceiver::new("s3cret/+=", SecretLocation::Query("token".into()))
    }

    #[test]
    fn the_secret_is_read_from_a_query_parameter_decoded() {
        let receiver = query();
        assert!(receiver.check_secret("/hook?token=s3cret%2F%2B%3D").is_ok());
        assert!(
            receiver
                .check_secret("https://example.com/hook?a=1&token=s3cret%2F%2B%3D#x")
                .is_ok()
        );
        let rejected = |url| receiver.check_secret(url).map_err(|e| e.status()).err();
        assert_eq!(rejected("/hook"), Some(401));
        assert_eq!(rejected("/hook?tokens=s3cret%2F%2B%3D"), Some(401));
        assert_eq!(rejected("/hook?token=s3cret"), Some(403));
        assert_eq!(rejected("/hook?token="), Some(403));
        assert_eq!(rejected("/hook?token=S3CRET%2F%2B%3D"), Some(403));
        assert_eq!(
            rejected("/hook?token=s3cret%2F%2B%3D&token=s3cret%2F%2B%3D"),
            Some(403)
        );
        // Odd input is just a missing or wrong secret.
        assert_eq!(rejected(""), Some(401));
        assert_eq!(rejected("http://[::1"), Some(401));
        assert_eq!(rejected("?token=%FF%FE"), Some(403));
    }

    #[test]
    fn the_secret_is_read_from_a_path_segment_decoded() {
        let receiver = WebhookReceiver::new("a b", SecretLocation::PathSegment(1));
        assert!(receiver.check_secret("/mews/a%20b/general").is_ok());
        assert!(
            receiver
                .check_secret("https://h:8080/mews/a%20b?x=y")
                .is_ok()
        );
        let rejected = |url| receiver.check_secret(url).map_err(|e| e.status()).err();
        assert_eq!(rejected("/mews"), Some(401));
        assert_eq!(rejected("/mews//general"), Some(401));
        assert_eq!(rejected("/mews/ab/general"), Some(403));
        assert_eq!(rejected("/a%20b/mews"), Some(403));
    }

    #[test]
    fn an_empty_secret_never_matches() {
        let receiver = WebhookReceiver::new("", SecretLocation::Query("token".into()));
        assert!(matches!(
            receiver.check_secret("/hook?token="),
            Err(WebhookRejection::WrongSecret)
        ));
    }

    #[test]
    fn bodies_over_the_limit_are_refused_before_decoding() {
        let receiver = query().max_body_bytes(4);
        let url = "/hook?token=s3cret%2F%2B%3D";
        let error = receiver.receive::<serde_json::Value>(url, b"[1,2]");
        assert!(matches!(
            error,
            Err(WebhookRejection::BodyTooLarge { size: 5, limit: 4 })
        ));
        assert!(receiver.verify(url, b"[12]".as_slice()).is_ok());
        assert_eq!(WebhookReceiver::DEFAULT_MAX_BODY_BYTES, 1 << 20);
        assert_eq!(query().limit(), 1 << 20);
    }

    #[test]
    fn decoding_tells_syntax_from_shape() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Message {
            #[serde(rename = "Events")]
            events: Vec<u32>,
        }
        let not_json = decode::<Message>(b"{\"Events\": [1,").map_err(|e| e.status());
        assert_eq!(not_json.err(), Some(400));
        assert!(matches!(
            decode::<Message>(b"<html>"),
            Err(WebhookRejection::NotJson {
                line: 1,
                column: 1,
                ..
            })
        ));
        assert!(matches!(
            decode::<Message>(b"{\"Events\": []} trailing"),
            Err(WebhookRejection::NotJson { .. })
        ));
        match decode::<Message>(b"{\"Events\": [1, \"two\"]}") {
            Err(WebhookRejection::UnexpectedShape { path, .. }) => assert_eq!(path, "Events[1]"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn shape_errors_name_the_path_but_not_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Message {
            #[serde(rename = "Events")]
            events: Vec<u32>,
        }
        let body = br#"{"Events": [1, "AccessToken \"s3cret\" here"]}"#;
        match decode::<Message>(body) {
            Err(rejection @ WebhookRejection::UnexpectedShape { .. }) => {
                let shown = format!("{rejection} {rejection:?}");
                assert!(
                    !shown.contains("s3cret") && !shown.contains("here"),
                    "{shown}"
                );
                assert!(
                    shown.contains("Events[1]") && shown.contains(r#"string "…""#),
                    "{shown}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            without_string_values(r#"a "b\"c" d "e" `f` "unterminated"#),
            r#"a "…" d "…" `f` "…""#
        );
    }

    #[test]
    fn nothing_prints_the_secret() {
        let receiver = query();
        assert!(!format!("{receiver:?}").contains("s3cret"));
        let body = receiver
            .verify("/hook?token=s3cret%2F%2B%3D", b"{}".as_slice())
            .map_err(|e| e.to_string());
        assert_eq!(format!("{body:?}"), "Ok(VerifiedBody(2 bytes))");
        for url in ["/hook?token=s3cret", "/hook?token=s3cret%2F%2B%3D&token=x"] {
            let error = receiver
                .check_secret(url)
                .err()
                .map(|e| (format!("{e:?}"), e.to_string()));
            let (debug, display) = error.unwrap_or_default();
            assert!(!debug.contains("s3cret") && !display.contains("s3cret"));
            assert!(!debug.is_empty());
        }
    }
}
