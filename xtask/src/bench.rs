//! `cargo xtask bench`: builds the benchmark programs of `bench/` in release mode, runs them, measures compile
//! times, and prints one table of measurements beside baselines measured in the same run (the machine is
//! shared and noisy, so ratios matter more than absolute values). The table is written to
//! `target/bench/latest.json` and `target/bench/latest.md`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// The sections, in the order they run.
pub const SECTIONS: [&str; 6] = ["regen", "decode", "client", "paging", "tokens", "compile"];

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct Args {
    /// Fewer repetitions: a smoke run.
    pub quick: bool,
    /// Also time builds from an empty target folder, dependencies included.
    pub cold: bool,
    /// Only these sections (all when empty).
    pub only: Vec<String>,
}

/// A measured quantity.
#[derive(Clone, Copy, Debug)]
pub enum Quantity {
    Seconds(f64),
    PerSecond(f64),
    Bytes(f64),
    Count(f64),
}

impl Quantity {
    fn number(self) -> f64 {
        match self {
            Quantity::Seconds(v)
            | Quantity::PerSecond(v)
            | Quantity::Bytes(v)
            | Quantity::Count(v) => v,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Quantity::Seconds(_) => "s",
            Quantity::PerSecond(_) => "requests/s",
            Quantity::Bytes(_) => "bytes",
            Quantity::Count(_) => "count",
        }
    }

    fn text(self) -> String {
        match self {
            Quantity::Seconds(s) if s < 1e-3 => format!("{:.1} µs", s * 1e6),
            Quantity::Seconds(s) if s < 1.0 => format!("{:.2} ms", s * 1e3),
            Quantity::Seconds(s) => format!("{s:.2} s"),
            Quantity::PerSecond(r) => format!("{r:.0} req/s"),
            Quantity::Bytes(b) if b < 1024.0 * 1024.0 => format!("{:.0} KiB", b / 1024.0),
            Quantity::Bytes(b) => format!("{:.2} MiB", b / (1024.0 * 1024.0)),
            Quantity::Count(c) => format!("{c:.0}"),
        }
    }
}

/// How a row's ratio is computed.
#[derive(Clone, Copy, Debug)]
pub enum Ratio {
    /// value ÷ baseline, for times and sizes: lower is better.
    Time,
    /// baseline ÷ value for times, value ÷ baseline for rates: higher is better.
    Speed,
    /// value ÷ baseline, for counts.
    Count,
}

/// One line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub measurement: String,
    pub value: Quantity,
    pub baseline: Option<(Quantity, String)>,
    pub ratio: Option<(f64, Ratio)>,
    /// The target as text and whether it was met.
    pub target: Option<(String, bool)>,
}

impl Row {
    fn new(measurement: impl Into<String>, value: Quantity) -> Row {
        Row {
            measurement: measurement.into(),
            value,
            baseline: None,
            ratio: None,
            target: None,
        }
    }

    /// Adds a baseline and the ratio against it.
    fn against(mut self, baseline: Quantity, label: impl Into<String>, kind: Ratio) -> Row {
        let (v, b) = (self.value.number(), baseline.number());
        let ratio = match (kind, self.value) {
            (Ratio::Speed, Quantity::Seconds(_)) => b / v,
            _ => v / b,
        };
        self.baseline = Some((baseline, label.into()));
        self.ratio = Some((if ratio.is_finite() { ratio } else { 0.0 }, kind));
        self
    }

    /// Replaces the ratio with one taken pairwise (the median of per-round ratios), when there is one.
    fn paired(mut self, ratio: Option<f64>) -> Row {
        if let (Some(ratio), Some((_, kind))) = (ratio.filter(|r| r.is_finite()), self.ratio) {
            self.ratio = Some((ratio, kind));
        }
        self
    }

    /// Adds a target on the ratio: at most (`Ratio::Time`, `Ratio::Count`) or at least (`Ratio::Speed`) `limit`.
    fn ratio_target(mut self, limit: f64, text: impl Into<String>) -> Row {
        if let Some((ratio, kind)) = self.ratio {
            let met = match kind {
                Ratio::Speed => ratio >= limit,
                Ratio::Time | Ratio::Count => ratio <= limit,
            };
            self.target = Some((text.into(), met));
        }
        self
    }

    fn target(mut self, text: impl Into<String>, met: bool) -> Row {
        self.target = Some((text.into(), met));
        self
    }

    fn to_json(&self) -> Value {
        json!({
            "measurement": self.measurement,
            "value": self.value.number(),
            "unit": self.value.unit(),
            "value_text": self.value.text(),
            "baseline": self.baseline.as_ref().map(|(q, _)| q.number()),
            "baseline_label": self.baseline.as_ref().map(|(_, l)| l),
            "ratio": self.ratio.map(|(r, _)| r),
            "ratio_kind": self.ratio.map(|(_, k)| match k {
                Ratio::Time => "value / baseline (lower is better)",
                Ratio::Speed => "speed / baseline speed (higher is better)",
                Ratio::Count => "value / baseline",
            }),
            "target": self.target.as_ref().map(|(t, _)| t),
            "met": self.target.as_ref().map(|(_, m)| m),
        })
    }
}

