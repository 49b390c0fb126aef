//! A mock of the Mews Connector API for tests (`testing` feature): a loopback server that answers every
//! operation of a route table with its documented response example, checks what the real server checks,
//! pages over items a test loads, takes per-operation overrides and records the requests it accepted.
//!
//! The generated code supplies only the table (one [`Route`] per operation: its request type's check, its
//! response example and its paging fields) and names it with a marker type ([`MockApi`], which makes
//! [`ApiMockServer`] the crate's `MockServer`); everything here is hand-written and knows no operation.

mod api;
mod paging;
pub mod probe;
mod reply;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use loopback::{Action, Body, Server};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use api::{ApiMockServer, MockApi};
pub use paging::MAX_COUNT;
pub use reply::Reply;
use reply::{Kind, error_body};

use super::client::{Client, ClientBuilder};
use super::environment::Environment;
use super::operation::{Operation, OperationInfo};
use super::pagination::{PagedItems, PagedRequest};
use super::values::Json;

/// The `ClientToken` the mock accepts (the docs' sample, so that recorded bodies compare with the examples).
pub const CLIENT_TOKEN: &str = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D";
/// The `AccessToken` the mock accepts.
pub const ACCESS_TOKEN: &str = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D";
/// The `Client` (application name and version) the mock accepts.
pub const CLIENT_NAME: &str = "Sample Client 1.0.0";

/// One operation as the mock serves it. The generated table holds one per operation.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    info: OperationInfo,
    example: Option<&'static str>,
    paging: Option<Paging>,
    check: fn(&Json) -> Result<(), String>,
}

impl Route {
    /// The route of operation `O`: its request must decode into `O` and keep its contracts, and it answers
    /// `example` (the documented response example; `{}` when there is none) or pages as `paging` says.
    pub const fn new<O: Operation + DeserializeOwned>(
        example: Option<&'static str>,
        paging: Option<Paging>,
    ) -> Route {
        Route {
            info: O::INFO,
            example,
            paging,
            check: check_request::<O>,
        }
    }

    /// The operation.
    pub fn info(&self) -> &OperationInfo {
        &self.info
    }

    /// The documented response example it answers by default.
    pub fn example(&self) -> Option<&'static str> {
        self.example
    }

    /// Its paging fields, when it is paginated.
    pub fn paging(&self) -> Option<&Paging> {
        self.paging.as_ref()
    }
}

/// The wire names of a paginated operation's paging fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The request's limitation object (`Limitation`).
    pub limitation: &'static str,
    /// Its page size (`Count`).
    pub count: &'static str,
    /// Its cursor (`Cursor`).
    pub cursor: &'static str,
    /// The response's cursor (`Cursor`).
    pub response_cursor: &'static str,
    /// The response list pages are made of, when the docs say which (`Messages`).
    pub list: Option<&'static str>,
}

/// Decodes a request body into `O` (tokens and all: request types ignore what they do not know) and checks
/// its documented contracts; the error is the 400's message.
fn check_request<O: Operation + DeserializeOwned>(body: &Json) -> Result<(), String> {
    let request: O = serde_path_to_error::deserialize(body)
        .map_err(|e| format!("Invalid request: `{}`: {}", e.path(), e.inner()))?;
    super::validate::validate(&request).map_err(|violations| {
        let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
        format!("Invalid request: {}", list.join("; "))
    })
}

/// A request the mock accepted.
#[derive(Clone, Debug)]
struct Recorded {
    path: &'static str,
    id: &'static str,
    body: Json,
}

#[derive(Default)]
struct State {
    items: HashMap<&'static str, Vec<Json>>,
    queued: HashMap<&'static str, VecDeque<Reply>>,
    always: HashMap<&'static str, Reply>,
    recorded: Vec<Recorded>,
    rejected: usize,
    lenient: bool,
    /// `AccessToken`s accepted besides [`ACCESS_TOKEN`].
    access_tokens: HashSet<String>,
    /// `AccessToken`s refused from now on, as after a rotation.
    revoked: HashSet<String>,
}

/// The routes and what tests set up; shared with the server's handler.
struct Mock {
    /// In the table's order.
    table: Vec<Route>,
    /// Path → index in `table`.
    routes: HashMap<&'static str, usize>,
    state: Mutex<State>,
}

