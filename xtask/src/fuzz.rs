//! `cargo xtask fuzz`: mutates real pages and runs the generator on each, catching panics.
//!
//! Stable Rust, no external fuzzer: a seeded PRNG ([`fastrand`]) mutates pages from `spec/` (the whole
//! reference), the test fixtures and, when given, older versions of the docs (byte flips, inserted Markdown punctuation, line deletions, duplications and swaps,
//! table cell swaps, truncation, splices from other pages, hostile page paths), then runs parse → lower →
//! render diagnostics → emit (and format, on a sample) under [`std::panic::catch_unwind`].
//! Case `i` of seed `s` depends on `(s, i)` alone, so any failure replays with `--seed s --replay i`.
//! A failing case is minimized (pages, then lines, then characters) and saved as a fixture-format file.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use codegen::diagnostics::render_all;
use codegen::source::SourceSet;

/// One input page of a case: its path relative to the spec root and its text.
pub type Page = (String, String);

/// Pages to mutate, loaded once.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    pub pages: Vec<Page>,
    /// The project's `overrides.toml`, sometimes passed along (mutated or not).
    pub overrides: Option<String>,
}

impl Pool {
    /// Loads `spec/`, the codegen fixtures and `extra` pages (another version of the docs), when given (each
    /// fixture file may hold several pages separated by `<!-- page: path -->` lines).
    pub fn load(root: &Path, extra: Option<&Path>) -> Result<Pool> {
        let mut pool = Pool::default();
        let mut dirs = vec![root.join("spec")];
        dirs.extend(extra.map(Path::to_path_buf));
        for dir in dirs {
            let mut diagnostics = codegen::diagnostics::Diagnostics::default();
            let input = codegen::load::load_dir(&dir, &mut diagnostics)
                .with_context(|| format!("cannot read `{}`", dir.display()))?;
            pool.pages.extend(
                input
                    .sources
                    .iter()
                    .map(|(_, f)| (f.path.clone(), f.text.clone())),
            );
            if pool.overrides.is_none() {
                pool.overrides = input.overrides;
            }
        }
        let fixtures = root.join("codegen/tests/fixtures");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures)
            .with_context(|| format!("cannot read `{}`", fixtures.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        names.sort();
        for path in names {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            pool.pages.extend(split_pages(&stem, &text));
        }
        if pool.pages.is_empty() {
            bail!("no pages to mutate");
        }
        Ok(pool)
    }
}

/// Splits a fixture-format file into pages (`<!-- page: path -->` lines); a file without markers is one page.
pub fn split_pages(name: &str, text: &str) -> Vec<Page> {
    const MARKER: &str = "<!-- page: ";
    if !text.starts_with(MARKER) {
        return vec![(format!("operations/{name}.md"), text.to_string())];
    }
    text.split(MARKER)
        .filter(|part| !part.is_empty())
        .filter_map(|part| {
            part.split_once(" -->\n")
                .map(|(path, body)| (path.trim().to_string(), body.to_string()))
        })
        .collect()
}

/// Joins pages into one fixture-format file.
pub fn join_pages(pages: &[Page]) -> String {
    pages
        .iter()
        .map(|(path, text)| format!("<!-- page: {path} -->\n{text}"))
        .collect()
}

/// A generated input: pages and maybe an overrides file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub pages: Vec<Page>,
    pub overrides: Option<String>,
}

/// What went wrong on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `panic` or `internal-error` (generated tokens that do not parse).
    pub kind: &'static str,
    pub message: String,
    /// `file:line` of the panic, when known; minimization keeps it fixed.
    pub location: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}: {}", self.kind, self.location, self.message)
    }
}