/// A section of the table, with notes printed under it.
#[derive(Debug, Default)]
pub struct Section {
    pub name: &'static str,
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    pub machine: Value,
    pub sections: Vec<Section>,
    pub seconds: f64,
    pub quick: bool,
}

impl Report {
    pub fn to_json(&self) -> Value {
        json!({
            "machine": self.machine,
            "quick": self.quick,
            "seconds": self.seconds,
            "sections": self.sections.iter().map(|s| json!({
                "name": s.name,
                "title": s.title,
                "rows": s.rows.iter().map(Row::to_json).collect::<Vec<_>>(),
                "notes": s.notes,
            })).collect::<Vec<_>>(),
        })
    }

    pub fn to_markdown(&self) -> String {
        let m = &self.machine;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Machine: {}, {} cores, {} MiB memory; {}; {}; load average {} at start.{}",
            m["cpu"].as_str().unwrap_or("?"),
            m["cores"],
            m["memory_mib"],
            m["rustc"].as_str().unwrap_or("?"),
            m["os"].as_str().unwrap_or("?"),
            m["load_average_start"].as_str().unwrap_or("?"),
            if self.quick {
                " **Quick run** (fewer repetitions)."
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "Run on {} in {:.0} s.\n",
            m["date"].as_str().unwrap_or("?"),
            self.seconds
        );
        out.push_str("| Measurement | Value | Baseline | Ratio | Target | Met |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for section in &self.sections {
            let _ = writeln!(out, "| **{}** | | | | | |", section.title);
            for row in &section.rows {
                let baseline = row.baseline.as_ref().map_or(String::new(), |(q, label)| {
                    format!("{} ({label})", q.text())
                });
                let ratio = row.ratio.map_or(String::new(), |(r, kind)| match kind {
                    Ratio::Time => format!("{r:.2}× time"),
                    Ratio::Speed => format!("{r:.2}× speed"),
                    Ratio::Count => format!("{r:.2}×"),
                });
                let (target, met) = row
                    .target
                    .as_ref()
                    .map_or((String::new(), String::new()), |(t, m)| {
                        (t.clone(), if *m { "yes" } else { "**no**" }.to_string())
                    });
                let _ = writeln!(
                    out,
                    "| {} | {} | {baseline} | {ratio} | {target} | {met} |",
                    row.measurement,
                    row.value.text()
                );
            }
        }
        for section in &self.sections {
            for note in &section.notes {
                let _ = writeln!(out, "\n- {}: {note}", section.name);
            }
        }
        out
    }
}

/// Runs the benchmarks and writes `target/bench/latest.{json,md}`.
pub fn run(root: &Path, args: &Args) -> Result<Report> {
    let started = Instant::now();
    for section in &args.only {
        if !SECTIONS.contains(&section.as_str()) {
            bail!(
                "unknown section `{section}` (sections: {})",
                SECTIONS.join(", ")
            );
        }
    }
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|s| s == name);
    let out = root.join("target/bench");
    let raw = out.join("raw");
    std::fs::create_dir_all(&raw).with_context(|| raw.display().to_string())?;
    let spec = root.join("spec");
    let machine = machine();
    eprintln!(
        "bench: {} ({} cores), {}",
        machine["cpu"].as_str().unwrap_or("?"),
        machine["cores"],
        machine["rustc"].as_str().unwrap_or("?")
    );

    if ["regen", "decode", "client", "paging", "tokens"]
        .iter()
        .any(|s| wanted(s))
    {
        eprintln!("bench: building the benchmark programs (release)…");
        let status = cargo(root)
            .args(["bench", "-q", "-p", "bench", "--no-run"])
            .status()
            .context("cannot run cargo")?;
        if !status.success() {
            bail!("building the benchmarks failed");
        }
    }

    let mut sections = Vec::new();
    if wanted("regen") {
        sections.push(regen_section(root, &raw, &spec, args.quick)?);
    }
    if wanted("decode") {
        sections.push(decode_section(root, args.quick)?);
    }
    if wanted("client") {
        sections.push(client_section(root, &raw, args.quick)?);
    }
    if wanted("paging") {
        sections.push(paging_section(root, &raw, args.quick)?);
    }
    if wanted("tokens") {
        sections.push(tokens_section(root, &raw, args.quick)?);
    }
    if wanted("compile") {
        sections.push(compile_section(root, args)?);
    }
    let mut machine = machine;
    machine["load_average_end"] = json!(load_average());
    let report = Report {
        machine,
        sections,
        seconds: started.elapsed().as_secs_f64(),
        quick: args.quick,
    };
    let json_text = serde_json::to_string_pretty(&report.to_json())?;
    write(&out.join("latest.json"), &(json_text + "\n"))?;
    write(&out.join("latest.md"), &report.to_markdown())?;
    Ok(report)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| path.display().to_string())
}

