//! A loopback HTTP/1.1 server for the client's tests and the benchmarks: 127.0.0.1 on an ephemeral port,
//! keep-alive, each request answered with what a handler returns, and able to misbehave on purpose (reset,
//! stall, truncate, stream an endless body, answer late). Just enough HTTP for `reqwest`: a `Content-Length` request body.
//!
//! Bounded: every read waits at most [`Limits::io`], a request head may have at most [`MAX_HEAD`] bytes and a
//! body at most [`MAX_BODY`], and a stalled or endless reply gives up after [`Limits::io`]. Tests run it on
//! their own runtime ([`Server::start`], requests recorded); benchmarks on a thread and runtime of its own
//! ([`Server::on_thread`], nothing recorded).

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Most bytes a request head may have.
pub const MAX_HEAD: usize = 64 * 1024;
/// Most bytes a request body may have.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// A request the server read in full.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`…
    pub method: String,
    /// The path, with the query if any.
    pub path: String,
    /// The header fields as received, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body as received.
    pub body: Vec<u8>,
    /// When it was read.
    pub at: Instant,
}

impl Request {
    /// The first value of the header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A reply body: text or bytes, shared so that a benchmark's fixed reply is not copied per request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body(pub Arc<[u8]>);

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body(Arc::from(text.as_bytes()))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body(Arc::from(text.into_bytes()))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body(Arc::from(bytes))
    }
}

impl From<Arc<[u8]>> for Body {
    fn from(bytes: Arc<[u8]>) -> Body {
        Body(bytes)
    }
}

/// What the server does with one request (after reading it), or with a new connection.
#[derive(Clone, Debug)]
pub enum Action {
    /// A complete response with `Content-Length` and a `Request-Id` header (`req-<index>`).
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Body,
    },
    /// Closes the connection with a TCP reset, without reading the request (connection-level only).
    ResetBeforeRead,
    /// Reads the request, then closes the connection with a TCP reset.
    ResetAfterRead,
    /// Reads the request and never answers (until the client goes away or the I/O limit passes).
    Stall,
    /// A 200 whose `Content-Length` promises more than is sent, then the connection closes.
    CutBody { promised: usize, body: Vec<u8> },
    /// A chunked 200 that streams `total` bytes of JSON-ish filler, counting how much got out.
    Endless { total: usize },
    /// Waits `after` (at most the I/O limit), then does `then`.
    Delay { after: Duration, then: Box<Action> },
}

impl Action {
    /// A reply with a JSON body.
    pub fn json(status: u16, body: impl Into<Body>) -> Self {
        Action::Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// `200 OK` with a JSON body.
    pub fn ok(body: impl Into<Body>) -> Self {
        Action::json(200, body)
    }

    /// A reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Action::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// How long the server waits for the other side.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Each read of a request, each write of a reply chunk, and a stall.
    pub io: Duration,
}

impl Limits {
    /// Tests: nothing waits longer than this for the server.
    pub const TEST: Limits = Limits {
        io: Duration::from_secs(10),
    };
    /// Benchmarks: pooled connections may idle between rounds.
    pub const BENCH: Limits = Limits {
        io: Duration::from_secs(300),
    };
}

type Handler = Arc<dyn Fn(&Request, usize) -> Action + Send + Sync>;
type ConnectionHook = Arc<dyn Fn(usize) -> Option<Action> + Send + Sync>;

struct Shared {
    handler: Handler,
    on_connect: ConnectionHook,
    limits: Limits,
    /// Every request read in full, when recording.
    recorded: Option<Mutex<Vec<Request>>>,
    requests: AtomicUsize,
    connections: AtomicUsize,
    streamed: AtomicUsize,
}

impl Shared {
    fn recorded(&self) -> Option<MutexGuard<'_, Vec<Request>>> {
        // A handler that panicked poisons nothing worth losing: the list is still whole.
        let lock = self.recorded.as_ref()?;
        Some(lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// How a running server is stopped when dropped.
enum Stop {
    Task(tokio::task::JoinHandle<()>),
    Thread(Option<oneshot::Sender<()>>, Option<JoinHandle<()>>),
}

/// A running server; it stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    shared: Arc<Shared>,
    stop: Stop,
}

impl Server {
    /// Starts a server on the current tokio runtime, recording every request; `handler` gets each request
    /// and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Request, usize) -> Action + Send + Sync + 'static,
    ) -> Server {
        Server::with_connections(|_| None, handler).await
    }

