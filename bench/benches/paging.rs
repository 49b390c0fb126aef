//! Paging benchmark: a loopback server holding N messages (made on demand from their index, so the server
//! holds nothing per message), and the generated client streaming them all with
//! `client.messages().get_all_items(…)` at `Limitation.Count` = 1000, counting the requests the server saw and
//! the client's peak memory: peak live heap bytes (a counting global allocator) and peak RSS (`VmHWM`).
//!
//! Every N streams in a child process of its own, and the server runs in another, so each peak is the client's
//! alone; each N runs `--runs` times (default 3). `[--ns 1000,10000,100000] [--count 1000] [--runs 3] [--json FILE]`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use bench::messages::{get_all_response, message_index};
use bench::{Options, finish, write_json};
use futures_util::TryStreamExt;
use loopback::{Action, Request, Server};
use mews_connector::{Environment, Limitation, MessageThreadId, MessagesGetAllRequest};
use peak_alloc::PeakAlloc;
use serde_json::json;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// The operation's path below the server's per-N prefix.
const PATH: &str = "/api/connector/v1/messages/getAll";

fn main() -> std::process::ExitCode {
    let options = Options::from_env();
    let mode = std::env::args().nth(1).unwrap_or_default();
    finish(match mode.as_str() {
        "serve" => serve(),
        "stream" => stream(&options),
        _ => drive(&options),
    })
}

/// Starts the server, then one streaming process per N; writes what they report.
fn drive(options: &Options) -> Result<()> {
    let ns = options.numbers("ns", &[1_000, 10_000, 100_000])?;
    let count = options.number("count", 1_000)?.clamp(1, 1_000);
    let runs = options.number("runs", 3)?.max(1);
    let json = options.path("json", "target/bench/paging.json");
    let exe = std::env::current_exe()?;
    let mut server = Command::new(&exe)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start the server process")?;
    let base_url = server
        .stdout
        .take()
        .and_then(|out| BufReader::new(out).lines().next())
        .and_then(Result::ok)
        .and_then(|line| line.strip_prefix("listening ").map(str::to_string))
        .context("the server process did not say where it listens")?;
    let mut results = Vec::new();
    let mut failure = None;
    'all: for &n in &ns {
        let mut samples = Vec::new();
        for run in 0..runs {
            let output = Command::new(&exe)
                .args(["stream", "--base", &format!("{base_url}/n{n}-{run}")])
                .args(["--n", &n.to_string(), "--count", &count.to_string()])
                .stderr(Stdio::inherit())
                .output();
            match output {
                Ok(output) if output.status.success() => {
                    match serde_json::from_slice::<serde_json::Value>(&output.stdout) {
                        Ok(result) => samples.push(result),
                        Err(e) => {
                            failure = Some(format!("N = {n}: unreadable result: {e}"));
                            break 'all;
                        }
                    }
                }
                Ok(output) => {
                    failure = Some(format!(
                        "N = {n}: the streaming process failed ({})",
                        output.status
                    ));
                    break 'all;
                }
                Err(e) => {
                    failure = Some(format!("N = {n}: cannot start the streaming process: {e}"));
                    break 'all;
                }
            }
        }
        results.push(summarize(n, count, &samples));
    }
    // Closing its input stops the server; kill it if it lingers.
    drop(server.stdin.take());
    if server.try_wait().ok().flatten().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(200));
        if server.try_wait().ok().flatten().is_none() {
            let _ = server.kill();
        }
    }
    let _ = server.wait();
    if let Some(failure) = failure {
        bail!(failure);
    }
    write_json(
        &json,
        &json!({ "count": count, "runs_per_n": runs, "runs": results }),
    )
}

/// One N's runs in one: the most requests and memory any run needed (peaks depend on how the reads happen to
/// split the bytes, so they vary a little from run to run), the least memory, the median time.
fn summarize(n: u64, count: u64, samples: &[serde_json::Value]) -> serde_json::Value {
    let all = |key: &str| -> Vec<f64> { samples.iter().filter_map(|s| s[key].as_f64()).collect() };
    let max = |key: &str| all(key).into_iter().fold(0.0, f64::max);
    let min = |key: &str| all(key).into_iter().fold(f64::INFINITY, f64::min);
    json!({
        "n": n,
        "count": count,
        "runs": samples.len(),
        "items": max("items"),
        "requests": max("requests"),
        "requests_each_run": all("requests"),
        "heap_peak_above_start_bytes": max("heap_peak_above_start_bytes"),
        "heap_peak_above_start_min_bytes": min("heap_peak_above_start_bytes"),
        "vm_hwm_kib": max("vm_hwm_kib"),
        "seconds": bench::median(&all("seconds")),
    })
}