/// `cargo`, as the one running this command, from the project root.
fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// Runs one benchmark program of `bench/` (built in release by `cargo bench`), returns its standard output.
fn bench_program(root: &Path, name: &str, args: &[String]) -> Result<String> {
    eprintln!("bench: {name} {}", args.join(" "));
    let output = cargo(root)
        .args(["bench", "-q", "-p", "bench", "--bench", name, "--"])
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!("the `{name}` benchmark failed ({})", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    serde_json::from_str(&text).with_context(|| path.display().to_string())
}

/// A number at a `/`-separated path of a JSON document.
fn number(value: &Value, path: &str) -> Result<f64> {
    value
        .pointer(&format!("/{path}"))
        .and_then(Value::as_f64)
        .with_context(|| format!("benchmark result lacks `{path}`"))
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn regen_section(root: &Path, raw: &Path, spec: &Path, quick: bool) -> Result<Section> {
    let mut section = Section {
        name: "regen",
        title: "Regen: Markdown → files".to_string(),
        ..Section::default()
    };
    let scratch = root.join("target/bench/scratch");
    let inputs = [("spec", spec.to_path_buf(), if quick { 3 } else { 15 })];
    for (label, spec, reps) in inputs {
        let json = raw.join(format!("regen-{label}.json"));
        bench_program(
            root,
            "regen",
            &[
                "--spec".into(),
                path_arg(&spec),
                "--label".into(),
                label.into(),
                "--reps".into(),
                reps.to_string(),
                "--scratch".into(),
                path_arg(&scratch),
                "--json".into(),
                path_arg(&json),
            ],
        )?;
        let result = read_json(&json)?;
        let phase = |name: &str| number(&result, &format!("median_s/{name}"));
        let total = phase("total")?;
        let floor_text = number(&result, "floors_s/format_text")?;
        let floor_tokens = number(&result, "floors_s/format_tokens")?;
        let (floor, floor_label, floor_key) = if floor_tokens <= floor_text {
            (
                floor_tokens,
                "syn::parse2 + prettyplease, 1 thread",
                "format_tokens",
            )
        } else {
            (
                floor_text,
                "syn::parse_file + prettyplease, 1 thread",
                "format_text",
            )
        };
        let samples = |name: &str| numbers(&result, &format!("samples_s/{name}"));
        let paired = |a: &str, b: &str| paired_ratio(&samples(a), &samples(b));
        let markdown = number(&result, "floors_s/markdown")?;
        let pages = number(&result, "pages")?;
        let name = format!("{label} ({pages:.0} pages)");
        let mut row = Row::new(format!("{name}: full pipeline"), Quantity::Seconds(total));
        row = row.target("≤ 0.2 s", total <= 0.2);
        section.rows.push(row);
        let mut row = Row::new(
            format!("{name}: full pipeline vs formatting floor"),
            Quantity::Seconds(total),
        )
        .against(Quantity::Seconds(floor), floor_label, Ratio::Time)
        .paired(paired("total", floor_key));
        row = row.ratio_target(1.5, "≤ 1.5× time");
        section.rows.push(row);
        // CPU time of all threads: the work done, which a loaded machine does not inflate as it does
        // wall-clock time (on idle cores the parallel stages take about CPU time / threads).
        section.rows.push(
            Row::new(
                format!("{name}: full pipeline, CPU time of all threads"),
                Quantity::Seconds(phase("cpu")?),
            )
            .against(
                Quantity::Seconds(number(&result, "floors_s/format_tokens_cpu")?),
                "syn::parse2 + prettyplease, 1 thread, CPU time",
                Ratio::Time,
            )
            .paired(paired("cpu", "format_tokens_cpu")),
        );
        for (name_of_phase, label_of_phase) in [
            ("read", "read"),
            ("parse", "parse (pages on all cores)"),
            ("lower", "lower"),
            ("emit", "plan the files"),
            ("format", "emit + format (files on all cores)"),
            ("write", "write"),
        ] {
            let mut row = Row::new(
                format!("{name}: {label_of_phase}"),
                Quantity::Seconds(phase(name_of_phase)?),
            );
            if name_of_phase == "parse" {
                row = row
                    .against(
                        Quantity::Seconds(markdown),
                        "pulldown-cmark alone",
                        Ratio::Time,
                    )
                    .paired(paired("parse", "markdown"));
            }
            if name_of_phase == "format" {
                row = row
                    .against(Quantity::Seconds(floor), floor_label, Ratio::Time)
                    .paired(paired("format", floor_key));
            }
            section.rows.push(row);
        }
        section.rows.push(Row::new(
            format!("{name}: floor, pulldown-cmark alone"),
            Quantity::Seconds(markdown),
        ));
        section.rows.push(Row::new(
            format!("{name}: floor, syn::parse_file + prettyplease (1 thread)"),
            Quantity::Seconds(floor_text),
        ));
        section.rows.push(Row::new(
            format!("{name}: floor, syn::parse2 + prettyplease (1 thread)"),
            Quantity::Seconds(floor_tokens),
        ));
        section.rows.push(Row::new(
            format!("{name}: emission alone (1 thread, for scale)"),
            Quantity::Seconds(number(&result, "emit_alone_s")?),
        ));
        section.notes.push(format!(
            "{label}: median of {reps} runs after a warm-up; {:.0} KiB of Markdown → {} files, {:.0} KiB; pages parsed and files emitted and formatted on {} thread(s), \
             the API surface and diagnostics files made on those threads too; \
             `write` creates the files in an empty scratch folder (regen also compares with the existing files and swaps them in)",
            number(&result, "markdown_bytes")? / 1024.0,
            result["files_written"],
            number(&result, "bytes_written")? / 1024.0,
            result["format_threads"],
        ));
    }
    Ok(section)
}

/// A divan time cell (`1.234 ms`) in seconds.
fn divan_seconds(cell: &str) -> Option<f64> {
    let mut parts = cell.split_whitespace();
    let number: f64 = parts.next()?.parse().ok()?;
    let scale = match parts.next()? {
        "ns" => 1e-9,
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    Some(number * scale)
}

/// The median column of divan's table, by benchmark name.
fn divan_medians(table: &str) -> Vec<(String, f64)> {
    table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('│').collect();
            if cells.len() < 6 {
                return None;
            }
            let first = cells[0].trim_start_matches(|c: char| "├╰─│ ".contains(c));
            let name = first.split_whitespace().next()?;
            Some((name.to_string(), divan_seconds(cells[2])?))
        })
        .collect()
}

fn decode_section(root: &Path, quick: bool) -> Result<Section> {
    let (runs, args) = if quick {
        (3, vec!["--sample-count".to_string(), "20".to_string()])
    } else {
        (7, Vec::new())
    };
    // Several short divan runs: the values are the medians of their medians, and each ratio the median of
    // the runs' ratios, so that a burst of load during one benchmark of one run does not decide a ratio.
    let names = [
        "generated",
        "handwritten",
        "value",
        "handwritten_sender_as_value",
        "amounts_decimal",
        "amounts_f64",
        "amounts_decimal_slice",
        "amounts_f64_slice",
    ];
    let mut per_run: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for _ in 0..runs {
        let table = bench_program(root, "decode", &args)?;
        let medians = divan_medians(&table);
        for (index, name) in names.iter().enumerate() {
            let seconds = medians
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| *s)
                .with_context(|| format!("divan printed no `{name}` row:\n{table}"))?;
            per_run[index].push(seconds);
        }
    }
    let [
        generated,
        hand,
        value,
        sender_as_value,
        decimal,
        float,
        decimal_slice,
        float_slice,
    ] = [0, 1, 2, 3, 4, 5, 6, 7].map(|i| median(&per_run[i]));
    // Speed ratios: the baseline's time over the measured one's.
    let speed =
        |measured: usize, baseline: usize| paired_ratio(&per_run[baseline], &per_run[measured]);
    let title = "decode 1,000 messages";
    let hand_vs_value = speed(1, 2).unwrap_or(value / hand);
    Ok(Section {
        name: "decode",
        title: "Decode: one `messages/getAll` response of 1,000 messages; 10,000 amounts"
            .to_string(),
        rows: vec![
            Row::new(
                format!("{title}: generated types"),
                Quantity::Seconds(generated),
            )
            .against(
                Quantity::Seconds(hand),
                "hand-written serde struct",
                Ratio::Speed,
            )
            .paired(speed(0, 1))
            .ratio_target(0.95, "≥ 0.95× speed"),
            Row::new(
                format!("{title}: generated types"),
                Quantity::Seconds(generated),
            )
            .against(Quantity::Seconds(value), "serde_json::Value", Ratio::Speed)
            .paired(speed(0, 2)),
            Row::new(
                format!("{title}: hand-written, `Sender` buffered as a Value"),
                Quantity::Seconds(sender_as_value),
            )
            .against(
                Quantity::Seconds(hand),
                "hand-written serde struct",
                Ratio::Speed,
            )
            .paired(speed(3, 1)),
            Row::new(
                format!("{title}: hand-written serde struct"),
                Quantity::Seconds(hand),
            )
            .against(Quantity::Seconds(value), "serde_json::Value", Ratio::Speed)
            .paired(speed(1, 2)),
            Row::new(
                "decode 10,000 amounts: generated `Amount` (exact `Decimal`)",
                Quantity::Seconds(decimal),
            )
            .against(
                Quantity::Seconds(float),
                "hand-written, `f64` values",
                Ratio::Speed,
            )
            .paired(speed(4, 5))
            .ratio_target(0.9, "≥ 0.9× speed"),
            Row::new(
                "decode 10,000 amounts from a byte slice: generated `Amount` (exact `Decimal`)",
                Quantity::Seconds(decimal_slice),
            )
            .against(
                Quantity::Seconds(float_slice),
                "hand-written, `f64` values, from the byte slice",
                Ratio::Speed,
            )
            .paired(speed(6, 7)),
        ],
        notes: vec![format!(
            "{runs} divan runs{}: values are the medians of the runs' medians, ratios the medians of the runs' ratios; \
             the same bytes for every decoder, checked to decode to the same messages first, and read as the client \
             reads a body (`runtime::from_body`: one UTF-8 check of the whole body, then serde_json reads text). \
             The generated `Sender` is a coproduct, decoded straight from the deserializer (only properties before \
             `Discriminator` and those of unknown variants are kept as JSON); the third row is the hand-written \
             struct with `Sender` buffered as a `Value`, as coproducts were decoded before. Every decoder allocates the same five strings per message, \
             which bounds the gain over `Value`: the hand-written struct is {hand_vs_value:.2}× as fast as `Value` here. \
             Messages carry no numbers, so `Decimal` changes nothing in the first rows. The amounts row decodes one \
             response of 10,000 `Amount`s shaped like the docs' `orderItems/getAll` example (2 and 5 decimals, a tax \
             value and a breakdown item each) into the generated `Amount` and into a hand-written model of the same \
             shape with `f64`s, checked to agree first. The last row decodes both from the byte slice \
             (`serde_json::from_slice`), where serde_json checks every string and every exact number's text to be \
             UTF-8 on its own",
            if quick {
                " of 20 samples"
            } else {
                " of 100 samples"
            }
        )],
    })
}