    /// Like [`Server::start`], and `on_connect` may act on a new connection (by 0-based index) before any
    /// request is read.
    ///
    /// # Panics
    ///
    /// When 127.0.0.1 cannot be bound: a test cannot run without it.
    pub async fn with_connections(
        on_connect: impl Fn(usize) -> Option<Action> + Send + Sync + 'static,
        handler: impl Fn(&Request, usize) -> Action + Send + Sync + 'static,
    ) -> Server {
        #[allow(clippy::expect_used)] // Documented: a test cannot run without loopback.
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let shared = Arc::new(Shared {
            handler: Arc::new(handler),
            on_connect: Arc::new(on_connect),
            limits: Limits::TEST,
            recorded: Some(Mutex::new(Vec::new())),
            requests: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            streamed: AtomicUsize::new(0),
        });
        let base_url = base_url(&listener);
        let task = tokio::spawn(accept(listener, shared.clone()));
        Server {
            base_url,
            shared,
            stop: Stop::Task(task),
        }
    }

    /// Starts a server on a thread and single-threaded runtime of its own, so that it never runs on the
    /// client's runtime; records nothing. For benchmarks.
    pub fn on_thread(
        handler: impl Fn(&Request, usize) -> Action + Send + Sync + 'static,
    ) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            handler: Arc::new(handler),
            on_connect: Arc::new(|_| None),
            limits: Limits::BENCH,
            recorded: None,
            requests: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            streamed: AtomicUsize::new(0),
        });
        let base_url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let state = shared.clone();
        let thread = std::thread::Builder::new()
            .name("loopback-server".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    tokio::select! {
                        _ = accept(listener, state) => {}
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Server {
            base_url,
            shared,
            stop: Stop::Thread(Some(stop), Some(thread)),
        })
    }

    /// Every request read in full so far (none for a server on its own thread).
    pub fn requests(&self) -> Vec<Request> {
        self.shared
            .recorded()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// How many requests were read in full so far.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Bytes of [`Action::Endless`] bodies that were written before the client stopped reading.
    pub fn streamed(&self) -> usize {
        self.shared.streamed.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.stop {
            Stop::Task(task) => task.abort(),
            Stop::Thread(stop, thread) => {
                if let Some(stop) = stop.take() {
                    let _ = stop.send(());
                }
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
        }
    }
}

fn base_url(listener: &TcpListener) -> String {
    match listener.local_addr() {
        Ok(address) => format!("http://{address}"),
        Err(_) => "http://127.0.0.1:0".to_string(),
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let index = shared.connections.fetch_add(1, Ordering::SeqCst);
        let first = (shared.on_connect)(index);
        tokio::spawn(serve(stream, first, shared.clone()));
    }
}

/// Serves one connection until the client closes it (or an action ends it).
async fn serve(mut stream: TcpStream, first: Option<Action>, shared: Arc<Shared>) {
    if let Some(Action::ResetBeforeRead) = first {
        reset(stream);
        return;
    }
    let limit = shared.limits.io;
    let mut buffer = Vec::with_capacity(8 * 1024);
    let mut out = Vec::with_capacity(8 * 1024);
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer, limit).await else {
            return;
        };
        let index = shared.requests.fetch_add(1, Ordering::SeqCst);
        if let Some(mut recorded) = shared.recorded() {
            recorded.push(request.clone());
        }
        let mut action = (shared.handler)(&request, index);
        while let Action::Delay { after, then } = action {
            tokio::time::sleep(after.min(limit)).await;
            action = *then;
        }
        match action {
            Action::Reply {
                status,
                headers,
                body,
            } => {
                out.clear();
                out.extend_from_slice(
                    format!(
                        "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nRequest-Id: req-{index}\r\n",
                        body.0.len()
                    )
                    .as_bytes(),
                );
                for (name, value) in &headers {
                    out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
                }
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(&body.0);
                if !write(&mut stream, &out, limit).await {
                    return;
                }
            }
            Action::ResetBeforeRead | Action::ResetAfterRead => {
                reset(stream);
                return;
            }
            Action::Stall => {
                // Waits for the client to close the connection (or for the limit).
                let mut sink = [0u8; 1024];
                let _ = tokio::time::timeout(limit, async {
                    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                })
                .await;
                return;
            }
            Action::CutBody { promised, body } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {promised}\r\nRequest-Id: req-{index}\r\n\r\n"
                );
                let _ = write(&mut stream, &[head.as_bytes(), &body].concat(), limit).await;
                let _ = stream.flush().await;
                return;
            }
            Action::Endless { total } => {
                endless(&mut stream, index, total, &shared).await;
                return;
            }
            // Unwrapped above.
            Action::Delay { .. } => return,
        }
    }
}

