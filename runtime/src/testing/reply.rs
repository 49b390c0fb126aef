//! What the mock answers one request with when a test overrides an operation: a value, a status with the
//! documented error body, extra headers (`Retry-After`), a delay, a dropped connection or a cut body.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::values::Json;

/// What the mock answers one request with. Built with the constructors below, then adjusted with
/// [`Reply::retry_after`], [`Reply::header`] and [`Reply::delay`].
///
/// ```
/// # use std::time::Duration;
/// # use mews_connector_runtime::testing::Reply;
/// let busy = Reply::error(429, "Too many requests").retry_after(1);
/// let slow = Reply::example().delay(Duration::from_millis(50));
/// # let _ = (busy, slow);
/// ```
#[derive(Clone, Debug)]
pub struct Reply {
    pub(super) kind: Kind,
    pub(super) headers: Vec<(String, String)>,
    pub(super) delay: Option<Duration>,
}

#[derive(Clone, Debug)]
pub(super) enum Kind {
    /// What the mock answers by default: the documented example, or a page of the loaded items.
    Default,
    /// A status with a JSON body.
    Body { status: u16, body: Arc<[u8]> },
    /// The documented error body with this message.
    Error { status: u16, message: String },
    /// The connection is reset after the request is read: no response at all.
    Drop,
    /// The default answer, its body cut in half (`Content-Length` promises all of it).
    Truncated,
}

impl Reply {
    fn of(kind: Kind) -> Reply {
        Reply {
            kind,
            headers: Vec::new(),
            delay: None,
        }
    }

    /// The default answer: the operation's documented response example, or a page of the items loaded
    /// with `MockServer::load`. Useful in a [`MockServer::script`](super::MockServer::script).
    pub fn example() -> Reply {
        Reply::of(Kind::Default)
    }

    /// `200 OK` with `value` as its JSON body (a response type of the operation, or anything else).
    pub fn ok<T: Serialize + ?Sized>(value: &T) -> Reply {
        Reply::json(200, &serde_json::to_value(value).unwrap_or(Json::Null))
    }

    /// Any status with any JSON body.
    pub fn json(status: u16, body: &Json) -> Reply {
        Reply::of(Kind::Body {
            status,
            body: Arc::from(body.to_string().into_bytes()),
        })
    }

    /// A status with the API's documented error body: `{"Message": …, "RequestId": …, "Details": null}`.
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::of(Kind::Error {
            status,
            message: message.into(),
        })
    }

    /// The connection is reset once the request is read: the client gets no response.
    pub fn drop_connection() -> Reply {
        Reply::of(Kind::Drop)
    }

    /// The default answer with its body cut in half: the connection closes before `Content-Length` bytes.
    pub fn truncated() -> Reply {
        Reply::of(Kind::Truncated)
    }

    /// Adds `Retry-After: seconds`.
    pub fn retry_after(self, seconds: u64) -> Reply {
        self.header("Retry-After", &seconds.to_string())
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Waits this long before answering (or dropping the connection); at most 10 s.
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }
}

/// The documented error body (`guidelines/responses.md`, "Error response details").
pub(super) fn error_body(message: &str, request_id: &str) -> Arc<[u8]> {
    let body = serde_json::json!({
        "Message": message,
        "RequestId": request_id,
        "Details": null,
    });
    Arc::from(body.to_string().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_carry_their_headers_and_delay() {
        let reply = Reply::error(429, "slow down")
            .retry_after(3)
            .delay(Duration::from_millis(5));
        assert!(matches!(reply.kind, Kind::Error { status: 429, .. }));
        assert_eq!(
            reply.headers,
            [("Retry-After".to_string(), "3".to_string())]
        );
        assert_eq!(reply.delay, Some(Duration::from_millis(5)));
        let body = error_body("m", "req-1");
        let json: Json = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Message": "m", "RequestId": "req-1", "Details": null})
        );
    }

    #[test]
    fn ok_serializes_the_value() {
        let Kind::Body { status, body } = Reply::ok(&serde_json::json!({"A": 1})).kind else {
            panic!("not a body");
        };
        assert_eq!((status, &*body), (200, &br#"{"A":1}"#[..]));
    }
}
