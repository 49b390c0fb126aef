//! A real older version of the docs (`../shared/history/2025-08-29`, with rows run together, a row with an
//! extra cell, Contract variants and a link where the Contract should be) generates a crate that depends on the
//! runtime crate alone and checks with no warning of its own, whose `testing` mock answers every one of its
//! operations through its client (its generated test, run), with a located warning for each odd cell, and a
//! change report against `spec/` with a semver verdict. The crate goes to a fixed folder under the target
//! directory and is built with the tests' target folder, so dependencies are shared and later runs are warm.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use super::support::{root, shared_dir, stderr, target_dir, xtask};

#[test]
fn the_2025_08_29_docs_generate_a_crate_that_checks_without_warnings() {
    let Some(history) = shared_dir("history/2025-08-29") else {
        return;
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("history-client");
    let generated = xtask(
        &[
            "regen",
            "--spec",
            history.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ],
        &root(),
        &[],
    );
    let message = stderr(&generated);
    assert!(generated.status.success(), "{message}");
    assert!(message.contains(" 0 errors"), "{message}");

    // Each odd cell of that version has its warning, in the committed-style snapshot regen wrote.
    let snapshot = std::fs::read_to_string(out.join("src/generated/diagnostics.txt"))
        .expect("regen writes the diagnostics snapshot");
    let mut by_code: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in snapshot.lines().filter(|l| l.contains(": warning: ")) {
        if let Some(code) = line.rsplit_once(" [").map(|(_, c)| c.trim_end_matches(']')) {
            let at = line.split(": warning: ").next().unwrap_or_default();
            by_code.entry(code).or_default().push(at);
        }
    }
    let odd = |code: &str| by_code.get(code).cloned().unwrap_or_default();
    assert_eq!(
        odd("table-rows-joined"),
        ["operations/resources.md:251:1"],
        "{snapshot}"
    );
    assert_eq!(
        odd("table-cell-count"),
        [
            "operations/loyaltyprograms.md:91:1",
            "operations/loyaltyprograms.md:92:1"
        ]
    );
    assert_eq!(odd("misplaced-cell"), ["operations/messages.md:157:23"]);
    assert_eq!(
        odd("contract-variant"),
        [
            "operations/paymentrequests.md:187:27",
            "operations/paymentrequests.md:189:21",
            "operations/resources.md:253:34"
        ]
    );

    // It depends on the runtime crate, not on the whole of `generated-client`.
    let manifest =
        std::fs::read_to_string(out.join("Cargo.toml")).expect("regen writes a manifest");
    assert!(
        manifest.contains("mews-connector-runtime = { path = ")
            && !manifest.contains("generated-client"),
        "{manifest}"
    );

    // The crate's own code gets no compiler warning (the runtime's, if any, are its business): `cargo rustc`
    // denies warnings in the generated crate alone, its dependencies keep their flags.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let check = Command::new(&cargo)
        .args([
            "rustc",
            "--lib",
            "--profile",
            "check",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .args(["--", "-D", "warnings"])
        .output()
        .expect("cargo runs");
    let report = stderr(&check);
    assert!(check.status.success(), "cargo check failed:\n{report}");
    let ours: Vec<&str> = report
        .lines()
        .filter(|l| {
            l.contains("warning") && (l.starts_with("src/") || l.contains("history-client"))
        })
        .collect();
    assert!(
        ours.is_empty(),
        "warnings in the generated crate:\n{}",
        ours.join("\n")
    );

    // Its `testing` mock answers every operation through its client: the generated test, in the crate's one
    // test binary, calls each with its request example (or another body) and decodes the documented answer.
    let test = Command::new(&cargo)
        .args(["test", "--test", "it", "--message-format", "short"])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .args(["--", "operations_on_mock::", "--nocapture"])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    let output = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "the mock test failed:\n{output}\n{}",
        stderr(&test)
    );
    let answered = output
        .lines()
        .find_map(|l| l.split_once(" operations answered their example through the client"))
        .and_then(|(count, rest)| Some((count.trim().parse::<usize>().ok()?, rest)))
        .unwrap_or_else(|| panic!("no tally in the mock test's output:\n{output}"));
    assert!(answered.0 > 150, "{output}");
    assert!(
        answered.1.contains("; 0 failed; 0 requests refused"),
        "{output}"
    );
    assert!(output.contains("test result: ok. 1 passed"), "{output}");

    // The change report from that version to `spec/` ends with a verdict.
    let diff = xtask(
        &[
            "diff",
            "--old",
            history.to_str().expect("UTF-8"),
            "--new",
            root().join("spec").to_str().expect("UTF-8"),
        ],
        &root(),
        &[],
    );
    let markdown = String::from_utf8_lossy(&diff.stdout);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert!(markdown.contains("**Semver: major**"), "{markdown}");
    assert!(
        markdown.contains("property `Message` is no longer a fallback"),
        "{markdown}"
    );
}