/// A mock of the Mews Connector API on 127.0.0.1 (an ephemeral port); it stops when dropped.
///
/// - Every operation answers its documented response example by default.
/// - Like the real server it takes only `POST`, refuses a body without this mock's `ClientToken`,
///   `AccessToken` and `Client` ([`CLIENT_TOKEN`], [`ACCESS_TOKEN`], [`CLIENT_NAME`]) with a 401, and one that
///   does not decode into the operation's request type or breaks its documented contracts with a 400, both
///   with the documented error body `{"Message", "RequestId", "Details"}`.
/// - Items loaded with [`MockServer::load`] are paged for real: `Limitation.Count` (1 to 1000, else 400) and
///   `Cursor` are honoured, and every page has a `Cursor`, the last one too, as the API does.
/// - [`MockServer::respond`], [`MockServer::respond_once`] and [`MockServer::script`] override what an
///   operation answers ([`Reply`]: a value, an error status, `Retry-After`, a delay, a dropped connection,
///   a cut body).
/// - [`MockServer::requests`] reads the accepted requests back as typed values.
pub struct MockServer {
    server: Server,
    mock: Arc<Mock>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.server.base_url)
            .field("routes", &self.mock.table.len())
            .finish()
    }
}

impl MockServer {
    /// Starts a mock serving `routes` on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// When 127.0.0.1 cannot be bound: no test can run without it.
    pub async fn start_with(routes: &[Route]) -> MockServer {
        let mock = Arc::new(Mock {
            table: routes.to_vec(),
            routes: routes
                .iter()
                .enumerate()
                .map(|(index, r)| (r.info.path, index))
                .collect(),
            state: Mutex::new(State::default()),
        });
        let handler = mock.clone();
        let server = Server::start(move |request, index| {
            handler.answer(&request.method, &request.path, &request.body, index)
        })
        .await;
        MockServer { server, mock }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    /// The operations it serves, in the table's order.
    pub fn routes(&self) -> &[Route] {
        &self.mock.table
    }

    /// A client builder pointed at the mock with its tokens, to change the client's settings (retries,
    /// timeouts) before building. The client-side rate limit is off, so that tests never wait for it; set
    /// [`ClientBuilder::rate_limits`] to test pacing.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(
            Environment::Custom(self.server.base_url.clone()),
            CLIENT_TOKEN,
            ACCESS_TOKEN,
            CLIENT_NAME,
        )
        .no_rate_limit()
    }

    /// A builder of a client for many `AccessToken`s ([`ClientBuilder::multi_property`]) pointed at the mock,
    /// with its `ClientToken` and client name and without the client-side rate limit. The mock accepts the
    /// tokens given to [`MockServer::accept_access_tokens`].
    pub fn pool_builder(&self) -> ClientBuilder {
        Client::multi_property(
            Environment::Custom(self.server.base_url.clone()),
            CLIENT_TOKEN,
            CLIENT_NAME,
        )
        .no_rate_limit()
    }

    /// Accepts these `AccessToken`s too (one per property of a multi-property integration).
    pub fn accept_access_tokens<T: Into<String>>(&self, tokens: impl IntoIterator<Item = T>) {
        let mut state = self.state();
        for token in tokens {
            let token = token.into();
            state.revoked.remove(&token);
            state.access_tokens.insert(token);
        }
    }

    /// Refuses `token` from now on with a 401 `Invalid AccessToken`, as the API does with a token replaced
    /// by a new one.
    pub fn revoke_access_token(&self, token: impl Into<String>) {
        self.state().revoked.insert(token.into());
    }

    /// The runtime client of [`MockServer::client_builder`].
    ///
    /// # Panics
    ///
    /// When the client cannot be built, which only a broken TLS set-up can cause (the mock itself is
    /// plain HTTP).
    pub fn runtime_client(&self) -> Client {
        #[allow(clippy::expect_used)] // Documented: nothing a test passes can make this fail.
        self.client_builder()
            .build()
            .expect("a client for the mock")
    }

    /// Loads the items operation `O` pages over; from now on its answers are pages of them (replacing
    /// what was loaded before). The rest of each page is the documented example, with its other lists
    /// emptied.
    pub fn load<O>(&self, items: impl IntoIterator<Item = <O::Response as PagedItems>::Item>)
    where
        O: PagedRequest,
        O::Response: PagedItems,
        <O::Response as PagedItems>::Item: Serialize,
    {
        let items = items
            .into_iter()
            .map(|item| serde_json::to_value(&item).unwrap_or(Json::Null))
            .collect();
        self.state().items.insert(O::INFO.path, items);
    }

    /// Every request to `O` from now on gets `reply` (after the queued ones of
    /// [`MockServer::respond_once`] and [`MockServer::script`]).
    pub fn respond<O: Operation>(&self, reply: Reply) {
        self.state().always.insert(O::INFO.path, reply);
    }

    /// Every request to `O` from now on gets `response` (a typed value of the operation's response).
    pub fn respond_with<O>(&self, response: &O::Response)
    where
        O: Operation,
        O::Response: Serialize,
    {
        self.respond::<O>(Reply::ok(response));
    }

    /// The next request to `O` gets `reply`; the ones after it what they got before.
    pub fn respond_once<O: Operation>(&self, reply: Reply) {
        self.script::<O>([reply]);
    }

    /// The next requests to `O` get `replies`, one each, in order (after any queued before).
    pub fn script<O: Operation>(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state()
            .queued
            .entry(O::INFO.path)
            .or_default()
            .extend(replies);
    }

    /// Drops the overrides and loaded items of `O`: it answers its example again.
    pub fn reset<O: Operation>(&self) {
        let mut state = self.state();
        state.queued.remove(O::INFO.path);
        state.always.remove(O::INFO.path);
        state.items.remove(O::INFO.path);
    }

    /// Takes any request body for an operation as long as the tokens are right: no decoding, no contracts,
    /// no `Limitation.Count` check.
    pub fn accept_any_request(&self) {
        self.state().lenient = true;
    }

    /// The requests to `O` the mock accepted, in order, as typed values.
    pub fn requests<O: Operation + DeserializeOwned>(&self) -> Vec<O> {
        self.state()
            .recorded
            .iter()
            .filter(|r| r.path == O::INFO.path)
            .filter_map(|r| O::deserialize(&r.body).ok())
            .collect()
    }

    /// The bodies of the requests to `O` the mock accepted, as sent (with the tokens).
    pub fn request_bodies<O: Operation>(&self) -> Vec<Json> {
        self.state()
            .recorded
            .iter()
            .filter(|r| r.path == O::INFO.path)
            .map(|r| r.body.clone())
            .collect()
    }

    /// How many requests to `O` the mock accepted.
    pub fn request_count<O: Operation>(&self) -> usize {
        self.state()
            .recorded
            .iter()
            .filter(|r| r.path == O::INFO.path)
            .count()
    }

    /// How many requests each operation (by id, `messages/getAll`) accepted; operations never called are
    /// not listed.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for recorded in &self.state().recorded {
            *counts.entry(recorded.id).or_insert(0) += 1;
        }
        counts
    }

    /// How many requests the checks refused (wrong method or path, bad JSON, tokens, request type,
    /// `Limitation.Count`).
    pub fn rejected(&self) -> usize {
        self.state().rejected
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.mock.state()
    }
}

