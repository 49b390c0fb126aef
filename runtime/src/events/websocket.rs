//! The WebSocket event stream (`websocket` feature): connects to `[WebSocketAddress]/ws/connector` with the
//! `Cookie: ClientToken=…; AccessToken=…` header, decodes each message's `Events` into any event type, keeps
//! the connection alive with pings, and reconnects with backoff, saying so in the stream.
//!
//! A spawned task owns the connection and answers the server's pings while the consumer keeps up; the
//! stream is the receiving end of a bounded channel, so a consumer that lets the buffer fill up stops the
//! reading (and the pings) until it takes items again. Dropping the stream makes the task send a close frame
//! (waiting at most a second) and end.
//!
//! The opening handshake is written here rather than by tungstenite, whose client handshake traces the
//! whole request (the Cookie with both tokens) through the `log` crate; the protocol after it is
//! tokio-tungstenite's, and TLS is rustls with the client's settings (ring, the platform's verifier).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::reconnect::ReconnectPolicy;
use crate::environment::Environment;
use crate::secret::{AccessToken, ClientToken, Secrets};

/// What the stream yields besides errors.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum StreamEvent<T> {
    /// One element of a message's `Events` array, in the order received.
    Event(T),
    /// The connection was lost and is open again. Events that happened in between were not delivered:
    /// read back what may have changed (with the API's operations) before relying on the stream again.
    Reconnected {
        /// How many attempts it took (1 if the first one succeeded).
        attempts: u32,
        /// From noticing the loss to being connected again.
        downtime: Duration,
    },
}

/// What can go wrong with the event stream. No variant holds a token.
///
/// In the stream, an error is an item like any other and the stream goes on, except after a
/// [fatal](Self::is_fatal) one, which is its last item.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventStreamError {
    /// The stream cannot be set up: an address that is not `ws://` or `wss://`, tokens that cannot go
    /// into a Cookie header, the TLS setup. Fatal.
    #[error("invalid event stream configuration: {0}")]
    Config(String),
    /// Could not connect: DNS, TCP, TLS, or the server did not accept a WebSocket connection.
    #[error("could not open the WebSocket connection: {message}")]
    Connect {
        /// What failed.
        message: String,
    },
    /// The server answered the opening handshake with this status instead of `101 Switching Protocols`
    /// (401 for wrong tokens). Fatal for a 4xx other than 408 and 429.
    #[error("the WebSocket server refused the connection with status {status}")]
    Rejected {
        /// The HTTP status of the answer.
        status: u16,
    },
    /// The connection (TCP, TLS and handshake) was not open within the connect timeout.
    #[error("no WebSocket connection within {after:?}")]
    Timeout {
        /// The connect timeout.
        after: Duration,
    },
    /// A message, or one of its events, does not decode; `path` is its JSON path (`Events[1].State`, or
    /// `.` for a message that is not JSON). The other events of the message are delivered.
    #[error("an event message does not decode at `{path}`: {message}")]
    Decode {
        /// The JSON path of the value that did not decode.
        path: String,
        /// What is wrong, from the decoder.
        message: String,
    },
    /// The connection was lost (closed by the server, reset, or silent for two ping intervals).
    #[error("the WebSocket connection was lost: {message}")]
    Disconnected {
        /// What happened.
        message: String,
    },
    /// The connection was lost and the reconnection attempts allowed by the [`ReconnectPolicy`] failed.
    /// Fatal.
    #[error("gave up reconnecting after {attempts} attempt(s): {last}")]
    GaveUp {
        /// How many attempts were made.
        attempts: u32,
        /// The last failure (or the loss, when no attempt was allowed).
        last: Box<EventStreamError>,
    },
}

impl EventStreamError {
    /// Whether the stream ends after this error: a bad configuration, a refusal that trying again
    /// cannot change (wrong tokens, a wrong address), or reconnection given up.
    pub fn is_fatal(&self) -> bool {
        match self {
            EventStreamError::Config(_) | EventStreamError::GaveUp { .. } => true,
            EventStreamError::Rejected { status } => {
                (400..500).contains(status) && *status != 408 && *status != 429
            }
            _ => false,
        }
    }
}

type Item<T> = Result<StreamEvent<T>, EventStreamError>;

