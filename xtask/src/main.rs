//! `cargo xtask`: the project's commands (`regen`), run with `cargo xtask <command>`.

mod regen;
mod tidy;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regen [--check] [--deny-warnings] [--spec DIR] [--out DIR]

  regen            generate the client from the Markdown pages
                   (default: spec/ -> generated-client/src/generated)
  --check          write nothing; fail if the committed output is out of date
  --deny-warnings  fail on warnings as well as errors
  --spec DIR       read pages from DIR (laid out like the reference: operations/, guidelines/)
  --out DIR        write a standalone crate into DIR (depends on this project's runtime)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => regen_command(&args[1..]),
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
