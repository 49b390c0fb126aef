//! What the runtime needs to know about an operation: implemented by every generated request type.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::validate::Validate;

/// Whether an operation can be repeated without changing the outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Safety {
    /// A read: retried after transient failures (5xx, connection errors).
    Safe,
    /// A write: retried only when the server processed nothing (429), unless the caller opts in.
    Unsafe,
}

/// Static facts about an operation, built by generated code in a `const`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The endpoint without its prefix (`messages/getAll`); also the name in traces and errors.
    pub id: &'static str,
    /// The request path (`/api/connector/v1/messages/getAll`).
    pub path: &'static str,
    /// Whether the operation reads ([`Safety::Safe`]) or writes; decides what is retried.
    pub safety: Safety,
    /// Paginated operations have ten times the request limit.
    pub paginated: bool,
}

/// A request body of one operation. Generated for every operation's request type.
pub trait Operation: Serialize + Validate + Send + Sync {
    /// The response body type.
    type Response: DeserializeOwned + Send + 'static;
    /// The operation's static facts.
    const INFO: OperationInfo;
}