/// Events over a WebSocket connection, as a [`Stream`] of [`StreamEvent`]s and [`EventStreamError`]s,
/// decoded into `T` (the generated WebSocket event type, or [`serde_json::Value`]).
///
/// Built with [`EventStream::builder`]; see [`EventStreamBuilder`] for the settings. Dropping the stream
/// closes the connection; [`close`](Self::close) also waits until it is closed.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use mews_connector_runtime::Environment;
/// use mews_connector_runtime::events::{EventStream, StreamEvent};
///
/// # async fn demo() -> Result<(), mews_connector_runtime::events::EventStreamError> {
/// let mut events = EventStream::builder(&Environment::Demo, "client token", "access token")
///     .connect::<serde_json::Value>()
///     .await?;
/// while let Some(item) = events.next().await {
///     match item {
///         Ok(StreamEvent::Event(event)) => println!("{} {}", event["Type"], event["Id"]),
///         // Events may have been missed: read back what matters with the API.
///         Ok(StreamEvent::Reconnected { attempts, downtime }) => {
///             println!("reconnected after {attempts} attempt(s), {downtime:?} down")
///         }
///         Ok(_) => {}
///         Err(error) if error.is_fatal() => return Err(error),
///         Err(error) => eprintln!("skipped: {error}"),
///     }
/// }
/// # Ok(())
/// # }
/// ```
pub struct EventStream<T = serde_json::Value> {
    items: mpsc::Receiver<Item<T>>,
    task: Option<JoinHandle<()>>,
    endpoint: String,
}

impl EventStream {
    /// A builder for the environment's WebSocket address and the two tokens. The event type is chosen
    /// by [`EventStreamBuilder::connect`].
    pub fn builder(
        environment: &Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
    ) -> EventStreamBuilder {
        EventStreamBuilder::new(environment, client_token, access_token)
    }
}

impl<T> EventStream<T> {
    /// The endpoint connected to (`wss://ws.mews.com/ws/connector`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Closes the connection (with a close frame) and waits for the task holding it to end.
    pub async fn close(mut self) {
        self.items.close();
        if let Some(task) = self.task.take() {
            // The task ends on its own once the channel is closed; a panic in it has nothing to report.
            let _ = task.await;
        }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Item<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().items.poll_recv(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Settings of an [`EventStream`]. `Debug` shows the tokens as `<redacted>`.
///
/// | Setting | Default |
/// | --- | --- |
/// | Address | the environment's [`websocket_address`](Environment::websocket_address) |
/// | Reconnection | [`ReconnectPolicy::default`]: 20 attempts, 500 ms doubling to 30 s, with jitter |
/// | Connect timeout (TCP, TLS, handshake) | 10 s |
/// | Ping interval (the connection counts as lost after two without any frame) | 30 s |
/// | Events buffered ahead of the consumer | 256 |
// `Debug` is derived: the tokens print as `ClientToken(<redacted>)` and `AccessToken(<redacted>)`.
#[derive(Clone, Debug)]
pub struct EventStreamBuilder {
    address: String,
    client_token: ClientToken,
    access_token: AccessToken,
    reconnect: ReconnectPolicy,
    connect_timeout: Duration,
    ping_interval: Duration,
    buffer: usize,
}

impl EventStreamBuilder {
    /// Same as [`EventStream::builder`].
    pub fn new(
        environment: &Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
    ) -> Self {
        EventStreamBuilder {
            address: environment.websocket_address(),
            client_token: client_token.into(),
            access_token: access_token.into(),
            reconnect: ReconnectPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(30),
            buffer: 256,
        }
    }

    /// Connects to this WebSocket address instead (`ws://` or `wss://`, without `/ws/connector`).
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// How to reconnect after losing the connection.
    pub fn reconnect(mut self, policy: ReconnectPolicy) -> Self {
        self.reconnect = policy;
        self
    }

    /// How long opening a connection (TCP, TLS, handshake) may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How often to ping the server; a connection with no frame at all for two intervals is treated as
    /// lost. `Duration::ZERO` turns pings off (the server's pings are still answered).
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = interval;
        self
    }

    /// How many items the stream buffers ahead of the consumer (at least 1) before it stops reading.
    pub fn buffer(mut self, items: usize) -> Self {
        self.buffer = items.max(1);
        self
    }

    /// The endpoint this builder connects to: the address followed by `/ws/connector`.
    pub fn endpoint(&self) -> String {
        format!("{}/ws/connector", self.address.trim_end_matches('/'))
    }

    /// Opens the connection (once, without retrying: wrong tokens or a wrong address fail here) and
    /// returns the stream, whose task reconnects from then on. Must be called within a Tokio runtime.
    pub async fn connect<T>(self) -> Result<EventStream<T>, EventStreamError>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let endpoint = self.endpoint();
        let target = Target::parse(&endpoint)?;
        let tls = match target.tls {
            true => Some(Arc::new(tls_config()?)),
            false => None,
        };
        let cookie = cookie(&self.client_token, &self.access_token)?;
        let settings = Arc::new(Settings {
            target,
            tls,
            cookie,
            secrets: Secrets {
                client_token: self.client_token,
                access_token: self.access_token,
            },
            reconnect: self.reconnect,
            connect_timeout: self.connect_timeout,
            ping_interval: self.ping_interval,
        });
        let socket = open(&settings).await?;
        tracing::debug!(%endpoint, "event stream connected");
        let (sender, items) = mpsc::channel(self.buffer);
        let task = tokio::spawn(run(settings, socket, sender));
        Ok(EventStream {
            items,
            task: Some(task),
            endpoint,
        })
    }
}

/// The exact header value: `ClientToken=…; AccessToken=…`, no spaces around `=`.
fn cookie(
    client_token: &ClientToken,
    access_token: &AccessToken,
) -> Result<String, EventStreamError> {
    // RFC 6265 cookie-octets: visible ASCII but for `"`, `,`, `;` and `\`.
    let valid = |token: &str| {
        !token.is_empty()
            && token
                .bytes()
                .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E))
    };
    for (name, token) in [
        ("ClientToken", client_token.expose()),
        ("AccessToken", access_token.expose()),
    ] {
        if !valid(token) {
            return Err(EventStreamError::Config(format!(
                "the {name} is empty or holds characters a Cookie header cannot carry"
            )));
        }
    }
    Ok(format!(
        "ClientToken={}; AccessToken={}",
        client_token.expose(),
        access_token.expose()
    ))
}