fn client_section(root: &Path, raw: &Path, quick: bool) -> Result<Section> {
    let json = raw.join("client.json");
    let (requests, rounds) = if quick { (1_000, 3) } else { (2_000, 15) };
    bench_program(
        root,
        "client",
        &[
            "--requests".into(),
            requests.to_string(),
            "--rounds".into(),
            rounds.to_string(),
            "--concurrency".into(),
            "1,16".into(),
            "--json".into(),
            path_arg(&json),
        ],
    )?;
    let result = read_json(&json)?;
    let mut section = Section {
        name: "client",
        title: "Client overhead: `messages/getAll` against a loopback server".to_string(),
        ..Section::default()
    };
    for level in result["levels"].as_array().into_iter().flatten() {
        let concurrency = number(level, "concurrency")?;
        let generated = number(level, "generated_rps")?;
        let bare = number(level, "bare_reqwest_rps")?;
        let decoded = number(level, "bare_reqwest_decoded_rps")?;
        let name = format!("concurrency {concurrency:.0}");
        section.rows.push(
            Row::new(
                format!("{name}: generated client"),
                Quantity::PerSecond(generated),
            )
            .against(Quantity::PerSecond(bare), "bare reqwest POST", Ratio::Speed)
            .paired(paired_ratio(
                &numbers(level, "generated_samples"),
                &numbers(level, "bare_reqwest_samples"),
            )),
        );
        section.rows.push(
            Row::new(
                format!("{name}: generated client"),
                Quantity::PerSecond(generated),
            )
            .against(
                Quantity::PerSecond(decoded),
                "bare reqwest + serde decode",
                Ratio::Speed,
            )
            .paired(paired_ratio(
                &numbers(level, "generated_samples"),
                &numbers(level, "bare_reqwest_decoded_samples"),
            ))
            .ratio_target(0.95, "≥ 0.95× speed"),
        );
    }
    section.notes.push(format!(
        "medians of {rounds} rounds of {requests} requests per way, and ratios as the median of each round's ratio; \
         rounds alternate between the generated client \
         (rate limiting off with `ClientBuilder::no_rate_limit`), bare reqwest posting the same bytes, and bare \
         reqwest decoding the reply into a hand-written struct; client and server each on one thread, {} byte reply. \
         The client encodes the credentials once per client, parses each operation's URL once (reqwest parses a \
         URL given as text again on every request, which bare reqwest pays) and sets one timer per attempt; \
         at concurrency 1 every microsecond is on the round trip",
        result["response_bytes"]
    ));
    Ok(section)
}

