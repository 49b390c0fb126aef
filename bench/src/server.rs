//! A loopback HTTP/1.1 server for the benchmarks: 127.0.0.1 on an ephemeral port, keep-alive, every request
//! answered by a handler, on its own thread and single-threaded runtime so that it never runs on the
//! client's runtime. Just enough HTTP for `reqwest` (a `Content-Length` body, no chunking).

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// A request as the handler sees it.
#[derive(Debug)]
pub struct Request<'a> {
    /// `GET`, `POST`…
    pub method: &'a str,
    /// The path, with the query if any.
    pub path: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// The handler's answer: a status and a JSON body.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body, sent as `application/json`.
    pub body: Arc<[u8]>,
}

impl Reply {
    /// `200 OK` with `body`.
    pub fn ok(body: impl Into<Arc<[u8]>>) -> Reply {
        Reply {
            status: 200,
            body: body.into(),
        }
    }

    /// `404 Not Found` with an error body.
    pub fn not_found() -> Reply {
        Reply {
            status: 404,
            body: Arc::from(&br#"{"Message":"not found"}"#[..]),
        }
    }
}

type Handler = Arc<dyn Fn(&Request<'_>) -> Reply + Send + Sync>;

/// A running server; stops when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds 127.0.0.1 on an ephemeral port and serves on a thread of its own.
    pub fn start(
        handler: impl Fn(&Request<'_>) -> Reply + Send + Sync + 'static,
    ) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let handler: Handler = Arc::new(handler);
        let (stop, stopped) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("bench-server".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    let accept = async {
                        while let Ok((stream, _)) = listener.accept().await {
                            let _ = stream.set_nodelay(true);
                            tokio::spawn(serve(stream, handler.clone()));
                        }
                    };
                    tokio::select! {
                        _ = accept => {}
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Server {
            base_url,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves one connection until the client closes it.
async fn serve(mut stream: TcpStream, handler: Handler) {
    let mut buffer: Vec<u8> = Vec::with_capacity(8 * 1024);
    let mut out: Vec<u8> = Vec::with_capacity(8 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let Some((header_end, length)) = read_request(&mut stream, &mut buffer, &mut chunk).await
        else {
            return;
        };
        let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
        let mut words = head.split_whitespace();
        let method = words.next().unwrap_or("");
        let path = words.next().unwrap_or("");
        let reply = handler(&Request {
            method,
            path,
            body: &buffer[header_end..header_end + length],
        });
        buffer.drain(..header_end + length);
        out.clear();
        out.extend_from_slice(
            format!(
                "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                reply.status,
                reply.body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&reply.body);
        if stream.write_all(&out).await.is_err() {
            return;
        }
    }
}

/// Reads until `buffer` holds a whole request; returns where its head ends and its body's length.
/// `None` when the connection closes or the request is malformed.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    chunk: &mut [u8],
) -> Option<(usize, usize)> {
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buffer[..header_end]).ok()?;
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let n = stream.read(chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    Some((header_end, length))
}