/// The client's TLS settings, speaking HTTP/1.1 (the WebSocket upgrade).
fn tls_config() -> Result<rustls::ClientConfig, EventStreamError> {
    let mut config = crate::client::tls_config().map_err(|e| match e {
        crate::Error::Config(message) => EventStreamError::Config(message),
        other => EventStreamError::Config(other.to_string()),
    })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Where to connect, read once from the endpoint.
struct Target {
    tls: bool,
    /// For the TCP connection: `host:port`, IPv6 in brackets.
    socket: String,
    /// For TLS: the host without brackets.
    server_name: String,
    /// The `Host` header.
    host_header: String,
    /// The request target: path and query.
    resource: String,
}

impl Target {
    fn parse(endpoint: &str) -> Result<Target, EventStreamError> {
        let url = url::Url::parse(endpoint)
            .map_err(|e| EventStreamError::Config(format!("the WebSocket address: {e}")))?;
        let tls = match url.scheme() {
            "wss" => true,
            "ws" => false,
            other => {
                return Err(EventStreamError::Config(format!(
                    "the WebSocket address must start with `ws://` or `wss://`, not `{other}://`"
                )));
            }
        };
        let (Some(host), Some(port)) = (url.host(), url.port_or_known_default()) else {
            return Err(EventStreamError::Config(
                "the WebSocket address has no host".to_string(),
            ));
        };
        let server_name = match host {
            url::Host::Domain(domain) => domain.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let bracketed = match host {
            url::Host::Ipv6(ip) => format!("[{ip}]"),
            _ => server_name.clone(),
        };
        let host_header = match url.port() {
            Some(port) => format!("{bracketed}:{port}"),
            None => bracketed.clone(),
        };
        let resource = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        Ok(Target {
            tls,
            socket: format!("{bracketed}:{port}"),
            server_name,
            host_header,
            resource,
        })
    }
}

struct Settings {
    target: Target,
    tls: Option<Arc<rustls::ClientConfig>>,
    /// The Cookie header's value (holds both tokens).
    cookie: String,
    secrets: Secrets,
    reconnect: ReconnectPolicy,
    connect_timeout: Duration,
    ping_interval: Duration,
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<S: AsyncRead + AsyncWrite + Send + Unpin> Io for S {}

type Socket = WebSocketStream<Box<dyn Io>>;

/// Opens one connection within the connect timeout.
async fn open(settings: &Settings) -> Result<Socket, EventStreamError> {
    match tokio::time::timeout(settings.connect_timeout, handshake(settings)).await {
        Ok(result) => result,
        Err(_) => Err(EventStreamError::Timeout {
            after: settings.connect_timeout,
        }),
    }
}

/// The largest handshake answer read.
const MAX_HEAD: usize = 16 * 1024;

async fn handshake(settings: &Settings) -> Result<Socket, EventStreamError> {
    let target = &settings.target;
    let failed = |what: &str, error: &dyn fmt::Display| EventStreamError::Connect {
        message: settings.secrets.redact(&format!("{what}: {error}")),
    };
    let tcp = tokio::net::TcpStream::connect(&target.socket)
        .await
        .map_err(|e| failed("TCP", &e))?;
    // Events are small and should arrive as they happen.
    let _ = tcp.set_nodelay(true);
    let mut io: Box<dyn Io> = match &settings.tls {
        Some(config) => {
            let name = rustls::pki_types::ServerName::try_from(target.server_name.clone())
                .map_err(|e| failed("TLS server name", &e))?;
            let connector = tokio_rustls::TlsConnector::from(Arc::clone(config));
            Box::new(
                connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| failed("TLS", &e))?,
            )
        }
        None => Box::new(tcp),
    };
    let key = generate_key();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\nCookie: {}\r\n\r\n",
        target.resource, target.host_header, settings.cookie
    );
    io.write_all(request.as_bytes())
        .await
        .map_err(|e| failed("sending the handshake", &e))?;
    io.flush()
        .await
        .map_err(|e| failed("sending the handshake", &e))?;

    // Read the answer's head; bytes after it already belong to the WebSocket.
    let mut buffer = Vec::with_capacity(1024);
    let (status, accept, upgrade, head_len) = loop {
        let mut chunk = [0u8; 1024];
        let read = io
            .read(&mut chunk)
            .await
            .map_err(|e| failed("reading the handshake answer", &e))?;
        if read == 0 {
            return Err(failed("reading the handshake answer", &"connection closed"));
        }
        buffer.extend_from_slice(&chunk[..read]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&buffer) {
            Ok(httparse::Status::Complete(len)) => {
                let header = |name: &str| {
                    response
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case(name))
                        .map(|h| String::from_utf8_lossy(h.value).into_owned())
                };
                break (
                    response.code.unwrap_or_default(),
                    header("Sec-WebSocket-Accept"),
                    header("Upgrade"),
                    len,
                );
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Err(failed("the handshake answer", &"its head is too long"));
            }
            Err(e) => return Err(failed("the handshake answer", &e)),
        }
    };
    if status != 101 {
        return Err(EventStreamError::Rejected { status });
    }
    let upgraded = upgrade.is_some_and(|u| u.trim().eq_ignore_ascii_case("websocket"));
    if !upgraded || accept.as_deref().map(str::trim) != Some(&derive_accept_key(key.as_bytes())) {
        return Err(failed(
            "the handshake answer",
            &"not a valid WebSocket upgrade (Upgrade or Sec-WebSocket-Accept)",
        ));
    }
    let rest = buffer.split_off(head_len);
    Ok(WebSocketStream::from_partially_read(io, rest, Role::Client, None).await)
}

