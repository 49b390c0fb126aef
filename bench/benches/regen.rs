//! Regeneration benchmark: the whole pipeline over a spec folder (read, parse, lower, plan, emit + format with
//! the API surface and diagnostics files, write into a scratch folder), phase by phase, beside two floors
//! measured in the same runs: pulldown-cmark alone over the same Markdown, and syn + prettyplease alone over the
//! same output, one thread; and emission alone, one thread, for scale.
//!
//! `--spec DIR --label NAME [--reps N] [--scratch DIR] [--json FILE]`; medians over the repetitions.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bench::{Options, finish, median_seconds, write_json};
use codegen::diagnostics::Diagnostics;
use codegen::emit::OutputFile;
use cpu_time::ProcessTime;
use proc_macro2::TokenStream;
use serde_json::json;

/// The pipeline's phases, in the order data flows through them.
const PHASES: [&str; 8] = [
    "read", "parse", "lower", "emit", "format", "write", "total", "cpu",
];

fn main() -> std::process::ExitCode {
    finish(run(&Options::from_env()))
}

fn run(options: &Options) -> Result<()> {
    let spec = options.path("spec", "spec");
    let label = options.value("label").unwrap_or("spec").to_string();
    let reps = options.number("reps", 15)?.max(1) as usize;
    let scratch = options
        .path("scratch", "target/bench/scratch")
        .join(format!("regen-{label}"));
    let json = options.path("json", &format!("target/bench/regen-{label}.json"));
    let config = codegen::Config {
        command: format!("cargo xtask regen --spec {} --out SCRATCH", spec.display()),
        spec_label: format!("{}/", spec.display()),
        crate_name: "bench_client".to_string(),
        ..codegen::Config::default()
    };

    // What the floors work on: the same pages, and the token streams the pipeline formats.
    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(&spec, &mut diagnostics)
        .with_context(|| format!("cannot read `{}`", spec.display()))?;
    let pages: Vec<String> = input.sources.iter().map(|(_, f)| f.text.clone()).collect();
    let markdown_bytes: usize = pages.iter().map(String::len).sum();
    let (api, found, _) = codegen::analyze(input.sources, input.overrides.as_deref());
    if found.has_errors() {
        bail!(
            "`{}` has errors; run `cargo xtask regen --spec {}` to see them",
            spec.display(),
            spec.display()
        );
    }
    let tokens: Vec<TokenStream> = codegen::emit::emit(&api, &config)
        .into_values()
        .filter_map(|file| match file {
            OutputFile::Rust(tokens) => Some(tokens),
            OutputFile::Text(_) => None,
        })
        .collect();
    let texts: Vec<String> = tokens.iter().map(TokenStream::to_string).collect();
    let rust_files = tokens.len();

    eprintln!(
        "regen/{label}: {} pages ({:.0} KiB), {} Rust files, {reps} repetitions",
        pages.len(),
        markdown_bytes as f64 / 1024.0,
        rust_files
    );
    let mut phases: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut floor_markdown = Vec::new();
    let mut floor_text = Vec::new();
    let mut floor_tokens = Vec::new();
    let mut floor_tokens_cpu = Vec::new();
    let mut emission = Vec::new();
    let mut output = (0, 0);
    // One warm-up round (page cache, allocator), then the measured ones.
    for rep in 0..=reps {
        let sample = pipeline(&spec, &scratch, &config)?;
        let markdown = time(|| markdown_floor(&pages))?;
        let text = time(|| format_floor_text(&texts))?;
        let cpu_started = ProcessTime::now();
        let token = time(|| format_floor_tokens(&tokens))?;
        let token_cpu = cpu_started.elapsed();
        let emitted = time(|| Ok(codegen::emit::emit(&api, &config).len()))?;
        if rep == 0 {
            output = (sample.files, sample.bytes);
            continue;
        }
        for (phase, took) in sample.phases {
            phases.entry(phase).or_default().push(took);
        }
        floor_markdown.push(markdown);
        floor_text.push(text);
        floor_tokens.push(token);
        floor_tokens_cpu.push(token_cpu);
        emission.push(emitted);
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let medians: serde_json::Map<String, serde_json::Value> = PHASES
        .iter()
        .map(|phase| {
            let samples = phases.get(phase).map_or(&[][..], Vec::as_slice);
            (phase.to_string(), json!(median_seconds(samples)))
        })
        .collect();
    let report = json!({
        "label": label,
        "spec": spec.display().to_string(),
        "pages": pages.len(),
        "markdown_bytes": markdown_bytes,
        "rust_files": rust_files,
        "files_written": output.0,
        "bytes_written": output.1,
        "reps": reps,
        "format_threads": std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8),
        "median_s": medians,
        "floors_s": {
            "markdown": median_seconds(&floor_markdown),
            "format_text": median_seconds(&floor_text),
            "format_tokens": median_seconds(&floor_tokens),
            "format_tokens_cpu": median_seconds(&floor_tokens_cpu),
        },
        // Not a floor: emission alone, one thread (the pipeline emits on the formatting threads), for scale.
        "emit_alone_s": median_seconds(&emission),
        // Every repetition, in order: the floors ran right after the pipeline in the same repetition, so
        // ratios can be taken pairwise, which cancels most of a noisy machine's drift.
        "samples_s": {
            "total": seconds(phases.get("total")),
            "parse": seconds(phases.get("parse")),
            "format": seconds(phases.get("format")),
            "markdown": seconds(Some(&floor_markdown)),
            "format_text": seconds(Some(&floor_text)),
            "format_tokens": seconds(Some(&floor_tokens)),
            "cpu": seconds(phases.get("cpu")),
            "format_tokens_cpu": seconds(Some(&floor_tokens_cpu)),
        },
    });
    eprintln!(
        "regen/{label}: total {:.1} ms (median)",
        median_seconds(phases.get("total").map_or(&[][..], Vec::as_slice)) * 1e3
    );
    write_json(&json, &report)
}