/// Markdown punctuation and odd text that the grammar cares about, inserted by mutations.
const TOKENS: &[&str] = &[
    "|",
    "| ",
    " | ",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "[x](#y)",
    "[T](../guidelines/pagination.md#limitation)",
    "](",
    "#",
    "## ",
    "### ",
    "#### ",
    "\n## Request\n",
    "\n### Request\n",
    "\n### Response\n",
    "> ",
    ">>>>",
    "* ",
    "- ",
    "1. ",
    "~~",
    "**",
    "*",
    "_",
    "{% hint style=\"info\" %}",
    "{% endhint %}",
    "{%",
    "%}",
    "\u{feff}",
    "\u{0}",
    "\u{7f}",
    "é",
    "\u{202e}",
    "\u{200b}",
    "𝕏",
    "../",
    "/",
    "\\",
    "```",
    "```json\n",
    "{",
    "}",
    "\"",
    ":",
    "<a id=\"x\"></a>",
    "<",
    ">",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "\t",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "array of ",
    "array",
    "null",
    ",",
    "string",
    "object",
    "required",
    "optional",
    "max 1000 items",
    "max length 5 characters",
    "strnig",
    "sometimes",
    "…",
    "...",
    "`[PlatformAddress]/api/connector/v1/",
    "/api/connector/v1/",
    "`[PlatformAddress]/api/connector/v1/a/b`",
    "Deprecated!",
    "**Deprecated!**",
    "~~`X`~~",
    "?Key?",
    "`Self`",
    "`3D`",
    "`type`",
    "`_`",
    "`+`",
    "| :-- | :-- | :-- | :-- |",
    "| Property | Type | Contract | Description |",
    "9999999999999999999999",
    "-1",
    "0",
];

/// Page paths that try to escape the output folder or to make odd module names.
const HOSTILE_PATHS: &[&str] = &[
    "../escape.md",
    "operations/../../escape.md",
    "/etc/passwd.md",
    "operations//double.md",
    "operations/./dot.md",
    "operations/3dsecure.md",
    "operations/_.md",
    "operations/-.md",
    "operations/é.md",
    "operations/self.md",
    "operations/mod.md",
    "operations/client.md",
    "operations/default.md",
    "operations/a b.md",
    "operations/.md",
    "operations/con.md",
    "operations/\u{202e}txt.md",
    "operations/sub/dir/page.md",
    "C:\\windows\\x.md",
    "operations/README.md",
    "guidelines/../operations/x.md",
    "operations/x\u{0}.md",
    "operations/ids.md",
    "operations/tests.md",
    "operations/full-serde.md",
];

/// Seeds a PRNG for case `iteration` of run `seed` (splitmix64, so nearby iterations differ in every bit).
pub fn case_rng(seed: u64, iteration: u64) -> fastrand::Rng {
    let mut z = seed
        ^ iteration
            .wrapping_add(1)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    fastrand::Rng::with_seed(z ^ (z >> 31))
}