/// How a connection ended.
enum Ended {
    /// The consumer is gone.
    Shutdown,
    /// The connection is gone.
    Lost(String),
}

/// The task: serves the connection, and reconnects when it is lost, until the consumer is gone or a
/// fatal error.
async fn run<T>(settings: Arc<Settings>, mut socket: Socket, items: mpsc::Sender<Item<T>>)
where
    T: DeserializeOwned + Send + 'static,
{
    loop {
        let reason = match serve(&settings, &mut socket, &items).await {
            Ended::Shutdown => {
                // Best effort: a close frame, then the connection is dropped either way.
                let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
                return;
            }
            Ended::Lost(reason) => reason,
        };
        drop(socket);
        tracing::debug!(%reason, "event stream connection lost");
        let lost = Instant::now();
        let mut last = EventStreamError::Disconnected { message: reason };
        let mut attempt = 0;
        socket = loop {
            attempt += 1;
            if !settings.reconnect.allows(attempt) {
                let error = EventStreamError::GaveUp {
                    attempts: attempt - 1,
                    last: Box::new(last),
                };
                tracing::debug!(%error, "event stream ends");
                let _ = items.send(Err(error)).await;
                return;
            }
            let wait = settings.reconnect.backoff(attempt);
            let opened = tokio::select! {
                () = items.closed() => return,
                opened = async {
                    tokio::time::sleep(wait).await;
                    open(&settings).await
                } => opened,
            };
            match opened {
                Ok(socket) => break socket,
                Err(error) if error.is_fatal() => {
                    tracing::debug!(%error, "event stream ends");
                    let _ = items.send(Err(error)).await;
                    return;
                }
                Err(error) => {
                    tracing::debug!(attempt, %error, "event stream reconnection failed");
                    last = error;
                }
            }
        };
        let downtime = lost.elapsed();
        tracing::debug!(attempts = attempt, ?downtime, "event stream reconnected");
        let reconnected = StreamEvent::Reconnected {
            attempts: attempt,
            downtime,
        };
        if items.send(Ok(reconnected)).await.is_err() {
            let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
            return;
        }
    }
}