fn paging_section(root: &Path, raw: &Path, quick: bool) -> Result<Section> {
    let json = raw.join("paging.json");
    let ns = if quick {
        "1000,10000,10500"
    } else {
        "1000,10000,100000,10500"
    };
    bench_program(
        root,
        "paging",
        &[
            "--ns".into(),
            ns.into(),
            "--count".into(),
            "1000".into(),
            "--runs".into(),
            "3".into(),
            "--json".into(),
            path_arg(&json),
        ],
    )?;
    let result = read_json(&json)?;
    let count = number(&result, "count")?;
    let runs = result["runs"].as_array().cloned().unwrap_or_default();
    // The baseline is N = 10,000 (ten full pages): from the second page on, the connection keeps a read buffer
    // about a page large, so N = 1,000 (one full page, then an empty one) peaks lower than any larger N.
    let base = runs
        .iter()
        .find(|run| run["n"].as_u64() == Some(10_000))
        .or(runs.first())
        .context("the paging benchmark reported nothing")?;
    let base_heap = number(base, "heap_peak_above_start_bytes")?;
    let base_rss = number(base, "vm_hwm_kib")? * 1024.0;
    let base_n = number(base, "n")?;
    let mut section = Section {
        name: "paging",
        title: format!("Paging: `get_all_items` over N messages, Count = {count:.0}"),
        ..Section::default()
    };
    for run in &runs {
        let n = number(run, "n")?;
        let requests = number(run, "requests")?;
        let expected = (n / count).ceil();
        let name = format!("N = {n:.0}");
        section.rows.push(
            Row::new(format!("{name}: requests"), Quantity::Count(requests))
                .against(Quantity::Count(expected), "⌈N / Count⌉", Ratio::Count)
                .target("= ⌈N / Count⌉", requests == expected),
        );
        section.rows.push(
            Row::new(
                format!("{name}: peak heap while streaming"),
                Quantity::Bytes(number(run, "heap_peak_above_start_bytes")?),
            )
            .against(
                Quantity::Bytes(base_heap),
                format!("N = {base_n:.0}"),
                Ratio::Time,
            )
            .ratio_target(1.1, "≤ 1.1× (flat in N)"),
        );
        section.rows.push(
            Row::new(
                format!("{name}: peak RSS of the process"),
                Quantity::Bytes(number(run, "vm_hwm_kib")? * 1024.0),
            )
            .against(
                Quantity::Bytes(base_rss),
                format!("N = {base_n:.0}"),
                Ratio::Time,
            ),
        );
    }
    section.notes.push(
        "each N streams 3 times, each time in a process of its own against a server in another process, and the \
         rows show the most any of the 3 needed; peak heap is the most live \
         heap bytes (counting allocator) above what was live when the stream started, against N = 10,000; it is \
         hyper's 256 KiB read buffers, one page's body and its 1,000 decoded messages, whatever N (N = 1,000 peaks \
         lower: one full page only). When N is a multiple of Count the last page is full, so the stream cannot \
         tell it is the last and asks once more, getting an empty page (the API gives no total and no \"has \
         more\"); N = 10,500 shows a short last page ending the stream without that request"
            .to_string(),
    );
    Ok(section)
}

