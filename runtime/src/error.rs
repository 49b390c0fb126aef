//! The one error type of the client. Messages name the operation and never contain tokens.
//!
//! Each variant's documentation says what happened and what to do about it.

use std::fmt;
use std::time::Duration;

use super::validate::Violation;
use super::values::Json;

/// The result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call can fail with. `operation` is the operation's id (`messages/getAll`).
///
/// No variant ever holds a token: texts from the server or the network are scrubbed of both tokens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent (DNS, connection refused, connect timeout, TLS); nothing
    /// reached the server. Reads were already retried; a write may safely be sent again.
    #[error("`{operation}`: could not reach the Mews API: {message}")]
    Transport {
        /// The operation's id.
        operation: &'static str,
        /// What failed, from the network stack or the decoder.
        message: String,
    },
    /// The connection failed after the request was sent: the server may or may not have processed it.
    /// Writes are never resent automatically; reconcile (e.g. read back) before retrying. For reads
    /// (already retried) the outcome does not matter: try again later.
    #[error(
        "`{operation}`: the connection failed after the request was sent, so its outcome is unknown: {message}"
    )]
    OutcomeUnknown {
        /// The operation's id.
        operation: &'static str,
        /// What failed, from the network stack or the decoder.
        message: String,
    },
    /// No complete response within the configured time: `after` is how long the call had run when it
    /// gave up (per-attempt timeout on a write or on the last attempt, or the overall timeout). For a
    /// write the outcome is unknown, as with [`Error::OutcomeUnknown`].
    #[error("`{operation}`: no response within {after:?}")]
    Timeout {
        /// The operation's id.
        operation: &'static str,
        /// How long the call had run.
        after: Duration,
    },
    /// The response body did not match the generated types; `path` is the JSON path (`Items[3].Id`).
    /// Not retried. Usually the API changed: report it, or update the client.
    #[error("`{operation}`: could not decode the response at `{path}`: {message}")]
    Decode {
        /// The operation's id.
        operation: &'static str,
        /// The JSON path of the value that did not decode.
        path: String,
        /// What failed, from the network stack or the decoder.
        message: String,
    },
    /// The response body was larger than the configured limit; it was not read to the end.
    /// Not retried: ask for less (a smaller `Limitation.Count`) or raise `max_body_bytes`.
    #[error("`{operation}`: the response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The operation's id.
        operation: &'static str,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// The request breaks contracts from the docs (`max N items`…); it was not sent. `violations`
    /// lists every broken contract with its JSON path. Fix the request, or send it anyway with
    /// [`CallOptions::skip_validation`](super::CallOptions::skip_validation).
    #[error("`{operation}`: the request breaks {} contract(s): {}", violations.len(), join(violations))]
    Validation {
        /// The operation's id.
        operation: &'static str,
        /// Every broken contract.
        violations: Vec<Violation>,
    },
    /// 408: the request takes too long to process. Retrying it unchanged will not help: split it into
    /// smaller batches (fewer identifiers, a shorter interval, a smaller `Count`).
    #[error(
        "`{operation}`: the request is too heavy (408), split it into smaller batches: {error}"
    )]
    RequestTooHeavy {
        /// The operation's id.
        operation: &'static str,
        /// The response: status, message, `RequestId`, details (boxed, to keep `Error` small).
        error: Box<ApiError>,
    },
    /// 409: the data changed since it was read. Not retried: refresh it and resubmit.
    #[error("`{operation}`: conflict (409), refresh the data and resubmit: {error}")]
    Conflict {
        /// The operation's id.
        operation: &'static str,
        /// The response: status, message, `RequestId`, details (boxed, to keep `Error` small).
        error: Box<ApiError>,
    },
    /// 429 after the configured retries (or with a `Retry-After` beyond the configured cap): too many
    /// requests. Slow down; `retry_after` in the [`ApiError`] says when the server accepts more.
    #[error("`{operation}`: too many requests (429): {error}")]
    RateLimited {
        /// The operation's id.
        operation: &'static str,
        /// The response: status, message, `RequestId`, details (boxed, to keep `Error` small).
        error: Box<ApiError>,
    },
    /// Any other error status (400, 401, 403, 404, 413, 5xx…). 5xx responses to reads were already
    /// retried; 4xx need a change to the request or the credentials.
    #[error("`{operation}`: {error}")]
    Api {
        /// The operation's id.
        operation: &'static str,
        /// The response: status, message, `RequestId`, details (boxed, to keep `Error` small).
        error: Box<ApiError>,
    },
    /// The client could not be built (TLS setup), a request could not be encoded, or the base address and
    /// the path do not make a URL.
    #[error("invalid client configuration: {0}")]
    Config(
        /// What is wrong.
        String,
    ),
}

