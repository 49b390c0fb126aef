//! The command line of `cargo xtask`, declared once (xflags): each command's flags, their values and help.

use std::path::PathBuf;
use std::str::FromStr;

xflags::xflags! {
    /// The project's commands: `cargo xtask <command> [flags]`.
    cmd xtask {
        /// Print this help.
        default cmd help {}

        /// Generate the client from the Markdown pages (default: spec/ -> generated-client/src/generated);
        /// when the API changes, print what changed (Markdown, on stdout) against the committed
        /// src/generated/api.json.
        cmd regen {
            /// Write nothing; fail if the committed output is out of date.
            optional --check
            /// Fail on warnings as well as errors.
            optional --deny-warnings
            /// Read pages from DIR (laid out like the reference: operations/, guidelines/).
            optional --spec dir: PathBuf
            /// Write a standalone crate into DIR (it depends on this project's runtime).
            optional --out dir: PathBuf
        }

        /// What changed between two versions of the docs, classified breaking / additive / docs-only,
        /// ending with the semver bump the generated crate needs (on stdout).
        cmd diff {
            /// The previous docs: a spec folder or an API surface file (api.json); default: the committed
            /// generated-client/src/generated/api.json.
            optional --old path: PathBuf
            /// The new docs (default: spec/).
            optional --new path: PathBuf
            /// JSON for tools instead of Markdown.
            optional --json
            /// The generated crate's current version, to name the next one (default: the version in
            /// generated-client/Cargo.toml).
            optional --crate-version version: String
        }

        /// Mutate real pages and run the generator on each, catching panics.
        cmd fuzz {
            /// Cases to run (default 100000).
            optional --iterations n: Count
            /// PRNG seed (default 1); case I of seed S is always the same input.
            optional --seed s: Count
            /// Worker threads (default: available parallelism).
            optional --threads t: Count
            /// Also format (syn + prettyplease) every K-th case (default 100; 0 never).
            optional --format-every k: Count
            /// Extra pages to mutate (default: the older reference ../shared/history/2025-08-29 when present).
            optional --pages dir: PathBuf
            /// Run case I alone, print its failure and save the minimized input.
            optional --replay i: Count
        }

        /// Build the benchmarks in release mode, run them and print one table of measurements beside
        /// baselines measured in the same run (also written to target/bench/latest.json and latest.md).
        cmd bench {
            /// Fewer repetitions (a smoke run).
            optional --quick
            /// Only these sections: regen, decode, client, paging, tokens, compile (comma-separated, repeatable).
            repeated --only sections: String
            /// Also time builds from an empty target folder, dependencies included.
            optional --cold
        }
    }
}

impl Xtask {
    /// The help text `--help` prints.
    pub fn help() -> &'static str {
        Self::HELP_
    }
}

/// A whole number, written with `_` between digit groups if wanted (`100_000`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u64);

impl FromStr for Count {
    type Err = String;

    fn from_str(text: &str) -> Result<Count, String> {
        text.replace('_', "")
            .parse()
            .map(Count)
            .map_err(|_| format!("`{text}` is not a whole number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> xflags::Result<Xtask> {
        Xtask::from_vec(args.iter().map(Into::into).collect())
    }

    #[test]
    fn each_command_reads_its_flags() {
        let XtaskCmd::Regen(regen) = parse(&["regen", "--check", "--spec", "s"])
            .unwrap()
            .subcommand
        else {
            panic!("regen")
        };
        assert!(regen.check && !regen.deny_warnings);
        assert_eq!(regen.spec, Some(PathBuf::from("s")));
        let XtaskCmd::Fuzz(fuzz) = parse(&["fuzz", "--iterations", "1_000"])
            .unwrap()
            .subcommand
        else {
            panic!("fuzz")
        };
        assert_eq!(fuzz.iterations, Some(Count(1000)));
        let XtaskCmd::Bench(bench) =
            parse(&["bench", "--only", "regen,decode", "--only", "paging"])
                .unwrap()
                .subcommand
        else {
            panic!("bench")
        };
        assert_eq!(bench.only, ["regen,decode", "paging"]);
        assert!(matches!(parse(&[]).unwrap().subcommand, XtaskCmd::Help(_)));
        assert!(parse(&["regen", "--chek"]).is_err());
        assert!(parse(&["fuzz", "--seed", "x"]).is_err());
        assert!(Xtask::help().contains("--deny-warnings"));
    }
}
