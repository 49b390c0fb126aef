//! `cargo xtask`: the project's commands (`regen`, `diff`), run with `cargo xtask <command>`.

mod diff;
mod regen;
mod tidy;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regen [--check] [--deny-warnings] [--spec DIR] [--out DIR]
       cargo xtask diff [--old DIR|FILE] [--new DIR|FILE] [--json] [--crate-version X.Y.Z]

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
                   (default: the version in generated-client/Cargo.toml)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => regen_command(&args[1..]),
        Some("diff") => diff_command(&args[1..]),
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
