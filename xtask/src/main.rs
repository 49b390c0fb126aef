//! `cargo xtask`: the project's commands (`regen`, `diff`, `fuzz`, `bench`), run with `cargo xtask <command>`.

mod bench;
mod coverage;
mod diff;
mod flags;
mod fuzz;
mod regen;
mod tidy;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use flags::{Xtask, XtaskCmd};

fn main() -> ExitCode {
    let flags = match Xtask::from_env() {
        Ok(flags) => flags,
        Err(error) => error.exit(),
    };
    let root = project_root();
    let outcome = match flags.subcommand {
        XtaskCmd::Help(_) => {
            println!("{}", Xtask::help());
            Ok(ExitCode::SUCCESS)
        }
        XtaskCmd::Regen(flags) => regen_command(&root, flags),
        XtaskCmd::Diff(flags) => diff_command(&root, flags),
        XtaskCmd::Fuzz(flags) => fuzz_command(&root, flags),
        XtaskCmd::Bench(flags) => bench_command(&root, flags),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}

/// The workspace root: the parent of this crate's manifest directory.
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn regen_command(root: &Path, flags: flags::Regen) -> Result<ExitCode> {
    let args = regen::Args {
        check: flags.check,
        deny_warnings: flags.deny_warnings,
        spec: flags.spec,
        out: flags.out,
    };
    let outcome = regen::run(root, &args)?;
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
        return Ok(ExitCode::SUCCESS);
    }
    if args.check && !outcome.stale.is_empty() {
        eprintln!("{}", regen::stale_report(&outcome, &args));
    }
    Ok(ExitCode::FAILURE)
}

fn diff_command(root: &Path, flags: flags::Diff) -> Result<ExitCode> {
    let args = diff::Args {
        old: flags.old,
        new: flags.new,
        json: flags.json,
        crate_version: flags.crate_version,
    };
    print!("{}", diff::run(root, &args)?);
    Ok(ExitCode::SUCCESS)
}

fn bench_command(root: &Path, flags: flags::Bench) -> Result<ExitCode> {
    let args = bench::Args {
        quick: flags.quick,
        cold: flags.cold,
        only: flags
            .only
            .iter()
            .flat_map(|list| list.split(','))
            .map(|s| s.trim().to_string())
            .collect(),
    };
    let report = bench::run(root, &args)?;
    println!("{}", report.to_markdown());
    eprintln!("bench: written to target/bench/latest.json and target/bench/latest.md");
    Ok(ExitCode::SUCCESS)
}

fn fuzz_command(root: &Path, flags: flags::Fuzz) -> Result<ExitCode> {
    let count = |count: Option<flags::Count>, default: u64| count.map_or(default, |c| c.0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let options = fuzz::Options {
        seed: count(flags.seed, 1),
        iterations: count(flags.iterations, 100_000),
        threads: usize::try_from(count(flags.threads, threads as u64))
            .unwrap_or(threads)
            .max(1),
        format_every: count(flags.format_every, 100),
        time_limit: None,
        hang_after: Duration::from_secs(10),
        save_dir: Some(root.join("target/fuzz")),
        progress: true,
    };
    let extra = flags
        .pages
        .or_else(|| Some(root.join("../shared/history/2025-08-29")))
        .filter(|c| c.is_dir());
    let pool = fuzz::Pool::load(root, extra.as_deref())?;
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
    if let Some(iteration) = flags.replay.map(|c| c.0) {
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
                let small = fuzz::minimize(&case, &failure, true, Duration::from_secs(120));
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
