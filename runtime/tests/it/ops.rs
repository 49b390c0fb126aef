//! Hand-written operations, as the generator would emit them, and clients tuned for fast tests.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use mews_connector_runtime::{
    Client, ClientBuilder, Environment, OpenEnum, Operation, OperationInfo, PagedItems,
    PagedRequest, PagedResponse, RateLimits, RetryPolicy, Safety, SingleListPage, UnknownValue,
    Validate, Validator, open_enum,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tracing_subscriber::fmt::format::FmtSpan;

use loopback::Server;

pub const CLIENT_TOKEN: &str = "CT-E0D439EE522F44368DC78E1BFB03710C";
pub const ACCESS_TOKEN: &str = "AT-C66EF7B239D24632943D115EDE9CB810";

/// Everything any test of this binary traced, at `TRACE` level, from one global subscriber.
///
/// Global rather than scoped: `tracing` caches a callsite's interest when it is first hit, and a
/// callsite first hit on another test's thread (with no scoped subscriber there) would stay
/// disabled for the scoped one. Every client of these tests is built after this ran.
pub fn trace_output() -> &'static TraceBuffer {
    static BUFFER: OnceLock<TraceBuffer> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let buffer = TraceBuffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        buffer
    })
}

/// A shared, growing buffer of trace output.
#[derive(Clone, Default)]
pub struct TraceBuffer(Arc<Mutex<Vec<u8>>>);

impl TraceBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl Write for TraceBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A builder for `server` with fast retries (10–40 ms backoff), short timeouts and the default limits.
pub fn builder(server: &Server) -> ClientBuilder {
    trace_output();
    ClientBuilder::new(
        Environment::Custom(server.base_url.clone()),
        CLIENT_TOKEN,
        ACCESS_TOKEN,
        "Runtime Tests 1.0",
    )
    .retry(fast_retries())
    .connect_timeout(Duration::from_secs(2))
    .request_timeout(Duration::from_secs(5))
    .timeout(Duration::from_secs(10))
}

pub fn client(server: &Server) -> Client {
    builder(server).build().expect("client")
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
        .max_retry_after(Duration::from_secs(5))
}

/// A client without client-side limits, for tests that count on sending at once.
pub fn unlimited(server: &Server) -> Client {
    builder(server)
        .rate_limits(RateLimits::disabled())
        .build()
        .expect("client")
}

/// A read: `things/get`, safe.
#[derive(Clone, Debug, Serialize)]
pub struct GetThing {
    #[serde(rename = "Id")]
    pub id: u64,
}

/// A write: `things/add`, unsafe.
#[derive(Clone, Debug, Serialize)]
pub struct AddThing {
    #[serde(rename = "Id")]
    pub id: u64,
    #[serde(rename = "Names")]
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Thing {
    #[serde(rename = "Id")]
    pub id: u64,
    #[serde(rename = "Kind", default)]
    pub kind: Option<Kind>,
}

/// An open enum, as generated.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Room,
    Bed,
    Unknown(UnknownValue),
}

impl OpenEnum for Kind {
    fn from_wire(value: &str) -> Self {
        match value {
            "Room" => Kind::Room,
            "Bed" => Kind::Bed,
            other => Kind::Unknown(UnknownValue::new(other)),
        }
    }
    fn wire(&self) -> &str {
        match self {
            Kind::Room => "Room",
            Kind::Bed => "Bed",
            Kind::Unknown(value) => value.as_str(),
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        open_enum::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        open_enum::deserialize(deserializer)
    }
}

impl Validate for GetThing {
    fn validate(&self, _: &mut Validator) {}
}

impl Validate for AddThing {
    fn validate(&self, validator: &mut Validator) {
        validator.max_items("Names", self.names.len(), 3);
        for (i, name) in self.names.iter().enumerate() {
            validator.max_length(&format!("Names[{i}]"), name, 5);
        }
    }
}

impl Operation for GetThing {
    type Response = Thing;
    const INFO: OperationInfo = OperationInfo {
        id: "things/get",
        path: "/api/connector/v1/things/get",
        safety: Safety::Safe,
        paginated: false,
    };
}

impl Operation for AddThing {
    type Response = Thing;
    const INFO: OperationInfo = OperationInfo {
        id: "things/add",
        path: "/api/connector/v1/things/add",
        safety: Safety::Unsafe,
        paginated: false,
    };
}

pub const GET_PATH: &str = "/api/connector/v1/things/get";
pub const ADD_PATH: &str = "/api/connector/v1/things/add";
pub const LIST_PATH: &str = "/api/connector/v1/things/getAll";

/// A paginated read: `things/getAll` with a `Limitation`.
#[derive(Clone, Debug, Serialize)]
pub struct ListThings {
    #[serde(rename = "Limitation")]
    pub limitation: Limitation,
}

#[derive(Clone, Debug, Serialize)]
pub struct Limitation {
    #[serde(rename = "Count")]
    pub count: u64,
    #[serde(rename = "Cursor", skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ThingPage {
    #[serde(rename = "Things")]
    pub things: Vec<Thing>,
    #[serde(rename = "Cursor")]
    pub cursor: Option<String>,
}

impl Validate for ListThings {
    fn validate(&self, _: &mut Validator) {}
}

impl Operation for ListThings {
    type Response = ThingPage;
    const INFO: OperationInfo = OperationInfo {
        id: "things/getAll",
        path: LIST_PATH,
        safety: Safety::Safe,
        paginated: true,
    };
}

impl PagedRequest for ListThings {
    fn set_cursor(&mut self, cursor: Option<String>) {
        self.limitation.cursor = cursor;
    }
    fn page_size(&self) -> Option<u64> {
        Some(self.limitation.count)
    }
}

impl PagedResponse for ThingPage {
    fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
    fn item_count(&self) -> usize {
        self.things.len()
    }
}

impl PagedItems for ThingPage {
    type Item = Thing;
    fn take_items(&mut self) -> Vec<Thing> {
        std::mem::take(&mut self.things)
    }
}

impl SingleListPage for ThingPage {}

/// The `Id` a request carried, for echoing servers.
pub fn id_of(request: &loopback::Request) -> u64 {
    request.json()["Id"].as_u64().unwrap_or(u64::MAX)
}

pub fn thing(id: u64) -> String {
    format!(r#"{{"Id":{id},"Kind":"Room"}}"#)
}
