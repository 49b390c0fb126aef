//! `cargo xtask`: the project's commands (`regen`, `diff`, `fuzz`, `bench`), run with `cargo xtask <command>`.

mod bench;
mod coverage;
mod diff;
mod fuzz;
mod regen;
mod tidy;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regen [--check] [--deny-warnings] [--spec DIR] [--out DIR]
       cargo xtask diff [--old DIR|FILE] [--new DIR|FILE] [--json] [--crate-version X.Y.Z]
       cargo xtask fuzz [--iterations N] [--seed S] [--threads T] [--format-every K] [--pages DIR] [--replay I]
       cargo xtask bench [--quick] [--only SECTION[,SECTION…]] [--cold]

  regen            generate the client from the Markdown pages
                   (default: spec/ -> generated-client/src/generated); when the API changes,
                   prints what changed (Markdown, on stdout) against the committed src/generated/api.json
  --check          write nothing; fail if the committed output is out of date
  --deny-warnings  fail on warnings as well as errors
  --spec DIR       read pages from DIR (laid out like the reference: operations/, guidelines/)
  --out DIR        write a standalone crate into DIR (depends on this project's runtime)

  diff             what changed between two versions of the docs, classified breaking / additive /
                   docs-only, ending with the semver bump the generated crate needs (on stdout)
  --old DIR|FILE   the previous docs: a spec folder or an API surface file (api.json)
                   (default: generated-client/src/generated/api.json, the committed surface)
  --new DIR|FILE   the new docs (default: spec/)
  --json           JSON for tools instead of Markdown
  --crate-version  the generated crate's current version, to name the next one
                   (default: the version in generated-client/Cargo.toml)

  fuzz             mutate real pages and run the generator on each, catching panics
  --iterations N   cases to run (default 100000)
  --seed S         PRNG seed (default 1); case I of seed S is always the same input
  --threads T      worker threads (default: available parallelism)
  --format-every K also format (syn + prettyplease) every K-th case (default 100; 0 never)
  --pages DIR      extra pages to mutate (default: the older reference ../shared/history/2025-08-29
                   when present)
  --replay I       run case I alone, print its failure and save the minimized input

  bench            build the benchmarks in release mode, run them and print one table of measurements
                   beside baselines measured in the same run; also written to target/bench/latest.json
                   and target/bench/latest.md
  --quick          fewer repetitions (a smoke run)
  --only SECTIONS  regen, decode, client, paging, compile (comma-separated)
  --cold           also time builds from an empty target folder, dependencies included";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => regen_command(&args[1..]),
        Some("diff") => diff_command(&args[1..]),
        Some("fuzz") => fuzz_command(&args[1..]),
        Some("bench") => bench_command(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn parse_regen(args: &[String]) -> Result<regen::Args, String> {
    let mut parsed = regen::Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--deny-warnings" => parsed.deny_warnings = true,
            "--spec" => parsed.spec = Some(iter.next().ok_or("--spec needs a folder")?.into()),
            "--out" => parsed.out = Some(iter.next().ok_or("--out needs a folder")?.into()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

fn regen_command(args: &[String]) -> ExitCode {
    let args = match parse_regen(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match regen::run(&project_root(), &args) {
        Ok(outcome) => {
            if let Some(report) = &outcome.report {
                println!("{report}");
            }
            if let Some(note) = &outcome.report_note
                && !outcome.stale.is_empty()
            {
                eprintln!("regen: {note}");
            }
            eprintln!("regen: {}", outcome.summary);
            if outcome.success {
                ExitCode::SUCCESS
            } else {
                if args.check && !outcome.stale.is_empty() {
                    eprintln!("{}", regen::stale_report(&outcome, &args));
                }
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_diff(args: &[String]) -> Result<diff::Args, String> {
    let mut parsed = diff::Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--old" => parsed.old = Some(iter.next().ok_or("--old needs a folder or file")?.into()),
            "--new" => parsed.new = Some(iter.next().ok_or("--new needs a folder or file")?.into()),
            "--crate-version" => {
                parsed.crate_version = Some(
                    iter.next()
                        .ok_or("--crate-version needs a version")?
                        .clone(),
                )
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

fn diff_command(args: &[String]) -> ExitCode {
    let args = match parse_diff(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match diff::run(&project_root(), &args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_bench(args: &[String]) -> Result<bench::Args, String> {
    let mut parsed = bench::Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--quick" => parsed.quick = true,
            "--cold" => parsed.cold = true,
            "--only" => parsed.only.extend(
                iter.next()
                    .ok_or("--only needs a section")?
                    .split(',')
                    .map(|s| s.trim().to_string()),
            ),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

fn bench_command(args: &[String]) -> ExitCode {
    let args = match parse_bench(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match bench::run(&project_root(), &args) {
        Ok(report) => {
            println!("{}", report.to_markdown());
            eprintln!("bench: written to target/bench/latest.json and target/bench/latest.md");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn fuzz_command(args: &[String]) -> ExitCode {
    match fuzz_main(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fuzz_main(args: &[String]) -> Result<ExitCode, String> {
    let root = project_root();
    let mut options = fuzz::Options {
        seed: 1,
        iterations: 100_000,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        format_every: 100,
        time_limit: None,
        hang_after: std::time::Duration::from_secs(10),
        save_dir: Some(root.join("target/fuzz")),
        progress: true,
    };
    let mut extra = Some(root.join("../shared/history/2025-08-29"));
    let mut replay = None;
    let mut iter = args.iter();
    let number = |value: Option<&String>, name: &str| -> Result<u64, String> {
        value
            .ok_or(format!("{name} needs a number"))?
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{name} needs a number"))
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--iterations" => options.iterations = number(iter.next(), "--iterations")?,
            "--seed" => options.seed = number(iter.next(), "--seed")?,
            "--threads" => options.threads = number(iter.next(), "--threads")?.max(1) as usize,
            "--format-every" => options.format_every = number(iter.next(), "--format-every")?,
            "--replay" => replay = Some(number(iter.next(), "--replay")?),
            "--pages" => extra = Some(iter.next().ok_or("--pages needs a folder")?.into()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let extra = extra.filter(|c| c.is_dir());
    let pool = fuzz::Pool::load(&root, extra.as_deref())?;
    eprintln!(
        "fuzz: {} pages to mutate ({}), seed {}",
        pool.pages.len(),
        extra
            .as_ref()
            .map_or("spec/ and fixtures".to_string(), |c| format!(
                "spec/, fixtures and {}",
                c.display()
            )),
        options.seed
    );
    if let Some(iteration) = replay {
        let case = fuzz::make_case(&pool, options.seed, iteration);
        let save_dir = root.join("target/fuzz");
        let path = save_dir.join(format!("replay-{}-{iteration}.md", options.seed));
        let _ = std::fs::create_dir_all(&save_dir);
        let _ = std::fs::write(&path, fuzz::join_pages(&case.pages));
        eprintln!("fuzz: case {iteration} written to {}", path.display());
        return Ok(match fuzz::run_case(&case, true) {
            Ok(()) => {
                eprintln!("fuzz: case {iteration} passes");
                ExitCode::SUCCESS
            }
            Err(failure) => {
                eprintln!("fuzz: case {iteration}: {failure}");
                let small =
                    fuzz::minimize(&case, &failure, true, std::time::Duration::from_secs(120));
                let small_path =
                    save_dir.join(format!("replay-{}-{iteration}.min.md", options.seed));
                let _ = std::fs::write(&small_path, fuzz::join_pages(&small.pages));
                eprintln!("fuzz: minimized input written to {}", small_path.display());
                ExitCode::FAILURE
            }
        });
    }
    let hung = |report: &fuzz::Report| report.failures.values().any(|(_, f, _)| f.kind == "hang");
    let report = fuzz::run(&pool, &options);
    println!(
        "fuzz: {} cases ({:.1} MB of pages) in {:.1}s: {:.0} cases/s on {} thread(s); {} panics and internal errors ({} distinct)",
        report.iterations,
        report.pages_bytes as f64 / 1e6,
        report.elapsed.as_secs_f64(),
        report.per_second(),
        options.threads,
        report.failing_iterations,
        report.failures.len()
    );
    for (iteration, failure, saved) in report.failures.values() {
        let saved = saved
            .as_ref()
            .map(|p| format!(", saved to {}", p.display()))
            .unwrap_or_default();
        println!(
            "  iteration {iteration}: {failure} (replay: cargo xtask fuzz --seed {} --replay {iteration}{saved})",
            options.seed
        );
    }
    if hung(&report) {
        // A worker is stuck in the hanging case; leave without waiting for it.
        std::process::exit(1);
    }
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when the committed generated code is out of date, like `cargo xtask regen --check`.
    #[test]
    fn regen_is_fresh() {
        let args = regen::Args {
            check: true,
            ..Default::default()
        };
        let outcome = regen::run(&project_root(), &args).unwrap();
        assert!(
            outcome.success,
            "{}\n{}",
            outcome.summary,
            regen::stale_report(&outcome, &args)
        );
    }
}
