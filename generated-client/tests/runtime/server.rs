//! A loopback HTTP/1.1 server for the runtime tests (127.0.0.1, an ephemeral port) that records every
//! request and connection and can misbehave on purpose: reset, stall, truncate, send endless bodies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Nothing in a test waits longer than this for the server.
const IO_LIMIT: Duration = Duration::from_secs(10);

/// A request the server read in full.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub body: serde_json::Value,
    pub at: Instant,
}

/// What the server does with one request (after reading it), or with a new connection.
#[derive(Clone, Debug)]
pub enum Action {
    /// A complete response with `Content-Length` and a `Request-Id` header.
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Closes the connection with a TCP reset, without reading the request (connection-level only).
    ResetBeforeRead,
    /// Reads the request, then closes the connection with a TCP reset.
    ResetAfterRead,
    /// Reads the request and never answers (until the client goes away or `IO_LIMIT`).
    Stall,
    /// A 200 whose `Content-Length` promises more than is sent, then the connection closes.
    CutBody { promised: usize, body: Vec<u8> },
    /// A chunked 200 that streams `total` bytes of JSON-ish filler, recording how much got out.
    Endless { total: usize },
}

impl Action {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Action::Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    pub fn ok(body: impl Into<String>) -> Self {
        Action::json(200, body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Action::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = Arc<dyn Fn(&Recorded, usize) -> Action + Send + Sync>;
type ConnectionHook = Arc<dyn Fn(usize) -> Option<Action> + Send + Sync>;

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    connections: AtomicUsize,
    streamed: AtomicUsize,
}

pub struct Server {
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server; `handler` gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Action + Send + Sync + 'static,
    ) -> Server {
        Server::with_connections(|_| None, handler).await
    }

    /// Like [`Server::start`], and `on_connect` may act on a new connection (by 0-based index)
    /// before any request is read.
    pub async fn with_connections(
        on_connect: impl Fn(usize) -> Option<Action> + Send + Sync + 'static,
        handler: impl Fn(&Recorded, usize) -> Action + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Shared::default());
        let handler: Handler = Arc::new(handler);
        let on_connect: ConnectionHook = Arc::new(on_connect);
        let state = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let index = state.connections.fetch_add(1, Ordering::SeqCst);
                let action = on_connect(index);
                tokio::spawn(serve(stream, action, handler.clone(), state.clone()));
            }
        });
        Server {
            base_url,
            shared,
            task,
        }
    }

    /// Every request read in full so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("lock").clone()
    }

    pub fn request_count(&self) -> usize {
        self.shared.requests.lock().expect("lock").len()
    }

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
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    first: Option<Action>,
    handler: Handler,
    shared: Arc<Shared>,
) {
    if let Some(Action::ResetBeforeRead) = first {
        reset(stream);
        return;
    }
    let mut buffer = Vec::new();
    loop {
        let Some((path, body)) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        let request = Recorded {
            path,
            body,
            at: Instant::now(),
        };
        let index = {
            let mut all = shared.requests.lock().expect("lock");
            all.push(request.clone());
            all.len() - 1
        };
        match handler(&request, index) {
            Action::Reply {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nRequest-Id: req-{index}\r\n",
                    body.len()
                );
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(&body).await.is_err()
                {
                    return;
                }
            }
            Action::ResetBeforeRead | Action::ResetAfterRead => {
                reset(stream);
                return;
            }
            Action::Stall => {
                // Waits for the client to close the connection (or for the test's limit).
                let mut sink = [0u8; 1024];
                let _ = tokio::time::timeout(IO_LIMIT, async {
                    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                })
                .await;
                return;
            }
            Action::CutBody { promised, body } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {promised}\r\nRequest-Id: req-{index}\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.flush().await;
                return;
            }
            Action::Endless { total } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nRequest-Id: req-{index}\r\n\r\n"
                );
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 16 * 1024];
                let framed = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk,
                    b"\r\n".to_vec(),
                ]
                .concat();
                let mut sent = 0;
                while sent < total {
                    let write = tokio::time::timeout(IO_LIMIT, stream.write_all(&framed)).await;
                    if !matches!(write, Ok(Ok(()))) {
                        return;
                    }
                    sent += 16 * 1024;
                    shared.streamed.fetch_add(16 * 1024, Ordering::SeqCst);
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                return;
            }
        }
    }
}

/// Closes with RST rather than FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Reads one request (path and body); `None` when the connection closes.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        fill(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        fill(stream, buffer).await?;
    }
    let body = buffer[header_end..header_end + length].to_vec();
    buffer.drain(..header_end + length);
    Some((path, body))
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let n = tokio::time::timeout(IO_LIMIT, stream.read(&mut chunk))
        .await
        .ok()?
        .ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}
