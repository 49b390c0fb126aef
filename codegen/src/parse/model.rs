//! The page model: what a Markdown page says, structurally, with a span on every node. No API meaning yet.

use serde::Serialize;

use crate::source::{FileId, Span};

/// One parsed page.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub file: FileId,
    /// Path relative to the spec root, with `/` separators (`operations/messages.md`).
    pub path: String,
    /// Blocks before the first heading.
    pub preamble: Vec<Block>,
    /// Top-level sections; deeper headings nest as children.
    pub sections: Vec<Section>,
}

impl Page {
    /// Every section of the page in document order (depth first).
    pub fn all_sections(&self) -> Vec<&Section> {
        fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Section>) {
            for section in sections {
                out.push(section);
                walk(&section.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.sections, &mut out);
        out
    }
}

/// A heading and everything up to the next heading of the same or a higher level.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub heading: Heading,
    pub blocks: Vec<Block>,
    pub children: Vec<Section>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    pub level: u8,
    pub inlines: Vec<Inline>,
    /// Plain text with markup and inline HTML removed, entities decoded.
    pub text: String,
    /// Whether the whole heading is struck through (`## ~~Old operation~~`).
    pub struck: bool,
    /// The anchor a link reaches this heading by: the GitHub/GitBook slug, `-1`, `-2`… for repeats on a page.
    pub anchor: String,
    /// Further anchors declared inline (`<a id="…">`).
    pub extra_anchors: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
    List(List),
    Code(CodeBlock),
    /// A block quote; the docs use these as callouts (`> ### Restricted!`).
    Quote(Quote),
    /// A GitBook `{% hint %}` … `{% endhint %}` callout.
    Hint(Quote),
    /// A heading inside a quote or hint (top-level headings make sections instead).
    Heading(Heading),
    Html(Span),
    Rule(Span),
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Paragraph(p) => p.span,
            Block::Table(t) => t.span,
            Block::List(l) => l.span,
            Block::Code(c) => c.span,
            Block::Quote(q) | Block::Hint(q) => q.span,
            Block::Heading(h) => h.span,
            Block::Html(s) | Block::Rule(s) => *s,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Paragraph {
    pub inlines: Vec<Inline>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    pub blocks: Vec<Block>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub header: Row,
    pub rows: Vec<Row>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Cells as written in the source line; GFM pads or truncates rows to the header width, this does not.
    pub written_cells: usize,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub inlines: Vec<Inline>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct List {
    pub ordered: bool,
    pub items: Vec<ListItem>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListItem {
    /// The item's first paragraph (or its text, in a tight list).
    pub inlines: Vec<Inline>,
    /// Further blocks: nested lists, more paragraphs.
    pub blocks: Vec<Block>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct CodeBlock {
    /// The info string (`javascript`, `json`…), empty for indented code.
    pub lang: String,
    /// The code, with `\r\n` as written.
    pub text: String,
    /// Span of the code text itself (inside the fences), for locating positions in it.
    pub text_span: Span,
    /// Where each piece of `text` starts in the page: `(offset in text, offset in page)`. A block inside a
    /// quote or list is pieced together from several lines, each with its own prefix.
    #[serde(skip)]
    pub segments: Vec<(usize, usize)>,
    /// 1-based line of the first line of code.
    pub line: usize,
    pub span: Span,
}

impl CodeBlock {
    /// The page span of `range`, a byte range of [`CodeBlock::text`].
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        crate::source::span_in_pieces(self.text_span, &self.segments, range)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Inline {
    pub kind: InlineKind,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum InlineKind {
    Text(String),
    Code(String),
    Link { dest: String, children: Vec<Inline> },
    Strike(Vec<Inline>),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Html(String),
    SoftBreak,
    HardBreak,
}

/// Plain text of inline content: markup dropped, code kept without backticks, HTML dropped.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(text) | InlineKind::Code(text) => out.push_str(text),
            InlineKind::Link { children, .. }
            | InlineKind::Strike(children)
            | InlineKind::Strong(children)
            | InlineKind::Emph(children) => push_plain(children, out),
            InlineKind::SoftBreak | InlineKind::HardBreak => out.push(' '),
            InlineKind::Html(_) => {}
        }
    }
}

/// Whether all visible content is struck through (`~~…~~`), ignoring surrounding white space.
pub fn is_struck(inlines: &[Inline]) -> bool {
    let visible: Vec<&Inline> = inlines
        .iter()
        .filter(|i| !matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()))
        .collect();
    !visible.is_empty()
        && visible
            .iter()
            .all(|i| matches!(i.kind, InlineKind::Strike(_)))
}

/// Removes one level of strike-through, keeping the content.
pub fn unstrike(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .flat_map(|i| match &i.kind {
            InlineKind::Strike(children) => children.clone(),
            _ => vec![i.clone()],
        })
        .collect()
}

/// All links in inline content, depth first.
pub fn links(inlines: &[Inline]) -> Vec<(&str, &[Inline], Span)> {
    let mut out = Vec::new();
    fn walk<'a>(inlines: &'a [Inline], out: &mut Vec<(&'a str, &'a [Inline], Span)>) {
        for inline in inlines {
            match &inline.kind {
                InlineKind::Link { dest, children } => {
                    out.push((dest.as_str(), children.as_slice(), inline.span))
                }
                InlineKind::Strike(c) | InlineKind::Strong(c) | InlineKind::Emph(c) => walk(c, out),
                _ => {}
            }
        }
    }
    walk(inlines, &mut out);
    out
}