fn tokens_section(root: &Path, raw: &Path, quick: bool) -> Result<Section> {
    let json = raw.join("tokens.json");
    let rounds = if quick { 1 } else { 5 };
    let (tokens, requests, concurrency, limit, window_ms) = (1_000, 20, 64, 10, 500);
    bench_program(
        root,
        "tokens",
        &[
            "--tokens".into(),
            tokens.to_string(),
            "--requests".into(),
            requests.to_string(),
            "--concurrency".into(),
            concurrency.to_string(),
            "--limit".into(),
            limit.to_string(),
            "--window-ms".into(),
            window_ms.to_string(),
            "--rounds".into(),
            rounds.to_string(),
            "--json".into(),
            path_arg(&json),
        ],
    )?;
    let result = read_json(&json)?;
    let (pool, each) = (&result["pool"], &result["each"]);
    let mut section = Section {
        name: "tokens",
        title: format!(
            "Many access tokens: {tokens} tokens × {requests} `messages/getAll`, concurrency {concurrency}"
        ),
        ..Section::default()
    };
    let per_token = "one client per token";
    section.rows.push(
        Row::new(
            "one Client (pool + handle per token): throughput",
            Quantity::PerSecond(number(pool, "requests_per_second")?),
        )
        .against(
            Quantity::PerSecond(number(each, "requests_per_second")?),
            per_token,
            Ratio::Speed,
        )
        .paired(paired_ratio(
            &numbers(pool, "requests_per_second_samples"),
            &numbers(each, "requests_per_second_samples"),
        ))
        .ratio_target(1.0, "≥ 1× speed"),
    );
    section.rows.push(
        Row::new(
            "one Client: peak RSS of the process",
            Quantity::Bytes(number(pool, "vm_hwm_kib")? * 1024.0),
        )
        .against(
            Quantity::Bytes(number(each, "vm_hwm_kib")? * 1024.0),
            per_token,
            Ratio::Time,
        )
        .ratio_target(0.1, "≤ 0.1×"),
    );
    section.rows.push(
        Row::new(
            "one Client: peak RSS above the process before the clients",
            Quantity::Bytes(number(pool, "vm_hwm_above_start_kib")? * 1024.0),
        )
        .against(
            Quantity::Bytes(number(each, "vm_hwm_above_start_kib")? * 1024.0),
            per_token,
            Ratio::Time,
        )
        .ratio_target(0.1, "≤ 0.1×"),
    );
    let connections = number(pool, "connections")?;
    section.rows.push(
        Row::new(
            "one Client: TCP connections opened (at the server)",
            Quantity::Count(connections),
        )
        .against(
            Quantity::Count(number(each, "connections")?),
            per_token,
            Ratio::Count,
        )
        .target(
            format!("≤ concurrency ({concurrency})"),
            connections <= f64::from(concurrency),
        ),
    );
    for (label, way) in [("one Client", pool), (per_token, each)] {
        let most = number(way, "max_in_window")?;
        let rejected = number(way, "rejected")?;
        section.rows.push(
            Row::new(
                format!(
                    "{label}: most requests of one token within any {window_ms} ms (at the server)"
                ),
                Quantity::Count(most),
            )
            .target(
                format!("≤ {limit}, no 429 ({rejected:.0})"),
                most <= f64::from(limit) && rejected == 0.0,
            ),
        );
    }
    section.notes.push(format!(
        "each way runs {rounds} times, alternating which goes first, each time in a client process of \
         its own against a fresh loopback server process (one thread); the client process has one thread \
         and {concurrency} tasks taking calls round-robin over the tokens (call k is token k mod \
         {tokens}'s), with a client-side limit of {limit} requests per token per {window_ms} ms (tight \
         enough to bind at times; the server answers 429 past it and counts, per token, the most \
         arrivals within any window). Throughput is the median, its ratio the median of the per-round \
         ratios; memory is the largest `VmHWM` of any run (the process before the clients held about 3 \
         MiB, the second memory row takes that off); connections are those the server accepted. One \
         client per token pays a reqwest client, a connection pool, a TLS configuration and at least one \
         connection per token"
    ));
    Ok(section)
}

/// One crate build to time.
struct Build {
    label: &'static str,
    package: &'static str,
    features: &'static [&'static str],
}

/// The pages of a typical PMS integration: the `generated-client` features of the "PMS integration" rows.
const PMS_FEATURES: &str = "configuration,services,reservations,customers,bills";

