//! What `cargo xtask regen --spec DIR --out DIR` writes: nothing when a page cannot be read, nothing at all
//! with `--check`, and the same bytes whatever the working directory, locale, time zone or file order.

use super::support::{Scratch, contents, root, stderr, tree, write_spec, xtask};

const PAGE: &str = "# Notes\n\n## Add note\n\n### Request\n\n`[PlatformAddress]/api/connector/v1/notes/add`\n\n\
| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Text` | string | required | Text. |\n\n\
### Response\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n| `Id` | string | required | Id. |\n";

const OTHER: &str = "# Tags\n\n### Tag\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n\
| `Name` | string | required | Name. |\n\n### Color\n\n* `Red`\n* `Blue`\n";

fn pages() -> Vec<(String, String)> {
    vec![
        ("operations/notes.md".to_string(), PAGE.to_string()),
        ("operations/tags.md".to_string(), OTHER.to_string()),
        (
            "guidelines/a.md".to_string(),
            "# A\n\nProse only.\n".to_string(),
        ),
    ]
}

fn regen(scratch: &Scratch, extra: &[&str]) -> std::process::Output {
    let spec = scratch.path().join("spec");
    let out = scratch.path().join("out");
    let mut args = vec![
        "regen",
        "--spec",
        spec.to_str().expect("UTF-8 path"),
        "--out",
        out.to_str().expect("UTF-8 path"),
    ];
    args.extend(extra);
    xtask(&args, &root(), &[])
}

#[test]
fn a_run_with_an_error_leaves_the_previous_output_byte_identical() {
    let scratch = Scratch::new("error-run");
    write_spec(&scratch.path().join("spec"), &pages());
    let first = regen(&scratch, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&scratch.path().join("out"));
    assert!(before.contains_key("src/generated/notes.rs"));

    // A new property, with a typo (a warning: the property is `Json`), and a page that is not UTF-8 (an
    // error): the run must fail and write nothing.
    let changed = PAGE.replace(
        "| `Text` | string |",
        "| `Text` | string |\n| `Extra` | strnig | optional | Typo. |\n| `Text2` | string |",
    );
    write_spec(
        &scratch.path().join("spec"),
        &[("operations/notes.md".to_string(), changed)],
    );
    std::fs::write(
        scratch.path().join("spec/operations/latin1.md"),
        b"# Caf\xe9\n",
    )
    .expect("page written");
    let second = regen(&scratch, &[]);
    assert!(!second.status.success());
    let message = stderr(&second);
    assert!(
        message.contains("warning: unknown type expression `strnig`")
            && message.contains("is not UTF-8")
            && message.contains("nothing written"),
        "{message}"
    );
    assert_eq!(
        tree(&scratch.path().join("out")),
        before,
        "files, bytes and modification times are unchanged"
    );
}

#[test]
fn check_writes_nothing_anywhere() {
    let scratch = Scratch::new("check");
    write_spec(&scratch.path().join("spec"), &pages());
    // `--check` on a folder that does not exist yet fails without creating it.
    let missing = regen(&scratch, &["--check"]);
    assert!(!missing.status.success());
    assert!(
        !scratch.path().join("out").exists(),
        "--check created the output folder"
    );

    let first = regen(&scratch, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let fresh = regen(&scratch, &["--check"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));

    // Make the output stale: a page changes and another output file disappears.
    write_spec(
        &scratch.path().join("spec"),
        &[(
            "operations/tags.md".to_string(),
            OTHER.replace("* `Blue`", "* `Blue`\n* `Green`"),
        )],
    );
    std::fs::remove_file(scratch.path().join("out/src/generated/ids.rs")).expect("remove");
    let before = tree(scratch.path());
    let stale = regen(&scratch, &["--check"]);
    assert!(!stale.status.success());
    let message = stderr(&stale);
    assert!(
        message.contains("stale: src/generated/tags.rs")
            && message.contains("stale: src/generated/ids.rs"),
        "{message}"
    );
    assert_eq!(
        tree(scratch.path()),
        before,
        "--check changed a file (bytes or modification time)"
    );
}

#[test]
fn output_is_the_same_whatever_the_working_directory_locale_time_zone_and_file_order() {
    let scratch = Scratch::new("host");
    let spec = scratch.path().join("spec");
    let out = scratch.path().join("out");
    write_spec(&spec, &pages());
    let first = xtask(
        &[
            "regen",
            "--spec",
            spec.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ],
        &root(),
        &[("LC_ALL", "C"), ("TZ", "UTC")],
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let expected = contents(&tree(&out));

    // Again from scratch: pages created in the reverse order, relative paths from another working
    // directory, another locale and time zone.
    std::fs::remove_dir_all(&spec).expect("remove spec");
    std::fs::remove_dir_all(&out).expect("remove out");
    let mut reversed = pages();
    reversed.reverse();
    write_spec(&spec, &reversed);
    let second = xtask(
        &["regen", "--spec", "spec", "--out", "out"],
        scratch.path(),
        &[
            ("LC_ALL", "tr_TR.UTF-8"),
            ("LANG", "ja_JP.UTF-8"),
            ("TZ", "Pacific/Chatham"),
        ],
    );
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(contents(&tree(&out)), expected);
}