/// A chunked 200 of `total` bytes of spaces, in 16 KiB chunks, each counted once written.
async fn endless(stream: &mut TcpStream, index: usize, total: usize, shared: &Shared) {
    const CHUNK: usize = 16 * 1024;
    let limit = shared.limits.io;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nRequest-Id: req-{index}\r\n\r\n"
    );
    if !write(stream, head.as_bytes(), limit).await {
        return;
    }
    let framed = [
        format!("{CHUNK:x}\r\n").into_bytes(),
        vec![b' '; CHUNK],
        b"\r\n".to_vec(),
    ]
    .concat();
    let mut sent = 0;
    while sent < total {
        if !write(stream, &framed, limit).await {
            return;
        }
        sent += CHUNK;
        shared.streamed.fetch_add(CHUNK, Ordering::SeqCst);
    }
    let _ = write(stream, b"0\r\n\r\n", limit).await;
}

/// Writes all of `bytes` within the limit; `false` when the connection is gone or stuck.
async fn write(stream: &mut TcpStream, bytes: &[u8], limit: Duration) -> bool {
    matches!(
        tokio::time::timeout(limit, stream.write_all(bytes)).await,
        Ok(Ok(()))
    )
}

/// Closes with RST rather than FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Reads one request; `None` when the connection closes, a read waits past the limit, or the request is
/// malformed or over the size limits.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    limit: Duration,
) -> Option<Request> {
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        fill(stream, buffer, limit).await?;
    };
    let head = std::str::from_utf8(&buffer[..header_end]).ok()?;
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or("").to_string();
    let path = words.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return None;
    }
    while buffer.len() < header_end + length {
        fill(stream, buffer, limit).await?;
    }
    let body = buffer[header_end..header_end + length].to_vec();
    buffer.drain(..header_end + length);
    Some(Request {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
    })
}

/// Reads what is there into `buffer`; `None` at the end of the stream or past the limit.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>, limit: Duration) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = tokio::time::timeout(limit, stream.read(&mut chunk))
        .await
        .ok()?
        .ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One request over a raw socket: the reply carries the status, headers, request id and body.
    async fn exchange(base_url: &str, request: &str) -> String {
        let address = base_url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        let mut chunk = [0u8; 1024];
        while !String::from_utf8_lossy(&reply).contains("\r\n\r\n{") {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed early");
            reply.extend_from_slice(&chunk[..n]);
        }
        while !reply.ends_with(b"}") {
            let n = stream.read(&mut chunk).await.unwrap();
            reply.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8(reply).unwrap()
    }

    #[tokio::test]
    async fn answers_and_records_requests_on_the_tests_runtime() {
        let server = Server::start(|request, index| {
            Action::ok(format!(r#"{{"Seen":"{}","Index":{index}}}"#, request.path))
                .header("X-Test", "1")
        })
        .await;
        assert!(server.base_url.starts_with("http://127.0.0.1:"));
        let reply = exchange(
            &server.base_url,
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"A\":1}",
        )
        .await;
        assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
        assert!(reply.contains("Request-Id: req-0\r\n") && reply.contains("X-Test: 1\r\n"));
        assert!(reply.ends_with(r#"{"Seen":"/a","Index":0}"#), "{reply}");
        let requests = server.requests();
        assert_eq!(
            (requests.len(), server.request_count(), server.connections()),
            (1, 1, 1)
        );
        assert_eq!(
            (
                requests[0].method.as_str(),
                requests[0].json()["A"].as_u64()
            ),
            ("POST", Some(1))
        );
    }

    #[tokio::test]
    async fn a_delayed_action_is_done_after_the_delay() {
        let server = Server::start(|_, _| Action::Delay {
            after: Duration::from_millis(20),
            then: Box::new(Action::ok("{}")),
        })
        .await;
        let reply = exchange(
            &server.base_url,
            "POST /d HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        assert!(reply.ends_with("\r\n\r\n{}"), "{reply}");
    }

    #[test]
    fn a_server_on_its_own_thread_records_nothing_and_stops_when_dropped() {
        let server = Server::on_thread(|_, _| Action::ok("{}")).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let reply = runtime.block_on(exchange(&server.base_url, "GET /s HTTP/1.1\r\n\r\n"));
        assert!(reply.ends_with("\r\n\r\n{}"), "{reply}");
        assert_eq!(server.request_count(), 1);
        assert!(server.requests().is_empty());
        drop(server);
    }

    #[tokio::test]
    async fn a_body_over_the_limit_closes_the_connection_unanswered() {
        let server = Server::start(|_, _| Action::ok("{}")).await;
        let address = server.base_url.trim_start_matches("http://").to_string();
        let mut stream = TcpStream::connect(address).await.unwrap();
        let head = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut rest = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
        assert!(matches!(read, Ok(Ok(0))), "{read:?}");
        assert_eq!(server.request_count(), 0);
    }
}