/// The builds of the compile section: the hand-written client first (the baseline), then `generated-client`
/// with no pages, one page, a PMS integration and all pages. The runtime is a crate of its own
/// (`mews-connector-runtime`), a dependency built beforehand like the others, so each row is the generated
/// crate alone.
const BUILDS: [Build; 5] = [
    Build {
        label: "hand-written client (4 seed operations)",
        package: "handwritten-client",
        features: &[],
    },
    Build {
        label: "generated-client, no features (no pages)",
        package: "generated-client",
        features: &["--no-default-features"],
    },
    Build {
        label: "generated-client, one resource (`messages`)",
        package: "generated-client",
        features: &["--no-default-features", "--features", "messages"],
    },
    Build {
        label: "generated-client, PMS integration (5 pages)",
        package: "generated-client",
        features: &["--no-default-features", "--features", PMS_FEATURES],
    },
    Build {
        label: "generated-client, all features (the whole API)",
        package: "generated-client",
        features: &[],
    },
];

fn compile_section(root: &Path, args: &Args) -> Result<Section> {
    let mut section = Section {
        name: "compile",
        title: "Compile time: debug builds of the crate itself (dependencies built)".to_string(),
        ..Section::default()
    };
    let load_start = load_average();
    let builds = &BUILDS;
    let target_dir = root.join("target/bench/compile");
    let reps = if args.quick { 1 } else { 3 };
    eprintln!(
        "bench: compile: building dependencies once in {}…",
        target_dir.display()
    );
    for build in builds {
        cargo_build(root, &target_dir, build)?;
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); builds.len()];
    for rep in 0..reps {
        for i in 0..builds.len() {
            // Rotate the order so that no build always runs right after the same one.
            let index = (i + rep) % builds.len();
            let build = &builds[index];
            // Everything fresh but the crate itself.
            cargo_build(root, &target_dir, build)?;
            cargo_clean(root, &target_dir, build)?;
            let took = cargo_build(root, &target_dir, build)?;
            eprintln!(
                "bench: compile: {}: {:.1} s",
                build.label,
                took.as_secs_f64()
            );
            samples[index].push(took.as_secs_f64());
        }
    }
    let medians: Vec<f64> = samples.iter().map(|s| median(s)).collect();
    let hand = medians[0];
    let hand_label = "hand-written client";
    section
        .rows
        .push(Row::new(builds[0].label, Quantity::Seconds(hand)));
    for (index, build) in builds.iter().enumerate().skip(1) {
        let mut row = Row::new(build.label, Quantity::Seconds(medians[index]))
            .against(Quantity::Seconds(hand), hand_label, Ratio::Time)
            .paired(paired_ratio(&samples[index], &samples[0]));
        if build.features.contains(&"messages") {
            row = row.ratio_target(1.3, "≤ 1.3× time");
        }
        // Issue 24's targets: the whole API and the PMS set, each the generated crate alone.
        if build.features.is_empty() {
            row = row.target("≤ 10 s", medians[index] <= 10.0);
        }
        if build.features.contains(&PMS_FEATURES) {
            row = row.target("≤ 3 s", medians[index] <= 3.0);
        }
        section.rows.push(row);
    }
    section.notes.push(format!(
        "median of {reps} timed `cargo build` runs each (debug profile, own target folder `target/bench/compile`), \
         after `cargo clean -p` of the crate itself, every dependency already built; ratios are the median of each \
         round's ratio to the hand-written client. The runtime is a crate of its own (`mews-connector-runtime`), \
         built with the other dependencies, so every `generated-client` row is the generated crate alone. The PMS \
         integration is `--no-default-features --features {PMS_FEATURES}`. Wall-clock time of \
         the whole `cargo build` command, so about 0.3 s of it is Cargo itself; load average {load_start} at the \
         start of the section, {} at its end",
        load_average()
    ));

    if args.cold {
        let cold_dir = root.join("target/bench/compile-cold");
        for index in [0, 2, 4] {
            let build = &builds[index];
            let _ = std::fs::remove_dir_all(&cold_dir);
            eprintln!("bench: compile: cold build of {}…", build.label);
            let took = cargo_build(root, &cold_dir, build)?.as_secs_f64();
            let mut row = Row::new(
                format!("cold, dependencies included: {}", build.label),
                Quantity::Seconds(took),
            );
            if index == 0 {
                section.notes.push(format!(
                    "cold rows: one `cargo build` each from an empty target folder, dependencies included, \
                     hand-written client {took:.1} s"
                ));
            }
            if index > 0
                && let Some(hand) = section
                    .rows
                    .iter()
                    .find(|r| {
                        r.measurement
                            .starts_with("cold, dependencies included: hand-written")
                    })
                    .map(|r| r.value)
            {
                row = row.against(hand, "hand-written client, cold", Ratio::Time);
            }
            section.rows.push(row);
        }
        let _ = std::fs::remove_dir_all(&cold_dir);
    }
    Ok(section)
}

