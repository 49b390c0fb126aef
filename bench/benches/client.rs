//! Client overhead benchmark: requests per second through the generated client
//! (`client.messages().get_all(…)`, client-side rate limiting off) against a loopback server returning a fixed
//! small response, beside bare reqwest posting the same bytes to the same server at the same concurrency,
//! and bare reqwest plus decoding into a hand-written struct. Rounds alternate between the three.
//!
//! `[--requests N] [--rounds R] [--concurrency 1,16] [--ways generated,bare_reqwest,bare_reqwest_decoded]
//! [--json FILE]`; medians over the rounds (`--ways` picks some, for profiling one alone).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bench::messages::{HandGetAllResponse, get_all_response};
use bench::{Options, finish, median, write_json};
use loopback::{Action, Server};
use mews_connector::{Environment, Limitation, MessageThreadId, MessagesGetAllRequest};
use serde_json::json;

fn main() -> std::process::ExitCode {
    finish(run(&Options::from_env()))
}

/// The three ways of making the same call.
#[derive(Clone, Copy, Debug)]
enum Way {
    Generated,
    Bare,
    BareDecoded,
}

impl Way {
    const ALL: [Way; 3] = [Way::Generated, Way::Bare, Way::BareDecoded];

    fn name(self) -> &'static str {
        match self {
            Way::Generated => "generated",
            Way::Bare => "bare_reqwest",
            Way::BareDecoded => "bare_reqwest_decoded",
        }
    }
}

/// What every task needs to make calls.
struct Callers {
    generated: mews_connector::Client,
    request: MessagesGetAllRequest,
    bare: reqwest::Client,
    url: String,
    body: Vec<u8>,
}

fn run(options: &Options) -> Result<()> {
    let requests = options.number("requests", 4_000)?.max(1);
    let rounds = options.number("rounds", 7)?.max(1) as usize;
    let levels = options.numbers("concurrency", &[1, 16])?;
    let json = options.path("json", "target/bench/client.json");
    let ways: Vec<Way> = match options.value("ways") {
        None => Way::ALL.to_vec(),
        Some(names) => names
            .split(',')
            .map(|name| {
                Way::ALL
                    .into_iter()
                    .find(|w| w.name() == name.trim())
                    .with_context(|| format!("unknown way `{name}`"))
            })
            .collect::<Result<_, _>>()?,
    };

    // The docs' example response: one message.
    let response: Arc<[u8]> = Arc::from(get_all_response(0, 1).into_bytes());
    let sent: Arc<OnceLock<Vec<u8>>> = Arc::new(OnceLock::new());
    let server = {
        let sent = sent.clone();
        let response = response.clone();
        Server::on_thread(move |request, _| {
            if request.method == "POST" {
                // The first body the generated client sends is what bare reqwest sends afterwards.
                let _ = sent.get_or_init(|| request.body.clone());
                Action::ok(response.clone())
            } else {
                Action::json(404, r#"{"Message":"not found"}"#)
            }
        })
        .context("loopback server")?
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let rows = runtime.block_on(async {
        let generated: mews_connector::Client = mews_connector::Client::builder(
            Environment::Custom(server.base_url.clone()),
            "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D",
            "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D",
            "Sample Client 1.0.0",
        )
        .no_rate_limit()
        .build()?;
        let request = MessagesGetAllRequest::new(
            vec![MessageThreadId::from(
                "c1478ff9-80b7-4ea2-94fc-ae4e009e1463",
            )],
            Limitation::new(10),
        );
        let page = generated.messages().get_all(&request).await?;
        if page.messages.len() != 1 {
            bail!("the loopback response did not decode to one message");
        }
        let body = sent
            .get()
            .cloned()
            .context("the server saw no request body")?;
        let bare = bare_client()?;
        let callers = Arc::new(Callers {
            generated,
            request,
            bare,
            url: format!("{}/api/connector/v1/messages/getAll", server.base_url),
            body,
        });
        let mut rows = Vec::new();
        for &level in &levels {
            // Warm every way up (connections, allocator), then alternate rounds.
            for &way in &ways {
                rate(&callers, way, level, requests.min(500)).await?;
            }
            let mut samples: Vec<Vec<f64>> = vec![Vec::new(); ways.len()];
            for round in 0..rounds {
                for i in 0..ways.len() {
                    let index = (i + round) % ways.len();
                    samples[index].push(rate(&callers, ways[index], level, requests).await?);
                }
            }
            let mut row = serde_json::Map::new();
            row.insert("concurrency".into(), json!(level));
            for (way, samples) in ways.iter().zip(&samples) {
                eprintln!(
                    "client: concurrency {level}: {} {:.0} requests/s (median of {rounds})",
                    way.name(),
                    median(samples)
                );
                row.insert(format!("{}_rps", way.name()), json!(median(samples)));
                row.insert(format!("{}_samples", way.name()), json!(samples));
            }
            rows.push(serde_json::Value::Object(row));
        }
        Ok::<_, anyhow::Error>(rows)
    })?;
    drop(server);
    write_json(
        &json,
        &json!({
            "requests_per_round": requests,
            "rounds": rounds,
            "response_bytes": response.len(),
            "levels": rows,
        }),
    )
}

/// A reqwest client as plain as the runtime's transport: rustls (unused over `http://`), no redirects.
fn bare_client() -> Result<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(client)
}

/// Makes `total` calls `way`, `level` at a time, and returns the calls per second.
async fn rate(callers: &Arc<Callers>, way: Way, level: u64, total: u64) -> Result<f64> {
    let level = level.clamp(1, total);
    let started = Instant::now();
    let tasks: Vec<_> = (0..level)
        .map(|task| {
            let callers = callers.clone();
            // Spread `total` over the tasks.
            let calls = total / level + u64::from(task < total % level);
            tokio::spawn(async move {
                for _ in 0..calls {
                    call(&callers, way).await?;
                }
                Ok::<_, anyhow::Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let took = started.elapsed().max(Duration::from_nanos(1));
    Ok(total as f64 / took.as_secs_f64())
}

async fn call(callers: &Callers, way: Way) -> Result<()> {
    match way {
        Way::Generated => {
            let page = callers
                .generated
                .messages()
                .get_all(&callers.request)
                .await?;
            std::hint::black_box(page);
        }
        Way::Bare | Way::BareDecoded => {
            let response = callers
                .bare
                .post(&callers.url)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(callers.body.clone())
                .send()
                .await?;
            if !response.status().is_success() {
                bail!("status {}", response.status());
            }
            let bytes = response.bytes().await?;
            if matches!(way, Way::BareDecoded) {
                let page: HandGetAllResponse = serde_json::from_slice(&bytes)?;
                std::hint::black_box(page);
            } else {
                std::hint::black_box(bytes);
            }
        }
    }
    Ok(())
}