fn seconds(samples: Option<&Vec<Duration>>) -> Vec<f64> {
    samples.map_or(Vec::new(), |s| {
        s.iter().map(Duration::as_secs_f64).collect()
    })
}

/// One run's phases.
struct Sample {
    phases: Vec<(&'static str, Duration)>,
    files: usize,
    bytes: usize,
}

/// The pipeline `cargo xtask regen --spec DIR --out DIR` runs, into an emptied `scratch` folder. Writing is
/// plain file creation (regen also compares with existing files and swaps them in as a transaction).
fn pipeline(spec: &Path, scratch: &Path, config: &codegen::Config) -> Result<Sample> {
    let _ = std::fs::remove_dir_all(scratch);
    let started = Instant::now();
    let cpu_started = ProcessTime::now();
    let mut diagnostics = Diagnostics::default();
    let input = codegen::load::load_dir(spec, &mut diagnostics)
        .with_context(|| format!("cannot read `{}`", spec.display()))?;
    let read = started.elapsed();
    let (generated, times) =
        codegen::generate_timed(input.sources, input.overrides.as_deref(), config);
    if generated.files.is_empty() {
        bail!("`{}` generated nothing", spec.display());
    }
    let write_started = Instant::now();
    let mut bytes = 0;
    let mut count = 0;
    for (path, text) in &generated.files {
        let target = scratch.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        }
        std::fs::write(&target, text).with_context(|| target.display().to_string())?;
        bytes += text.len();
        count += 1;
    }
    let write = write_started.elapsed();
    let total = started.elapsed();
    let cpu = cpu_started.elapsed();
    drop(generated);
    Ok(Sample {
        phases: vec![
            ("read", read),
            ("parse", times.parse),
            ("lower", times.lower),
            ("emit", times.emit),
            ("format", times.format),
            ("write", write),
            ("total", total),
            ("cpu", cpu),
        ],
        files: count,
        bytes,
    })
}

fn time(work: impl FnOnce() -> Result<usize>) -> Result<Duration> {
    let started = Instant::now();
    black_box(work()?);
    Ok(started.elapsed())
}

/// pulldown-cmark alone, with the options the parser uses, over every page: the Markdown floor.
fn markdown_floor(pages: &[String]) -> Result<usize> {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Ok(pages
        .iter()
        .map(|page| {
            Parser::new_ext(black_box(page), options)
                .into_offset_iter()
                .count()
        })
        .sum())
}

/// `syn::parse_file` + `prettyplease::unparse` over the text of the emitted token streams, one thread.
fn format_floor_text(texts: &[String]) -> Result<usize> {
    let mut bytes = 0;
    for text in texts {
        let file = syn::parse_file(black_box(text))?;
        bytes += prettyplease::unparse(&file).len();
    }
    Ok(bytes)
}

/// `syn::parse2` + `prettyplease::unparse` over the emitted token streams themselves, one thread.
fn format_floor_tokens(tokens: &[TokenStream]) -> Result<usize> {
    let mut bytes = 0;
    for stream in tokens {
        let file: syn::File = syn::parse2(black_box(stream.clone()))?;
        bytes += prettyplease::unparse(&file).len();
    }
    Ok(bytes)
}
