//! The Markdown form of a [`Report`]: counts, then breaking, additive and docs-only changes grouped by
//! operation and type, each with its `page:line`, then the semver verdict.

use std::fmt::Write as _;

use super::{
    Bump, Change, Class, Counts, RenderOptions, Report, Subject, SubjectKind, Version, code,
};

pub fn markdown(report: &Report, options: &RenderOptions) -> String {
    let counts = report.counts();
    let mut out = String::new();
    let _ = writeln!(out, "## API changes\n");
    let compared = format!(
        "{} → {}",
        code(&options.old_label),
        code(&options.new_label)
    );
    if report.is_empty() {
        let _ = writeln!(out, "{compared}: no changes to the API or its docs.\n");
    } else {
        let _ = writeln!(
            out,
            "{compared}: {} breaking, {} additive, {} docs-only ({}).\n",
            counts.breaking,
            counts.additive,
            counts.docs,
            docs_breakdown(&counts)
        );
    }
    for class in Class::ALL {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let heading = match class {
            Class::Breaking => "Breaking",
            Class::Additive => "Additive",
            Class::Docs => "Docs only",
        };
        let _ = writeln!(out, "### {heading} ({})\n", changes.len());
        if class == Class::Docs {
            let _ = writeln!(
                out,
                "<details>\n<summary>{}</summary>\n",
                docs_breakdown(&counts)
            );
        }
        let mut current: Option<&Subject> = None;
        for change in changes {
            if current != Some(&change.subject) {
                if current.is_some() {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}", subject_line(&change.subject));
                current = Some(&change.subject);
            }
            let _ = writeln!(
                out,
                "- {}: {}",
                code(&change.at.to_string()),
                change.summary
            );
        }
        out.push('\n');
        if class == Class::Docs {
            let _ = writeln!(out, "</details>\n");
        }
    }
    let _ = writeln!(out, "### Semver\n");
    let _ = writeln!(out, "{}", verdict_text(report, options.version.as_deref()));
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `3 descriptions, 1 example, 0 other`
fn docs_breakdown(counts: &Counts) -> String {
    format!(
        "{}, {}, {} other",
        plural(counts.descriptions, "description"),
        plural(counts.examples, "example"),
        counts.other_docs
    )
}

fn subject_line(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::Crate => format!("**Crate**: {}", subject.title),
        SubjectKind::Operation => format!(
            "**Operation {}**: {} (method {})",
            code(&subject.id),
            subject.title,
            code(&subject.rust)
        ),
        SubjectKind::Type => format!(
            "**Type {}**: {} ({})",
            code(&subject.rust),
            subject.title,
            code(&subject.id)
        ),
    }
}

fn verdict_text(report: &Report, version: Option<&str>) -> String {
    let counts = report.counts();
    let mut text = match report.category() {
        Bump::Major => format!(
            "**Semver: major** ({}). While the crate is 0.x, that is a **minor** bump (0.y.z → 0.(y+1).0); \
             from 1.0 on, a major bump.",
            plural(counts.breaking, "breaking change")
        ),
        Bump::Minor => format!(
            "**Semver: minor** ({}, nothing breaking). While the crate is 0.x, that is a **patch** bump \
             (0.y.z → 0.y.(z+1)); from 1.0 on, a minor bump.",
            plural(counts.additive, "additive change")
        ),
        Bump::Patch => {
            "**Semver: patch** (documentation only): a patch bump whatever the version.".to_string()
        }
        Bump::None => "**Semver: none**: nothing changed, nothing to release.".to_string(),
    };
    let verdict = report.verdict(version);
    if let (Some(current), Some(next)) = (verdict.current.as_deref(), verdict.next.as_deref()) {
        let zero_zero = Version::parse(current).is_some_and(|v| v.major == 0 && v.minor == 0);
        if verdict.category == Bump::None {
            let _ = write!(text, " The crate stays at {current}.");
        } else if zero_zero {
            let _ = write!(
                text,
                " The crate is at {current}, where every release is incompatible with the last: release **{next}**."
            );
        } else {
            let _ = write!(text, " The crate is at {current}: release **{next}**.");
        }
    }
    text
}