/// Reads one connection until it ends or the consumer is gone, pinging when it is quiet.
async fn serve<T>(settings: &Settings, socket: &mut Socket, items: &mpsc::Sender<Item<T>>) -> Ended
where
    T: DeserializeOwned,
{
    let interval = Some(settings.ping_interval).filter(|i| !i.is_zero());
    let mut heard = Instant::now();
    let mut next_ping = interval.and_then(|i| heard.checked_add(i));
    loop {
        let ping_due = async {
            match next_ping {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = items.closed() => return Ended::Shutdown,
            () = ping_due => {
                let silent = interval.and_then(|i| i.checked_mul(2)).is_some_and(|limit| heard.elapsed() >= limit);
                if silent {
                    return Ended::Lost("no frame for two ping intervals".to_string());
                }
                if let Err(e) = socket.send(Message::Ping(Default::default())).await {
                    return Ended::Lost(settings.secrets.redact(&e.to_string()));
                }
                next_ping = interval.and_then(|i| Instant::now().checked_add(i));
            }
            frame = socket.next() => {
                heard = Instant::now();
                let payload = match frame {
                    None => return Ended::Lost("connection closed".to_string()),
                    Some(Err(e)) => return Ended::Lost(settings.secrets.redact(&e.to_string())),
                    Some(Ok(Message::Text(text))) => text.as_bytes().to_vec(),
                    Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                    Some(Ok(Message::Close(frame))) => {
                        // tungstenite answers the close; the next read ends the connection.
                        tracing::debug!(?frame, "the server closes the event stream");
                        continue;
                    }
                    // tungstenite answers pings itself.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                };
                for item in decode_message::<T>(&payload, &settings.secrets) {
                    if items.send(item).await.is_err() {
                        return Ended::Shutdown;
                    }
                }
            }
        }
    }
}

/// The message body: `{"Events": […]}`, each event kept raw so that one bad event loses only itself.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Events", borrow)]
    events: Vec<&'a RawValue>,
}

/// Decodes one message into an item per event, or one error (scrubbed of the tokens) per event or
/// message that does not decode.
fn decode_message<T: DeserializeOwned>(payload: &[u8], secrets: &Secrets) -> Vec<Item<T>> {
    let error = |path: String, error: serde_json::Error| {
        Err(EventStreamError::Decode {
            path,
            message: secrets.redact(&error.to_string()),
        })
    };
    let mut deserializer = serde_json::Deserializer::from_slice(payload);
    let envelope: Envelope<'_> = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(envelope) => match deserializer.end() {
            Ok(()) => envelope,
            Err(e) => return vec![error(".".to_string(), e)],
        },
        Err(e) => {
            let path = e.path().to_string();
            return vec![error(path, e.into_inner())];
        }
    };
    envelope
        .events
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            let mut deserializer = serde_json::Deserializer::from_str(raw.get());
            serde_path_to_error::deserialize(&mut deserializer)
                .map(StreamEvent::Event)
                .or_else(|e| {
                    let inner = e.path().to_string();
                    let path = match inner.as_str() {
                        "." => format!("Events[{index}]"),
                        _ if inner.starts_with('[') => format!("Events[{index}]{inner}"),
                        _ => format!("Events[{index}].{inner}"),
                    };
                    error(path, e.into_inner())
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets {
            client_token: ClientToken::new("CT-1"),
            access_token: AccessToken::new("AT-2"),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Event {
        #[serde(rename = "Type")]
        kind: String,
        #[serde(rename = "Id")]
        id: String,
    }

    #[test]
    fn a_message_decodes_event_by_event() {
        let items = decode_message::<Event>(
            br#"{"Events":[{"Type":"Resource","Id":"r1","State":"Dirty"},{"Type":5},{"Type":"X","Id":"x"}]}"#,
            &secrets(),
        );
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Ok(StreamEvent::Event(e)) if e.id == "r1"));
        assert!(
            matches!(&items[1], Err(EventStreamError::Decode { path, .. }) if path == "Events[1].Type")
        );
        assert!(matches!(&items[2], Ok(StreamEvent::Event(e)) if e.kind == "X"));
    }

    #[test]
    fn a_message_that_is_not_the_envelope_is_one_error_with_its_path() {
        let path = |payload: &[u8]| match decode_message::<Event>(payload, &secrets()).as_slice() {
            [Err(EventStreamError::Decode { path, .. })] => path.clone(),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(path(b"not json"), ".");
        assert_eq!(path(b"{\"Events\":[]} x"), ".");
        assert_eq!(path(b"{}"), ".");
        assert_eq!(path(b"{\"Events\":{}}"), "Events");
        assert!(decode_message::<Event>(b"{\"Events\":[]}", &secrets()).is_empty());
        // Values echoed by the decoder are scrubbed of the tokens.
        let items = decode_message::<Vec<u8>>(br#"{"Events":["AT-2"]}"#, &secrets());
        assert!(
            matches!(&items[..], [Err(EventStreamError::Decode { message, .. })] if !message.contains("AT-2"))
        );
    }

    #[test]
    fn the_cookie_is_exact_and_refuses_what_a_header_cannot_carry() {
        let cookie = cookie(&ClientToken::new("E0D4-1"), &AccessToken::new("C66E-2"));
        assert_eq!(
            cookie.ok().as_deref(),
            Some("ClientToken=E0D4-1; AccessToken=C66E-2")
        );
        for bad in ["", "a;b", "a b", "a\r\nX: y", "é", "a\"b", "a,b", "a\\b"] {
            let error = super::cookie(&ClientToken::new("ok"), &AccessToken::new(bad));
            assert!(
                matches!(&error, Err(EventStreamError::Config(m)) if m.contains("AccessToken")),
                "{bad}"
            );
        }
    }

    #[test]
    fn targets_are_read_from_the_endpoint() {
        let target = Target::parse("wss://ws.mews.com/ws/connector").ok();
        let target = target.as_ref();
        assert_eq!(target.map(|t| t.socket.as_str()), Some("ws.mews.com:443"));
        assert_eq!(target.map(|t| t.host_header.as_str()), Some("ws.mews.com"));
        assert_eq!(target.map(|t| t.resource.as_str()), Some("/ws/connector"));
        assert_eq!(target.map(|t| t.tls), Some(true));
        let local = Target::parse("ws://[::1]:9000/x/ws/connector?a=b").ok();
        let local = local.as_ref();
        assert_eq!(local.map(|t| t.socket.as_str()), Some("[::1]:9000"));
        assert_eq!(local.map(|t| t.server_name.as_str()), Some("::1"));
        assert_eq!(local.map(|t| t.host_header.as_str()), Some("[::1]:9000"));
        assert_eq!(
            local.map(|t| t.resource.as_str()),
            Some("/x/ws/connector?a=b")
        );
        assert!(matches!(
            Target::parse("https://ws.mews.com/ws/connector"),
            Err(EventStreamError::Config(_))
        ));
        assert!(matches!(
            Target::parse("nonsense"),
            Err(EventStreamError::Config(_))
        ));
    }

    #[test]
    fn fatal_errors() {
        assert!(EventStreamError::Rejected { status: 401 }.is_fatal());
        assert!(!EventStreamError::Rejected { status: 429 }.is_fatal());
        assert!(!EventStreamError::Rejected { status: 503 }.is_fatal());
        assert!(
            !EventStreamError::Timeout {
                after: Duration::ZERO
            }
            .is_fatal()
        );
    }

    #[test]
    fn the_builder_never_prints_the_tokens() {
        let builder = EventStream::builder(&Environment::Demo, "CT-secret", "AT-secret")
            .address("ws://127.0.0.1:1/");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert_eq!(builder.endpoint(), "ws://127.0.0.1:1/ws/connector");
        let demo = EventStream::builder(&Environment::Demo, "a", "b");
        assert_eq!(demo.endpoint(), "wss://ws.mews-demo.com/ws/connector");
    }
}