fn cargo_build(root: &Path, target_dir: &Path, build: &Build) -> Result<Duration> {
    let started = Instant::now();
    let output = cargo(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "-p", build.package])
        .args(build.features)
        .output()
        .context("cannot run cargo")?;
    let took = started.elapsed();
    if !output.status.success() {
        bail!(
            "building {} failed:\n{}",
            build.label,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(took)
}

fn cargo_clean(root: &Path, target_dir: &Path, build: &Build) -> Result<()> {
    let mut command = cargo(root);
    command
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["clean", "-q", "-p", build.package]);
    let output = command.output().context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "cargo clean failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// The median of `a[i] / b[i]` over the samples two lists share (`None` without any).
fn paired_ratio(a: &[f64], b: &[f64]) -> Option<f64> {
    let ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect();
    (!ratios.is_empty()).then(|| median(&ratios))
}

/// The numbers of a JSON array at a `/`-separated path (empty when missing).
fn numbers(value: &Value, path: &str) -> Vec<f64> {
    value
        .pointer(&format!("/{path}"))
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_f64).collect())
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// What the numbers were measured on.
fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".to_string(), |(_, v)| v.trim().to_string());
    let memory_mib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024);
    let os = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or("unknown".to_string(), |r| format!("Linux {}", r.trim()));
    json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "memory_mib": memory_mib,
        "os": os,
        "rustc": command_line("rustc", &["--version"]),
        "cargo": command_line("cargo", &["--version"]),
        "date": command_line("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]),
        "load_average_start": load_average(),
    })
}

/// The first line a command prints, or `unknown`.
fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The 1, 5 and 15-minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divan_tables_are_read_by_name() {
        let table = "Timer precision: 29 ns
decode                          fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ generated                    812.4 µs      │ 1.9 ms        │ 1.02 ms       │ 1.1 ms        │ 100     │ 100
├─ handwritten                  301.2 µs      │ 500 µs        │ 350.5 µs      │ 360 µs        │ 100     │ 100
╰─ value                        2.1 ms        │ 3 ms          │ 2.5 ms        │ 2.4 ms        │ 100     │ 100
";
        let medians = divan_medians(table);
        let names: Vec<&str> = medians.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["generated", "handwritten", "value"]);
        assert!((medians[0].1 - 1.02e-3).abs() < 1e-12);
        assert!((medians[1].1 - 350.5e-6).abs() < 1e-12);
        assert!(divan_seconds("12 ns").is_some_and(|s| (s - 12e-9).abs() < 1e-15));
        assert_eq!(divan_seconds("fast"), None);
    }

    #[test]
    fn ratios_and_targets_read_the_right_way() {
        // A decode twice as slow as its baseline is 0.5× speed: below a 0.9× target.
        let row = Row::new("x", Quantity::Seconds(2.0))
            .against(Quantity::Seconds(1.0), "b", Ratio::Speed)
            .ratio_target(0.9, "≥ 0.9×");
        assert_eq!(row.ratio.map(|(r, _)| r), Some(0.5));
        assert_eq!(row.target.map(|(_, met)| met), Some(false));
        // Rates compare directly.
        let row = Row::new("x", Quantity::PerSecond(950.0))
            .against(Quantity::PerSecond(1000.0), "b", Ratio::Speed)
            .ratio_target(0.9, "≥ 0.9×");
        assert_eq!(row.target.map(|(_, met)| met), Some(true));
        // Times against a floor: lower is better.
        let row = Row::new("x", Quantity::Seconds(0.3))
            .against(Quantity::Seconds(0.1), "b", Ratio::Time)
            .ratio_target(1.5, "≤ 1.5×");
        assert_eq!(row.target.map(|(_, met)| met), Some(false));
        // Paired ratios: the median of per-round ratios, which replaces the ratio of the medians.
        assert_eq!(paired_ratio(&[2.0, 4.0, 9.0], &[1.0, 2.0, 3.0]), Some(2.0));
        assert_eq!(paired_ratio(&[], &[1.0]), None);
        let row = Row::new("x", Quantity::Seconds(0.3))
            .against(Quantity::Seconds(0.1), "b", Ratio::Time)
            .paired(Some(1.2))
            .ratio_target(1.5, "≤ 1.5×");
        assert_eq!(row.target.map(|(_, met)| met), Some(true));
    }

    #[test]
    fn the_markdown_table_has_a_row_per_measurement() {
        let report = Report {
            machine: json!({"cpu": "CPU", "cores": 2, "memory_mib": 1024, "rustc": "rustc", "os": "Linux",
                "date": "today", "load_average_start": "1.0 1.0 1.0"}),
            sections: vec![Section {
                name: "s",
                title: "Section".into(),
                rows: vec![
                    Row::new("m", Quantity::Seconds(0.5))
                        .against(Quantity::Seconds(0.25), "floor", Ratio::Time)
                        .ratio_target(1.5, "≤ 1.5× time"),
                ],
                notes: vec!["a note".into()],
            }],
            seconds: 1.0,
            quick: false,
        };
        let markdown = report.to_markdown();
        assert!(
            markdown.contains(
                "| m | 500.00 ms | 250.00 ms (floor) | 2.00× time | ≤ 1.5× time | **no** |"
            ),
            "{markdown}"
        );
        assert!(markdown.contains("CPU, 2 cores"));
        let json = report.to_json();
        assert_eq!(json["sections"][0]["rows"][0]["met"], json!(false));
    }
}