/// Case `iteration` of run `seed`: one to three pages of the pool, the first always mutated.
pub fn make_case(pool: &Pool, seed: u64, iteration: u64) -> Case {
    let mut rng = case_rng(seed, iteration);
    let count = match rng.u8(0..10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let mut pages: Vec<Page> = Vec::new();
    for n in 0..count {
        let (path, text) = pool.pages[rng.usize(0..pool.pages.len())].clone();
        let text = if n == 0 || rng.bool() {
            mutate(&mut rng, &text, pool)
        } else {
            text
        };
        let path = if rng.u8(0..50) == 0 {
            HOSTILE_PATHS[rng.usize(0..HOSTILE_PATHS.len())].to_string()
        } else {
            path
        };
        pages.push((path, text));
    }
    let overrides = match (&pool.overrides, rng.u8(0..20)) {
        (Some(text), 0) => Some(text.clone()),
        (Some(text), 1) => Some(mutate(&mut rng, text, pool)),
        _ => None,
    };
    Case { pages, overrides }
}

/// Applies one to five mutations.
pub fn mutate(rng: &mut fastrand::Rng, text: &str, pool: &Pool) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..rng.usize(1..=5) {
        mutate_once(rng, &mut bytes, pool);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn line_ranges(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

fn mutate_once(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>, pool: &Pool) {
    let lines = line_ranges(bytes);
    match rng.u8(0..12) {
        // Flip one bit.
        0 if !bytes.is_empty() => {
            let i = rng.usize(0..bytes.len());
            bytes[i] ^= 1 << rng.u8(0..8);
        }
        // Overwrite a byte with ASCII punctuation.
        1 if !bytes.is_empty() => {
            let i = rng.usize(0..bytes.len());
            const PUNCTUATION: &[u8] = b"|`[]()#*~>-_\\\n\t {}%\"!?:,.";
            bytes[i] = PUNCTUATION[rng.usize(0..PUNCTUATION.len())];
        }
        // Insert a grammar token.
        2 | 3 => {
            let i = rng.usize(0..=bytes.len());
            let token = TOKENS[rng.usize(0..TOKENS.len())];
            bytes.splice(i..i, token.bytes());
        }
        // Delete a line.
        4 if !lines.is_empty() => {
            let line = lines[rng.usize(0..lines.len())].clone();
            bytes.drain(line);
        }
        // Duplicate a line (or a run of lines).
        5 if !lines.is_empty() => {
            let a = rng.usize(0..lines.len());
            let b = (a + rng.usize(0..4)).min(lines.len() - 1);
            let copy = bytes[lines[a].start..lines[b].end].to_vec();
            let at = lines[b].end;
            bytes.splice(at..at, copy);
        }
        // Swap two lines.
        6 if lines.len() > 1 => {
            let a = rng.usize(0..lines.len());
            let b = rng.usize(0..lines.len());
            let (a, b) = (a.min(b), a.max(b));
            if a != b {
                let first = bytes[lines[a].clone()].to_vec();
                let second = bytes[lines[b].clone()].to_vec();
                let mut out = bytes[..lines[a].start].to_vec();
                out.extend(&second);
                out.extend(&bytes[lines[a].end..lines[b].start]);
                out.extend(&first);
                out.extend(&bytes[lines[b].end..]);
                *bytes = out;
            }
        }
        // Swap, drop or duplicate a table cell.
        7 | 8 => {
            let rows: Vec<_> = lines
                .iter()
                .filter(|r| bytes[(*r).clone()].iter().filter(|&&b| b == b'|').count() >= 3)
                .collect();
            if rows.is_empty() {
                return;
            }
            let row = rows[rng.usize(0..rows.len())].clone();
            let line = String::from_utf8_lossy(&bytes[row.clone()]).into_owned();
            let mut cells: Vec<String> = line.split('|').map(str::to_string).collect();
            let n = cells.len();
            match rng.u8(0..3) {
                0 => {
                    let (a, b) = (rng.usize(0..n), rng.usize(0..n));
                    cells.swap(a, b);
                }
                1 => {
                    cells.remove(rng.usize(1..n));
                }
                _ => {
                    let i = rng.usize(0..n);
                    let cell = cells[i].clone();
                    cells.insert(i, cell);
                }
            }
            bytes.splice(row, cells.join("|").into_bytes());
        }
        // Truncate.
        9 if !bytes.is_empty() => {
            bytes.truncate(rng.usize(0..bytes.len()));
        }
        // Splice lines from another page.
        10 => {
            let other = pool.pages[rng.usize(0..pool.pages.len())].1.as_bytes();
            let other_lines = line_ranges(other);
            if other_lines.is_empty() {
                return;
            }
            let a = rng.usize(0..other_lines.len());
            let b = (a + rng.usize(0..8)).min(other_lines.len() - 1);
            let at = lines
                .get(rng.usize(0..lines.len().max(1)))
                .map_or(0, |r| r.start);
            bytes.splice(
                at..at,
                other[other_lines[a].start..other_lines[b].end].to_vec(),
            );
        }
        // Repeat a nesting token many times (deep quotes, lists, emphasis, brackets).
        _ => {
            let token: &[u8] = [
                &b"> "[..],
                b"* ",
                b"  - ",
                b"*",
                b"_",
                b"[",
                b"~~",
                b"`",
                b"|",
                b"#",
            ][rng.usize(0..10)];
            let count = rng.usize(1..300);
            let at = lines
                .get(rng.usize(0..lines.len().max(1)))
                .map_or(0, |r| r.start);
            let mut insert = token.repeat(count);
            insert.extend_from_slice(b"x\n");
            bytes.splice(at..at, insert);
        }
    }
}

thread_local! {
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics on threads running cases and defers to the previous
/// hook everywhere else, so other tests in the same process keep their messages.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(|c| c.get()) {
                let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_string()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "<non-string panic payload>".to_string()
                };
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some((message, location)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs the pipeline on a case. `format` also prints the generated tokens (the slowest step).
pub fn run_case(case: &Case, format: bool) -> Result<(), Failure> {
    install_hook();
    CATCHING.with(|c| c.set(true));
    LAST_PANIC.with(|p| *p.borrow_mut() = None);
    let result = catch_unwind(AssertUnwindSafe(|| pipeline(case, format)));
    CATCHING.with(|c| c.set(false));
    match result {
        Ok(outcome) => outcome,
        Err(_) => {
            let (message, location) = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_default();
            Err(Failure {
                kind: "panic",
                message,
                location,
            })
        }
    }
}

fn pipeline(case: &Case, format: bool) -> Result<(), Failure> {
    let sources = SourceSet::from_pages(case.pages.iter().cloned());
    let (api, diagnostics, sources) = codegen::analyze(sources, case.overrides.as_deref());
    let _ = render_all(&diagnostics, &sources, "spec/");
    // The emitter runs on every IR, with or without errors: lowering always produces a well-formed one.
    let files = codegen::emit::emit(&api, &codegen::Config::default());
    if format && let Err(error) = codegen::format::format_all(files) {
        return Err(Failure {
            kind: "internal-error",
            message: error.message,
            location: String::new(),
        });
    }
    Ok(())
}

/// Shrinks a failing case while it fails the same way: drops pages, then runs of lines, then characters.
pub fn minimize(case: &Case, failure: &Failure, format: bool, budget: Duration) -> Case {
    let started = Instant::now();
    let same = |c: &Case| {
        run_case(c, format)
            .err()
            .is_some_and(|f| f.kind == failure.kind && f.location == failure.location)
    };
    let mut best = case.clone();
    if best.overrides.is_some() {
        let candidate = Case {
            overrides: None,
            ..best.clone()
        };
        if same(&candidate) {
            best = candidate;
        }
    }
    let mut i = 0;
    while i < best.pages.len() && best.pages.len() > 1 {
        let mut candidate = best.clone();
        candidate.pages.remove(i);
        if same(&candidate) {
            best = candidate
        } else {
            i += 1
        }
    }
    for page in 0..best.pages.len() {
        // Lines, then characters: remove chunks of halving size (ddmin-style).
        for unit_is_line in [true, false] {
            let units = |text: &str| -> Vec<String> {
                if unit_is_line {
                    text.split_inclusive('\n').map(str::to_string).collect()
                } else {
                    text.chars().map(String::from).collect()
                }
            };
            let mut parts = units(&best.pages[page].1);
            let mut chunk = parts.len().div_ceil(2).max(1);
            loop {
                let mut start = 0;
                while start < parts.len() {
                    if started.elapsed() > budget {
                        return best;
                    }
                    let end = (start + chunk).min(parts.len());
                    let mut candidate = best.clone();
                    candidate.pages[page].1 = parts[..start].concat() + &parts[end..].concat();
                    if same(&candidate) {
                        best = candidate;
                        parts = units(&best.pages[page].1);
                    } else {
                        start = end;
                    }
                }
                if chunk == 1 {
                    break;
                }
                chunk = chunk.div_ceil(2);
            }
        }
    }
    best
}

/// Options of a fuzzing run.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    pub iterations: u64,
    pub threads: usize,
    /// Format (syn + prettyplease) every n-th case; 0 never.
    pub format_every: u64,
    /// Stop early after this long (the count run so far is reported).
    pub time_limit: Option<Duration>,
    /// A case running longer than this is reported as a hang and the run stops.
    pub hang_after: Duration,
    /// Where failing cases are saved; none for tests.
    pub save_dir: Option<PathBuf>,
    /// Print progress to stderr.
    pub progress: bool,
}

/// Distinct failures by kind and location: the iteration that found each first, the failure and the saved file.
pub type Failures = BTreeMap<String, (u64, Failure, Option<PathBuf>)>;

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub iterations: u64,
    pub elapsed: Duration,
    /// Distinct failures (by kind and location), each with the iteration that found it first and the saved file.
    pub failures: Failures,
    /// Every failing iteration, including repeats of a known failure.
    pub failing_iterations: u64,
    pub pages_bytes: u64,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Counters shared by the workers and the watchdog.
#[derive(Default)]
struct Shared {
    done: AtomicU64,
    failing: AtomicU64,
    bytes: AtomicU64,
    stop: AtomicBool,
    finished_workers: AtomicU64,
    failures: Mutex<Failures>,
    /// Per worker: the iteration it runs plus one (0 when idle) and when it started, in ms since the run began.
    current: Vec<(AtomicU64, AtomicU64)>,
}

/// Runs `options.iterations` cases on `options.threads` threads. Workers are detached so that a case that
/// never ends (a hang) can be reported: the run then stops and returns without it.
pub fn run(pool: &Pool, options: &Options) -> Report {
    let started = Instant::now();
    let threads = options.threads.max(1) as u64;
    let shared = Arc::new(Shared {
        current: (0..threads)
            .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
            .collect(),
        ..Shared::default()
    });
    let pool = Arc::new(pool.clone());
    for worker in 0..threads {
        let (mine, pool, options) = (Arc::clone(&shared), Arc::clone(&pool), options.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("fuzz-{worker}"))
            .spawn(move || {
                work(worker, threads, &pool, &options, &mine, started);
                mine.finished_workers.fetch_add(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.finished_workers.fetch_add(1, Ordering::SeqCst);
        }
    }
    // The watchdog: wait for the workers, report a case that runs too long.
    while shared.finished_workers.load(Ordering::SeqCst) < threads {
        std::thread::sleep(Duration::from_millis(20));
        let now = started.elapsed().as_millis() as u64;
        for (current, since) in &shared.current {
            let running = current.load(Ordering::SeqCst);
            if running == 0
                || now.saturating_sub(since.load(Ordering::SeqCst))
                    < options.hang_after.as_millis() as u64
            {
                continue;
            }
            let iteration = running - 1;
            let case = make_case(&pool, options.seed, iteration);
            let failure = Failure {
                kind: "hang",
                message: format!("still running after {:?}", options.hang_after),
                location: String::new(),
            };
            let saved = options
                .save_dir
                .as_ref()
                .and_then(|dir| save(dir, options.seed, iteration, &case, &failure).ok());
            if options.progress {
                eprintln!(
                    "fuzz: iteration {iteration} (seed {}): {failure}",
                    options.seed
                );
            }
            shared.failing.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut f) = shared.failures.lock() {
                f.insert(
                    format!("hang in iteration {iteration}"),
                    (iteration, failure, saved),
                );
            }
            shared.stop.store(true, Ordering::SeqCst);
            return report(&shared, started);
        }
    }
    report(&shared, started)
}

fn report(shared: &Shared, started: Instant) -> Report {
    Report {
        iterations: shared.done.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
        failures: shared
            .failures
            .lock()
            .map(|f| f.clone())
            .unwrap_or_default(),
        failing_iterations: shared.failing.load(Ordering::SeqCst),
        pages_bytes: shared.bytes.load(Ordering::SeqCst),
    }
}

fn work(
    worker: u64,
    threads: u64,
    pool: &Pool,
    options: &Options,
    shared: &Shared,
    started: Instant,
) {
    let mut iteration = worker;
    let slot = &shared.current[worker as usize];
    while iteration < options.iterations && !shared.stop.load(Ordering::Relaxed) {
        let case = make_case(pool, options.seed, iteration);
        shared.bytes.fetch_add(
            case.pages.iter().map(|p| p.1.len() as u64).sum(),
            Ordering::Relaxed,
        );
        let format = options.format_every > 0 && iteration.is_multiple_of(options.format_every);
        slot.1
            .store(started.elapsed().as_millis() as u64, Ordering::SeqCst);
        slot.0.store(iteration + 1, Ordering::SeqCst);
        let result = run_case(&case, format);
        slot.0.store(0, Ordering::SeqCst);
        if let Err(failure) = result {
            shared.failing.fetch_add(1, Ordering::Relaxed);
            let key = format!("{} at {}", failure.kind, failure.location);
            let known = shared
                .failures
                .lock()
                .map(|f| f.contains_key(&key))
                .unwrap_or(true);
            if !known {
                let saved = options.save_dir.as_ref().and_then(|dir| {
                    let small = minimize(&case, &failure, format, Duration::from_secs(60));
                    save(dir, options.seed, iteration, &small, &failure).ok()
                });
                if options.progress {
                    eprintln!(
                        "fuzz: iteration {iteration} (seed {}): {failure}",
                        options.seed
                    );
                    if let Some(path) = &saved {
                        eprintln!("fuzz:   minimized input saved to {}", path.display());
                    }
                }
                if let Ok(mut f) = shared.failures.lock() {
                    f.entry(key).or_insert((iteration, failure, saved));
                }
            }
        }
        let n = shared.done.fetch_add(1, Ordering::Relaxed) + 1;
        if options.progress && n.is_multiple_of(50_000) {
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "fuzz: {n} cases in {secs:.0}s ({:.0}/s), {} failing",
                n as f64 / secs,
                shared.failing.load(Ordering::Relaxed)
            );
        }
        if options
            .time_limit
            .is_some_and(|limit| started.elapsed() > limit)
        {
            shared.stop.store(true, Ordering::Relaxed);
        }
        iteration += threads;
    }
}

fn save(
    dir: &Path,
    seed: u64,
    iteration: u64,
    case: &Case,
    failure: &Failure,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("crash-{seed}-{iteration}.md"));
    std::fs::write(&path, join_pages(&case.pages))?;
    std::fs::write(path.with_extension("txt"), format!("{failure}\n"))?;
    if let Some(overrides) = &case.overrides {
        std::fs::write(path.with_extension("overrides.toml"), overrides)?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `spec/` (the whole reference) and the fixtures.
    fn pool() -> Pool {
        Pool::load(&crate::project_root(), None).unwrap()
    }

    /// A bounded, seeded run: a few seconds of mutated pages through the whole pipeline, no panic.
    #[test]
    fn mutated_pages_never_panic() {
        let pool = pool();
        let options = Options {
            seed: 20_260_807,
            iterations: 300,
            threads: 1,
            format_every: 25,
            time_limit: Some(Duration::from_secs(30)),
            hang_after: Duration::from_secs(60),
            save_dir: None,
            progress: false,
        };
        let report = run(&pool, &options);
        assert!(
            report.iterations >= 200,
            "only {} cases ran",
            report.iterations
        );
        let failures: Vec<String> = report
            .failures
            .values()
            .map(|(i, f, _)| {
                format!(
                    "iteration {i}: {f} (replay: cargo xtask fuzz --seed {} --replay {i})",
                    options.seed
                )
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn cases_depend_only_on_seed_and_iteration() {
        let pool = pool();
        assert_eq!(make_case(&pool, 7, 123), make_case(&pool, 7, 123));
        assert_ne!(make_case(&pool, 7, 123), make_case(&pool, 7, 124));
    }

    #[test]
    fn panics_are_caught_located_and_minimized() {
        // A stand-in pipeline bug: the minimizer keeps what makes it fail and drops the rest.
        let case = Case {
            pages: vec![("operations/x.md".into(), "# A\n\nkeep\n\nnoise\n".into())],
            overrides: None,
        };
        let fails = |c: &Case| c.pages.iter().any(|p| p.1.contains("keep"));
        install_hook();
        CATCHING.with(|c| c.set(true));
        let caught = catch_unwind(|| {
            if fails(&case) {
                std::panic::panic_any("boom".to_string());
            }
        });
        CATCHING.with(|c| c.set(false));
        assert!(caught.is_err());
        let recorded = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap();
        assert_eq!(recorded.0, "boom");
        assert!(recorded.1.contains("fuzz.rs"), "{}", recorded.1);
        assert_eq!(split_pages("x", &join_pages(&case.pages)), case.pages);
    }
}