/// Serves `/n{N}-{run}/api/connector/v1/messages/getAll` for any N and `GET /n{N}-{run}/stats` (requests served
/// there), until standard input closes.
fn serve() -> Result<()> {
    let requests: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let server = {
        let requests = requests.clone();
        Server::on_thread(move |request, _| handle(request, &requests))
            .context("loopback server")?
    };
    println!("listening {}", server.base_url);
    std::io::stdout().flush()?;
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(server);
    Ok(())
}

fn handle(request: &Request, requests: &Mutex<BTreeMap<String, u64>>) -> Action {
    // `/n{N}-{run}/…`: N messages, counted apart for each run.
    let Some((prefix, rest)) = request
        .path
        .strip_prefix('/')
        .and_then(|p| p.split_once('/'))
    else {
        return not_found();
    };
    let Some(n) = prefix
        .strip_prefix('n')
        .and_then(|p| p.split('-').next())
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return not_found();
    };
    let Ok(mut counts) = requests.lock() else {
        return not_found();
    };
    match (request.method.as_str(), format!("/{rest}").as_str()) {
        ("GET", "/stats") => {
            let served = counts.get(prefix).copied().unwrap_or(0);
            Action::ok(format!(r#"{{"Requests":{served}}}"#).into_bytes())
        }
        ("POST", PATH) => {
            *counts.entry(prefix.to_string()).or_default() += 1;
            drop(counts);
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let limitation = &body["Limitation"];
            let size = limitation["Count"].as_u64().unwrap_or(1_000).min(1_000);
            // The cursor is the last message of the previous page; the next page starts after it.
            let start = limitation["Cursor"]
                .as_str()
                .and_then(message_index)
                .map_or(0, |last| last + 1)
                .min(n);
            Action::ok(get_all_response(start, size.min(n - start)).into_bytes())
        }
        _ => not_found(),
    }
}

fn not_found() -> Action {
    Action::json(404, r#"{"Message":"not found"}"#)
}

/// Streams every message of one server prefix; prints what it measured as JSON.
fn stream(options: &Options) -> Result<()> {
    let base = options
        .value("base")
        .context("stream needs --base")?
        .to_string();
    let n = options.number("n", 1_000)?;
    let count = options.number("count", 1_000)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (items, seconds, heap_before, heap_peak) = runtime.block_on(async {
        let client: mews_connector::Client = mews_connector::Client::builder(
            Environment::Custom(base.clone()),
            "client-token",
            "access-token",
            "Bench 1.0.0",
        )
        .no_rate_limit()
        .build()?;
        let request = MessagesGetAllRequest::new(
            vec![MessageThreadId::from(
                "c1478ff9-80b7-4ea2-94fc-ae4e009e1463",
            )],
            Limitation::new(count as i64),
        );
        let heap_before = ALLOCATOR.current_usage();
        ALLOCATOR.reset_peak_usage();
        let started = Instant::now();
        let mut items: u64 = 0;
        let mut stream = client.messages().get_all_items(request);
        while let Some(message) = stream.try_next().await? {
            std::hint::black_box(&message);
            items += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        let heap_peak = ALLOCATOR.peak_usage();
        Ok::<_, anyhow::Error>((items, seconds, heap_before, heap_peak))
    })?;
    if items != n {
        bail!("streamed {items} messages of {n}");
    }
    let requests = served(&base)?;
    let result = json!({
        "n": n,
        "count": count,
        "items": items,
        "requests": requests,
        "seconds": seconds,
        "heap_before_bytes": heap_before,
        "heap_peak_bytes": heap_peak,
        "heap_peak_above_start_bytes": heap_peak.saturating_sub(heap_before),
        "vm_hwm_kib": vm_hwm_kib(),
    });
    println!("{result}");
    eprintln!(
        "paging: N = {n}: {requests} requests, peak heap {:.2} MiB above start, VmHWM {} KiB, {seconds:.2} s",
        heap_peak.saturating_sub(heap_before) as f64 / 1048576.0,
        vm_hwm_kib().unwrap_or(0)
    );
    Ok(())
}

/// How many requests the server answered for `base`, asked with a plain `GET` after streaming.
fn served(base: &str) -> Result<u64> {
    let rest = base
        .strip_prefix("http://")
        .context("base is not http://")?;
    let (address, prefix) = rest.split_once('/').context("base has no prefix")?;
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "GET /{prefix}/stats HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\n\r\n"
    )?;
    let mut reply = Vec::new();
    let mut chunk = [0u8; 1024];
    // One small response; read until its JSON body is complete.
    while !reply.ends_with(b"}") {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&reply);
    let body = text.split("\r\n\r\n").nth(1).context("no stats body")?;
    let value: serde_json::Value = serde_json::from_str(body)?;
    value["Requests"]
        .as_u64()
        .with_context(|| format!("unexpected stats `{body}`"))
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux).
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}
