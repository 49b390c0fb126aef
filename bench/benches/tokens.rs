//! Many access tokens benchmark: T access tokens × R requests (`messages/getAll`) at concurrency C, through one
//! `Client` (a `ClientPool` and a handle per token) and through one client per token, each way in a process of
//! its own against a loopback server in another process.
//!
//! Each client process reports its requests per second and its peak resident memory (`VmHWM`, and `VmRSS`
//! before the clients were built); the server reports the TCP connections it accepted and, per token, the most
//! requests it saw within any window of the client-side limit (it answers `429` past the limit and counts them).
//!
//! `[--tokens T] [--requests R] [--concurrency C] [--limit N --window-ms W] [--rounds K] [--json FILE]`

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bench::messages::get_all_response;
use bench::{Options, finish, median, write_json};
use loopback::{Action, Server};
use mews_connector::runtime::{RateLimits, RateWindow};
use mews_connector::{
    Client, ClientPool, Environment, Limitation, MessageThreadId, MessagesGetAllRequest,
};
use serde_json::json;

const CLIENT_TOKEN: &str = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D";

fn main() -> std::process::ExitCode {
    let options = Options::from_env();
    let mode = std::env::args().nth(1).unwrap_or_default();
    finish(match mode.as_str() {
        "serve" => serve(&options),
        "run" => run(&options),
        _ => drive(&options),
    })
}

fn token(index: u64) -> String {
    format!("AT-{index:05}-C66EF7B239D24632943D115EDE9CB810")
}

/// The two ways of serving many tokens.
const MODES: [&str; 2] = ["pool", "each"];

/// Runs `rounds` rounds of both ways (alternating which goes first), each against a fresh server process.
fn drive(options: &Options) -> Result<()> {
    let tokens = options.number("tokens", 1_000)?.max(1);
    let requests = options.number("requests", 20)?.max(1);
    let concurrency = options.number("concurrency", 64)?.max(1);
    let limit = options.number("limit", 10)?.max(1);
    let window_ms = options.number("window-ms", 500)?.max(1);
    let rounds = options.number("rounds", 3)?.max(1);
    let json_path = options.path("json", "target/bench/tokens.json");
    let exe = std::env::current_exe()?;
    let mut results: HashMap<&str, Vec<serde_json::Value>> = HashMap::new();
    for round in 0..rounds {
        for i in 0..MODES.len() {
            let mode = MODES[(i + round as usize) % MODES.len()];
            let mut server = Command::new(&exe)
                .args(["serve", "--limit", &limit.to_string()])
                .args(["--window-ms", &window_ms.to_string()])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .context("cannot start the server process")?;
            let mut out = BufReader::new(server.stdout.take().context("server stdout")?);
            let mut line = String::new();
            out.read_line(&mut line)?;
            let base = line
                .trim()
                .strip_prefix("listening ")
                .context("the server process did not say where it listens")?
                .to_string();
            let output = Command::new(&exe)
                .args(["run", "--mode", mode, "--base", &base])
                .args(["--tokens", &tokens.to_string()])
                .args(["--requests", &requests.to_string()])
                .args(["--concurrency", &concurrency.to_string()])
                .args(["--limit", &limit.to_string()])
                .args(["--window-ms", &window_ms.to_string()])
                .stderr(Stdio::inherit())
                .output();
            // Closing its input makes the server print its counts and stop.
            drop(server.stdin.take());
            let mut stats = String::new();
            out.read_to_string(&mut stats)?;
            let _ = server.wait();
            let output = output.context("cannot start the client process")?;
            if !output.status.success() {
                bail!("{mode}: the client process failed ({})", output.status);
            }
            let mut result: serde_json::Value = serde_json::from_slice(&output.stdout)
                .with_context(|| format!("{mode}: unreadable result"))?;
            let stats: serde_json::Value = serde_json::from_str(stats.trim())
                .with_context(|| format!("{mode}: unreadable server counts `{stats}`"))?;
            result["server"] = stats;
            eprintln!(
                "tokens: {mode}: {:.0} requests/s, VmHWM {} KiB ({} KiB before the clients), {} connections, \
                 at most {} requests of a token within {window_ms} ms, {} 429s",
                result["requests_per_second"].as_f64().unwrap_or(0.0),
                result["vm_hwm_kib"],
                result["vm_rss_before_kib"],
                result["server"]["connections"],
                result["server"]["max_in_window"],
                result["server"]["rejected"],
            );
            results.entry(mode).or_default().push(result);
        }
    }
    let summary = |mode: &str| -> serde_json::Value {
        let runs = results.get(mode).cloned().unwrap_or_default();
        let all = |f: &dyn Fn(&serde_json::Value) -> Option<f64>| -> Vec<f64> {
            runs.iter().filter_map(f).collect()
        };
        let max = |values: Vec<f64>| values.into_iter().fold(0.0, f64::max);
        json!({
            "requests_per_second": median(&all(&|r| r["requests_per_second"].as_f64())),
            "requests_per_second_samples": all(&|r| r["requests_per_second"].as_f64()),
            "vm_hwm_kib": max(all(&|r| r["vm_hwm_kib"].as_f64())),
            "vm_hwm_above_start_kib": max(all(&|r| {
                Some(r["vm_hwm_kib"].as_f64()? - r["vm_rss_before_kib"].as_f64()?)
            })),
            "connections": max(all(&|r| r["server"]["connections"].as_f64())),
            "max_in_window": max(all(&|r| r["server"]["max_in_window"].as_f64())),
            "rejected": max(all(&|r| r["server"]["rejected"].as_f64())),
            "server_requests": max(all(&|r| r["server"]["requests"].as_f64())),
        })
    };
    write_json(
        &json_path,
        &json!({
            "tokens": tokens,
            "requests_per_token": requests,
            "concurrency": concurrency,
            "limit": limit,
            "window_ms": window_ms,
            "rounds": rounds,
            "pool": summary("pool"),
            "each": summary("each"),
        }),
    )
}