impl Error {
    /// The operation that failed (`None` for [`Error::Config`]).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Transport { operation, .. }
            | Error::OutcomeUnknown { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::BodyTooLarge { operation, .. }
            | Error::Validation { operation, .. }
            | Error::RequestTooHeavy { operation, .. }
            | Error::Conflict { operation, .. }
            | Error::RateLimited { operation, .. }
            | Error::Api { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }

    /// The API's error details, for errors that carry a response.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::RequestTooHeavy { error, .. }
            | Error::Conflict { error, .. }
            | Error::RateLimited { error, .. }
            | Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, for errors that carry a response.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status)
    }

    /// The `RequestId` to quote to Mews support, when the API sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An error response of the API: its status and the documented body `{ Message, RequestId, Details }`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// `Message`: what went wrong, for people.
    pub message: Option<String>,
    /// `RequestId` (or the `Request-Id` header): quote it to Mews support.
    pub request_id: Option<String>,
    /// `Details`: more about the error, when the API gives any.
    pub details: Option<Json>,
    /// `Retry-After`, when the response had one (429).
    pub retry_after: Option<Duration>,
    /// The body as received, when it was not the documented JSON (an HTML page from a proxy…).
    pub raw_body: Option<String>,
}

/// Bodies kept in errors are cut to this many bytes.
const MAX_KEPT_BODY: usize = 4096;

impl ApiError {
    /// Reads an error body. Never fails: a body that is not the documented JSON is kept raw.
    pub fn from_response(
        status: u16,
        body: &[u8],
        request_id_header: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(rename = "Message", default)]
            message: Option<String>,
            #[serde(rename = "RequestId", default)]
            request_id: Option<String>,
            #[serde(rename = "Details", default)]
            details: Option<Json>,
        }
        match serde_json::from_slice::<Envelope>(body) {
            Ok(envelope) => ApiError {
                status,
                message: envelope.message,
                request_id: envelope.request_id.or(request_id_header),
                details: envelope.details.filter(|d| !d.is_null()),
                retry_after,
                raw_body: None,
            },
            Err(_) => {
                let mut end = body.len().min(MAX_KEPT_BODY);
                while end > 0 && std::str::from_utf8(&body[..end]).is_err() {
                    end -= 1;
                }
                let raw = String::from_utf8_lossy(&body[..end]).into_owned();
                ApiError {
                    status,
                    message: None,
                    request_id: request_id_header,
                    details: None,
                    retry_after,
                    raw_body: (!raw.is_empty()).then_some(raw),
                }
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if let Some(raw) = &self.raw_body {
            let snippet: String = raw.chars().take(200).collect();
            write!(f, ": {}", snippet.trim())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_parse_and_fall_back_to_raw() {
        let json = br#"{"Message":"Invalid AccessToken.","RequestId":"r-1","Details":null}"#;
        let e = ApiError::from_response(401, json, None, None);
        assert_eq!(e.message.as_deref(), Some("Invalid AccessToken."));
        assert_eq!(e.request_id.as_deref(), Some("r-1"));
        assert_eq!(
            e.to_string(),
            "status 401: Invalid AccessToken. (RequestId r-1)"
        );
        let html =
            ApiError::from_response(502, b"<html>Bad gateway</html>", Some("h-1".into()), None);
        assert_eq!(html.raw_body.as_deref(), Some("<html>Bad gateway</html>"));
        assert_eq!(html.request_id.as_deref(), Some("h-1"));
    }
}
