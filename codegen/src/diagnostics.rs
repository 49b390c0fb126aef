//! Diagnostics as data: collected during a run, rendered as `path:line:col: level: message` plus the source line.

use std::fmt::Write as _;

use serde::Serialize;

pub use crate::codes::{Code, Severity};
use crate::source::{FileId, SourceSet, Span};

/// One finding about the input. `code` says what it is about (rendered as its stable kebab-case name) and
/// decides the severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    pub notes: Vec<String>,
    /// Other places that explain this one (`first documented here`), rendered as located notes.
    pub related: Vec<(Span, String)>,
    /// Where a diagnostic without a span points: a file that is not among the sources (a page that could
    /// not be read as text).
    pub file: Option<Box<FileLocation>>,
}

/// A 1-based position in a file that is not among the sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileLocation {
    /// Path relative to the spec root, with `/`.
    pub path: String,
    pub line: usize,
    pub col: usize,
}

impl Diagnostic {
    /// A diagnostic of `code`, with the code's severity.
    pub fn new(code: Code, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            span: span.into(),
            notes: Vec::new(),
            related: Vec::new(),
            file: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Locates a diagnostic in a file that is not among the sources.
    pub fn in_file(mut self, path: impl Into<String>, line: usize, col: usize) -> Self {
        self.file = Some(Box::new(FileLocation {
            path: path.into(),
            line,
            col,
        }));
        self
    }

    /// Points at another place, rendered as `= note: {label}: path:line:col`.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of a run, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file, position, then message, so output never depends on the order of discovery.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            type Key<'a> = (Option<(&'a str, usize, usize)>, Option<(FileId, u32, u32)>);
            fn key(d: &Diagnostic) -> Key<'_> {
                (
                    d.file.as_ref().map(|f| (f.path.as_str(), f.line, f.col)),
                    d.span.map(|s| (s.file, s.start, s.end)),
                )
            }
            key(a)
                .cmp(&key(b))
                .then_with(|| a.severity.cmp(&b.severity))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Renders one diagnostic. `root` is prefixed to each page path (e.g. `spec/`).
///
/// ```text
/// spec/operations/messages.md:81:5: warning: message [code]
///    81 | | `Sender` | [Sender](messages.md#sender) | required | … |
///       |   ^^^^^^^^
///       = note: …
/// ```
pub fn render(diagnostic: &Diagnostic, sources: &SourceSet, root: &str) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    match diagnostic
        .span
        .and_then(|span| sources.get(span.file).map(|file| (span, file)))
    {
        Some((span, file)) => {
            let start = file.lines.line_col(&file.text, span.start as usize);
            let end = file.lines.line_col(&file.text, span.end as usize);
            let _ = writeln!(
                out,
                "{root}{}:{}:{}: {level}: {} [{}]",
                file.path, start.line, start.col, diagnostic.message, diagnostic.code
            );
            let line_text = printable(file.lines.line_text(&file.text, start.line));
            let gutter = start.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, " {gutter} | {line_text}");
            let width = if end.line == start.line {
                end.col.saturating_sub(start.col).max(1)
            } else {
                1
            };
            let width = width.min(
                line_text
                    .chars()
                    .count()
                    .saturating_sub(start.col - 1)
                    .max(1),
            );
            let _ = writeln!(
                out,
                " {pad} | {}{}",
                " ".repeat(start.col - 1),
                "^".repeat(width)
            );
            for note in &diagnostic.notes {
                let _ = writeln!(out, " {pad} = note: {note}");
            }
            for (span, label) in &diagnostic.related {
                let _ = writeln!(
                    out,
                    " {pad} = note: {label}: {}",
                    locate(*span, sources, root)
                );
            }
        }
        None => {
            let at = diagnostic
                .file
                .as_ref()
                .map(|f| format!("{root}{}:{}:{}: ", f.path, f.line, f.col))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{at}{level}: {} [{}]",
                diagnostic.message, diagnostic.code
            );
            for note in &diagnostic.notes {
                let _ = writeln!(out, "  = note: {note}");
            }
            for (span, label) in &diagnostic.related {
                let _ = writeln!(out, "  = note: {label}: {}", locate(*span, sources, root));
            }
        }
    }
    out
}

/// `path:line:col` of a span's start.
fn locate(span: Span, sources: &SourceSet, root: &str) -> String {
    match sources.get(span.file) {
        Some(file) => {
            let at = file.lines.line_col(&file.text, span.start as usize);
            format!("{root}{}:{}:{}", file.path, at.line, at.col)
        }
        None => "<unknown>".to_string(),
    }
}

/// A short excerpt of input text for a message: one line, at most `max` characters, `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(max).collect();
    if line.chars().count() > max || text.trim().lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// Renders all diagnostics, separated by blank lines.
pub fn render_all<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceSet,
    root: &str,
) -> String {
    diagnostics
        .into_iter()
        .map(|d| render(d, sources, root))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tabs become one space and control characters `?`, so the caret line stays aligned with the source line.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_caret_and_notes() {
        let mut sources = SourceSet::new();
        let file = sources.add(
            "operations/x.md",
            "# X\n\n| `A` | strnig | required | d |\n",
        );
        let start = sources.get(file).unwrap().text.find("strnig").unwrap();
        let diagnostic = Diagnostic::new(
            Code::UnresolvedLink,
            Span::new(FileId(0), start, start + 6),
            "unknown type `strnig`",
        )
        .with_note("expected a primitive, a link or `array of …`");
        let rendered = render(&diagnostic, &sources, "spec/");
        assert_eq!(
            rendered,
            "spec/operations/x.md:3:9: warning: unknown type `strnig` [unresolved-link]\n \
             3 | | `A` | strnig | required | d |\n   \
             |         ^^^^^^\n   \
             = note: expected a primitive, a link or `array of …`\n"
        );
    }

    #[test]
    fn sorting_is_by_position_and_removes_exact_duplicates() {
        let mut diagnostics = Diagnostics::default();
        let d =
            |start| Diagnostic::new(Code::EmptyPage, Span::new(FileId(0), start, start + 1), "m");
        diagnostics.push(d(5));
        diagnostics.push(d(1));
        diagnostics.push(d(5));
        diagnostics.sort();
        let starts: Vec<_> = diagnostics.iter().map(|d| d.span.unwrap().start).collect();
        assert_eq!(starts, [1, 5]);
    }
}
