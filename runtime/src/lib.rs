//! The hand-written runtime under the generated code: transport, credentials, errors, retries, rate
//! limits, pagination, validation and the serde helpers for open enums, coproducts and update values.
//!
//! A crate of its own, so that Cargo builds it once and in parallel with the generated types: `generated-client`
//! re-exports it as `mews_connector::runtime`, and crates that `cargo xtask regen --spec DIR --out DIR` makes
//! depend on it alone. Generated code names only items re-exported here. This crate never imports generated
//! code.
#![warn(missing_docs)]

mod client;
pub mod coproduct;
pub mod de;
mod decimal;
mod environment;
mod error;
pub mod events;
pub mod examples;
pub mod fetch;
mod hook;
mod json;
mod limit;
mod money;
pub mod open_enum;
mod operation;
mod pagination;
mod retry;
mod secret;
#[cfg(feature = "testing")]
pub mod testing;
pub mod validate;
mod values;

pub use client::{CallOptions, Client, ClientBuilder, ClientPool};
pub use coproduct::{Coproduct, UnknownVariant, Variant};
pub use decimal::{Decimal, DecimalError};
pub use environment::Environment;
pub use error::{ApiError, Error, Result};
pub use hook::{AttemptRequest, AttemptResponse, Hook};
pub use json::from_body;
pub use limit::{RateLimitUsage, RateLimits, RateWindow};
pub use money::{Currency, Money, MoneyError};
pub use open_enum::{OpenEnum, UnknownValue};
pub use operation::{Operation, OperationInfo, Safety};
pub use pagination::{
    Batch, Batches, Items, PagedItems, PagedRequest, PagedResponse, Pages, SingleListPage,
};
/// The HTTP client the transport is built on, for [`ClientBuilder::http_client`] and hook headers.
pub use reqwest;
pub use retry::RetryPolicy;
pub use secret::{AccessToken, ClientToken};
pub use validate::{Bounded, Interval, Validate, Validator, Violation};
pub use values::{Id, IdKind, Json, JsonObject, Lenient, Number, RawJson, Timestamp, UpdateValue};
