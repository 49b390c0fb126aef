//! Every operation's default answer through the client, for the generated `tests/mock.rs`: each
//! operation is called on a mock and its documented response example must decode as the client decodes
//! it. Not part of the client's API.
#![doc(hidden)]

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use super::MockServer;
use crate::client::Client;
use crate::examples::INJECTED;
use crate::operation::Operation;
use crate::validate::{Validate, Validator};
use crate::values::{Json, JsonObject};

/// Any JSON object sent as operation `O` (its response type decoding the answer).
struct Raw<O> {
    body: JsonObject,
    operation: PhantomData<fn() -> O>,
}

impl<O> Serialize for Raw<O> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

impl<O> Validate for Raw<O> {
    fn validate(&self, _: &mut Validator) {}
}

impl<O: Operation> Operation for Raw<O> {
    type Response = O::Response;
    const INFO: crate::OperationInfo = O::INFO;
}

/// Two mocks and their clients: one checking requests as the API does, one taking any body.
pub struct Tally {
    strict: (MockServer, Client),
    lenient: (MockServer, Client),
    /// Operations called with their documented request example, which the strict mock accepted.
    pub typed: usize,
    /// Operations called with a body their request type does not take (their example, or `{}`).
    pub raw: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Starts the two mocks.
    pub async fn start(strict: MockServer, lenient: MockServer) -> Tally {
        lenient.accept_any_request();
        let (strict_client, lenient_client) = (strict.runtime_client(), lenient.runtime_client());
        Tally {
            strict: (strict, strict_client),
            lenient: (lenient, lenient_client),
            typed: 0,
            raw: 0,
            failures: Vec::new(),
        }
    }

    /// Calls `O`: with its request example when that decodes into `O` (the strict mock must accept it),
    /// else with the example's body, or `{}`, on the lenient mock. The answer must decode.
    pub async fn check<O: Operation + DeserializeOwned>(
        &mut self,
        location: &str,
        request_example: Option<&str>,
    ) {
        let mut body = request_example
            .and_then(|text| serde_json::from_str::<Json>(text).ok())
            .and_then(|json| match json {
                Json::Object(map) => Some(map),
                _ => None,
            })
            .unwrap_or_default();
        body.retain(|key, _| !INJECTED.contains(&key.as_str()));
        let typed = O::deserialize(&Json::Object(body.clone()))
            .ok()
            .filter(|request| crate::validate::validate(request).is_ok());
        let result = match typed {
            Some(request) => {
                self.typed += 1;
                self.strict.1.send(&request).await.map(drop)
            }
            None => {
                self.raw += 1;
                let raw = Raw::<O> {
                    body,
                    operation: PhantomData,
                };
                self.lenient.1.send(&raw).await.map(drop)
            }
        };
        if let Err(error) = result {
            self.failures
                .push(format!("{location} ({}): {error}", O::INFO.id));
        }
    }

    /// Prints the tally and panics listing every failure.
    pub fn finish(self) {
        let refused = self.strict.0.rejected() + self.lenient.0.rejected();
        println!(
            "{} operations answered their example through the client: {} with their request example, {} with another body; {} failed; {refused} requests refused",
            self.typed + self.raw,
            self.typed,
            self.raw,
            self.failures.len(),
        );
        assert!(
            self.failures.is_empty() && refused == 0,
            "operations whose default answer fails:\n{}",
            self.failures.join("\n")
        );
    }
}
