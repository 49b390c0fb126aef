//! Shared pieces of the benchmarks run by `cargo xtask bench`: synthesised `messages/getAll` responses and a
//! hand-written serde model of them, command-line options and result files. The loopback HTTP server is the
//! `loopback` crate's, on a thread of its own (`Server::on_thread`).
//!
//! The benchmark programs are the `[[bench]]` targets in `benches/`; each prints progress on stderr and writes
//! its measurements as JSON to the file named by `--json`, which `cargo xtask bench` turns into the table.

pub mod amounts;
pub mod messages;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

/// Command-line options of a benchmark program: `--name value` pairs and bare `--flag`s.
///
/// `cargo bench` adds `--bench`, which is accepted and ignored.
#[derive(Debug, Default)]
pub struct Options {
    values: BTreeMap<String, String>,
    flags: Vec<String>,
}

impl Options {
    /// Reads the process arguments. An option is a value option when the next argument does not start with `--`.
    pub fn from_env() -> Options {
        Options::parse(std::env::args().skip(1))
    }

    /// Reads options from `args`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Options {
        let mut options = Options::default();
        let mut args = args.into_iter().peekable();
        while let Some(arg) = args.next() {
            let Some(name) = arg.strip_prefix("--") else {
                continue;
            };
            match args.peek() {
                Some(next) if !next.starts_with("--") => {
                    let value = args.next().unwrap_or_default();
                    options.values.insert(name.to_string(), value);
                }
                _ => options.flags.push(name.to_string()),
            }
        }
        options
    }

    /// The value of `--name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether `--name` was given without a value.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// `--name` as a number, or `default`.
    pub fn number(&self, name: &str, default: u64) -> Result<u64> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .replace('_', "")
                .parse()
                .with_context(|| format!("--{name} needs a number, not `{text}`")),
        }
    }

    /// `--name` as a comma-separated list of numbers, or `default`.
    pub fn numbers(&self, name: &str, default: &[u64]) -> Result<Vec<u64>> {
        match self.value(name) {
            None => Ok(default.to_vec()),
            Some(text) => text
                .split(',')
                .map(|part| {
                    part.trim()
                        .replace('_', "")
                        .parse()
                        .with_context(|| format!("--{name} needs numbers, not `{part}`"))
                })
                .collect(),
        }
    }

    /// `--name` as a path, or `default`.
    pub fn path(&self, name: &str, default: &str) -> PathBuf {
        PathBuf::from(self.value(name).unwrap_or(default))
    }
}

/// The median of `samples` (the mean of the middle two for an even count); 0 for none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median of `samples`, in seconds.
pub fn median_seconds(samples: &[Duration]) -> f64 {
    median(
        &samples
            .iter()
            .map(Duration::as_secs_f64)
            .collect::<Vec<_>>(),
    )
}

/// Writes `value` as pretty JSON to `path` (creating its folder).
pub fn write_json(path: &std::path::Path, value: &serde_json::Value) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    }
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text + "\n").with_context(|| path.display().to_string())
}

/// Ends a benchmark program: prints the error and exits non-zero, or exits zero.
pub fn finish(result: Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