/// Per token, the times the server read its requests.
type Arrivals = Mutex<HashMap<String, Vec<Instant>>>;

/// Serves `messages/getAll` until standard input closes, answering `429` to a token past `limit` requests
/// within the window; then prints its counts as JSON.
fn serve(options: &Options) -> Result<()> {
    let limit = options.number("limit", 10)? as usize;
    let window = Duration::from_millis(options.number("window-ms", 500)?);
    let arrivals: Arc<Arrivals> = Arc::default();
    let rejected = Arc::new(AtomicUsize::new(0));
    let response: Arc<[u8]> = Arc::from(get_all_response(0, 1).into_bytes());
    let server = {
        let arrivals = arrivals.clone();
        let rejected = rejected.clone();
        Server::on_thread(move |request, _| {
            let body = request.json();
            let token = body["AccessToken"].as_str().unwrap_or("").to_string();
            let now = Instant::now();
            let Ok(mut arrivals) = arrivals.lock() else {
                return Action::json(500, "{}");
            };
            let times = arrivals.entry(token).or_default();
            times.push(now);
            let recent = times
                .iter()
                .rev()
                .take_while(|t| now.duration_since(**t) < window)
                .count();
            if recent > limit {
                rejected.fetch_add(1, Ordering::Relaxed);
                Action::json(429, r#"{"Message":"Too many requests."}"#).header("Retry-After", "1")
            } else {
                Action::ok(response.clone())
            }
        })
        .context("loopback server")?
    };
    println!("listening {}", server.base_url);
    std::io::stdout().flush()?;
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    let connections = server.connections();
    let requests = server.request_count();
    drop(server);
    let arrivals = arrivals.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut max_in_window = 0;
    for times in arrivals.values() {
        let mut start = 0;
        for end in 0..times.len() {
            while times[end].duration_since(times[start]) >= window {
                start += 1;
            }
            max_in_window = max_in_window.max(end + 1 - start);
        }
    }
    println!(
        "{}",
        json!({
            "connections": connections,
            "requests": requests,
            "tokens": arrivals.len(),
            "max_in_window": max_in_window,
            "rejected": rejected.load(Ordering::Relaxed),
        })
    );
    Ok(())
}

/// Makes the calls one way and prints what it measured as JSON.
fn run(options: &Options) -> Result<()> {
    let mode = options
        .value("mode")
        .context("run needs --mode")?
        .to_string();
    let base = options
        .value("base")
        .context("run needs --base")?
        .to_string();
    let tokens = options.number("tokens", 1_000)?;
    let requests = options.number("requests", 20)?;
    let concurrency = options.number("concurrency", 64)?;
    let limits = RateLimits::disabled().per_token(Some(RateWindow::new(
        options.number("limit", 10)? as u32,
        Duration::from_millis(options.number("window-ms", 500)?),
    )));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let request = MessagesGetAllRequest::new(
        vec![MessageThreadId::from(
            "c1478ff9-80b7-4ea2-94fc-ae4e009e1463",
        )],
        Limitation::new(10),
    );
    let rss_before = vm_kib("VmRSS:");
    let (seconds, calls) = runtime.block_on(async {
        let environment = Environment::Custom(base.clone());
        let clients: Vec<Client> = match mode.as_str() {
            "pool" => {
                let pool: ClientPool =
                    Client::multi_property(environment, CLIENT_TOKEN, "Bench 1.0.0")
                        .rate_limits(limits)
                        .build_pool()?;
                (0..tokens).map(|t| pool.for_enterprise(token(t))).collect()
            }
            "each" => (0..tokens)
                .map(|t| {
                    Client::builder(environment.clone(), CLIENT_TOKEN, token(t), "Bench 1.0.0")
                        .rate_limits(limits.clone())
                        .build()
                })
                .collect::<Result<_, _>>()?,
            other => bail!("unknown mode `{other}`"),
        };
        let clients = Arc::new(clients);
        let request = Arc::new(request);
        // Round-robin over the tokens: the k-th call is token k mod T's.
        let next = Arc::new(AtomicUsize::new(0));
        let total = (tokens * requests) as usize;
        let started = Instant::now();
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let clients = clients.clone();
                let request = request.clone();
                let next = next.clone();
                tokio::spawn(async move {
                    let mut calls = 0u64;
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= total {
                            break;
                        }
                        let client = &clients[k % clients.len()];
                        let page = client.messages().get_all(&request).await?;
                        std::hint::black_box(page);
                        calls += 1;
                    }
                    Ok::<_, anyhow::Error>(calls)
                })
            })
            .collect();
        let mut calls = 0;
        for worker in workers {
            calls += worker.await??;
        }
        Ok::<_, anyhow::Error>((started.elapsed().as_secs_f64(), calls))
    })?;
    if calls != tokens * requests {
        bail!("made {calls} calls of {}", tokens * requests);
    }
    println!(
        "{}",
        json!({
            "mode": mode,
            "calls": calls,
            "seconds": seconds,
            "requests_per_second": calls as f64 / seconds.max(1e-9),
            "vm_rss_before_kib": rss_before,
            "vm_hwm_kib": vm_kib("VmHWM:"),
        })
    );
    Ok(())
}

/// A line of `/proc/self/status` in KiB (Linux).
fn vm_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}