impl Mock {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking test thread poisons nothing worth losing.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What the server does with one request (the `index`-th it read).
    fn answer(&self, method: &str, path: &str, body: &[u8], index: usize) -> Action {
        let request_id = format!("req-{index}");
        let mut state = self.state();
        let refused = match self.check(&state, method, path, body) {
            Ok((route, json)) => {
                state.recorded.push(Recorded {
                    path: route.info.path,
                    id: route.info.id,
                    body: json,
                });
                let reply = state
                    .queued
                    .get_mut(route.info.path)
                    .and_then(VecDeque::pop_front)
                    .or_else(|| state.always.get(route.info.path).cloned())
                    .unwrap_or_else(Reply::example);
                let json = state
                    .recorded
                    .last()
                    .map(|r| &r.body)
                    .unwrap_or(&Json::Null);
                return reply_action(reply, || default_body(&state, &route, json), &request_id);
            }
            Err(refused) => refused,
        };
        state.rejected += 1;
        let (status, message) = refused;
        error_action(status, &message, &request_id, Vec::new())
    }

    /// The checks of the real server, in its order; a refusal is the status and message it answers.
    fn check(
        &self,
        state: &State,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<(Route, Json), (u16, String)> {
        let path = path.split('?').next().unwrap_or(path);
        let route = match self.routes.get(path).and_then(|&i| self.table.get(i)) {
            Some(route) if method == "POST" => route,
            Some(_) => return Err((404, format!("Use POST for {path}"))),
            None => return Err((404, format!("No operation at {path}"))),
        };
        let json: Json =
            serde_json::from_slice(body).map_err(|_| (400, "Invalid JSON".to_string()))?;
        for (name, expected) in [
            ("ClientToken", CLIENT_TOKEN),
            ("AccessToken", ACCESS_TOKEN),
            ("Client", CLIENT_NAME),
        ] {
            let given = json.get(name).and_then(Json::as_str);
            let valid = match given {
                Some(token) if name == "AccessToken" => {
                    (token == expected || state.access_tokens.contains(token))
                        && !state.revoked.contains(token)
                }
                other => other == Some(expected),
            };
            if !valid {
                return Err((401, format!("Invalid {name}")));
            }
        }
        if !state.lenient {
            (route.check)(&json).map_err(|message| (400, message))?;
            // Where `Limitation` is optional, a request without it is a request for everything.
            if let Some(paging) = &route.paging
                && let Some(limitation) = json.get(paging.limitation).filter(|l| !l.is_null())
            {
                paging::count(Some(limitation), paging.limitation, paging.count)
                    .map_err(|message| (400, message))?;
            }
        }
        Ok((*route, json))
    }
}

/// The default answer: a page of the loaded items, else the documented example (`{}` without one).
fn default_body(state: &State, route: &Route, request: &Json) -> Result<Arc<[u8]>, (u16, String)> {
    let example = route.example.unwrap_or("{}");
    let (Some(paging), Some(items)) = (&route.paging, state.items.get(route.info.path)) else {
        return Ok(Arc::from(example.as_bytes()));
    };
    let Some(list) = paging.list else {
        return Ok(Arc::from(example.as_bytes()));
    };
    let limitation = request.get(paging.limitation).filter(|l| !l.is_null());
    let count = match limitation {
        Some(_) => {
            paging::count(limitation, paging.limitation, paging.count).map_err(|m| (400, m))?
        }
        None => usize::MAX,
    };
    let cursor = limitation
        .and_then(|l| l.get(paging.cursor))
        .and_then(Json::as_str);
    let (page, next) = paging::page(items, count, cursor).map_err(|m| (400, m))?;
    let mut body = serde_json::from_str::<Json>(example)
        .ok()
        .filter(Json::is_object)
        .unwrap_or_else(|| Json::Object(Default::default()));
    if let Some(object) = body.as_object_mut() {
        // The example's other lists describe the example's items, not the loaded ones.
        for value in object.values_mut().filter(|v| v.is_array()) {
            *value = Json::Array(Vec::new());
        }
        object.insert(list.to_string(), Json::Array(page.to_vec()));
        object.insert(paging.response_cursor.to_string(), Json::String(next));
    }
    Ok(Arc::from(body.to_string().into_bytes()))
}

fn json_headers(extra: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    headers.extend(extra);
    headers
}

fn error_action(
    status: u16,
    message: &str,
    request_id: &str,
    headers: Vec<(String, String)>,
) -> Action {
    Action::Reply {
        status,
        headers: json_headers(headers),
        body: Body(error_body(message, request_id)),
    }
}

/// Turns a reply into what the server does, `default` giving the default answer's body when needed.
fn reply_action(
    reply: Reply,
    default: impl FnOnce() -> Result<Arc<[u8]>, (u16, String)>,
    request_id: &str,
) -> Action {
    let Reply {
        kind,
        headers,
        delay,
    } = reply;
    let action = match kind {
        Kind::Default => match default() {
            Ok(body) => Action::Reply {
                status: 200,
                headers: json_headers(headers),
                body: Body(body),
            },
            Err((status, message)) => error_action(status, &message, request_id, headers),
        },
        Kind::Body { status, body } => Action::Reply {
            status,
            headers: json_headers(headers),
            body: Body(body),
        },
        Kind::Error { status, message } => error_action(status, &message, request_id, headers),
        Kind::Drop => Action::ResetAfterRead,
        Kind::Truncated => match default() {
            Ok(body) => Action::CutBody {
                promised: body.len(),
                body: body.get(..body.len() / 2).unwrap_or_default().to_vec(),
            },
            Err((status, message)) => error_action(status, &message, request_id, headers),
        },
    };
    match delay {
        Some(after) => Action::Delay {
            after,
            then: Box::new(action),
        },
        None => action,
    }
}

#[cfg(test)]
mod tests;
