//! Markdown → page model, with pulldown-cmark over the raw text so every node keeps a byte span.

pub mod model;

use std::iter::Peekable;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

pub use model::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, excerpt};
use crate::source::{FileId, Span};

/// Pages deeper than this (nested quotes and lists) are cut off with an error instead of exhausting the stack.
const MAX_NESTING: usize = 64;

/// Parses one page. Problems (a byte order mark, nesting too deep) become diagnostics; parsing never fails.
pub fn parse_page(file: FileId, path: &str, text: &str, diagnostics: &mut Diagnostics) -> Page {
    let (base, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            diagnostics.push(Diagnostic::new(
                Code::ByteOrderMark,
                Span::new(file, 0, 3),
                "the page starts with a UTF-8 byte order mark (`U+FEFF`); it is ignored",
            ));
            (3, rest)
        }
        None => (0, text),
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder {
        events: Parser::new_ext(body, options).into_offset_iter().peekable(),
        file,
        base,
        text,
        depth: 0,
        too_deep: None,
        inline_depth: 0,
        flattened: Vec::new(),
        too_deep_inline: None,
    };
    let blocks = builder.blocks_until(None);
    if let Some(span) = builder.too_deep {
        let line_start = text
            .get(..span.start as usize)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |n| n + 1);
        let line = text.get(line_start..).unwrap_or("");
        diagnostics.push(Diagnostic::new(
            Code::NestingTooDeep,
            span,
            format!(
                "quotes and lists are nested more than {MAX_NESTING} levels deep (`{}`); the content below is ignored",
                excerpt(line, 24)
            ),
        ));
    }
    if let Some(span) = builder.too_deep_inline {
        diagnostics.push(Diagnostic::new(
            Code::NestingTooDeep,
            span,
            format!(
                "emphasis, links and strike-through are nested more than {MAX_NESTING} levels deep (`{}`); deeper markup is ignored",
                excerpt(text.get(span.range()).unwrap_or(""), 24)
            ),
        ));
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::EmptyPage,
            Span::new(file, 0, text.len()),
            format!("the page `{path}` is empty; it defines nothing"),
        ));
    }
    let blocks = fold_hints(blocks);
    let (preamble, mut sections) = into_sections(blocks);
    assign_anchors(&mut sections);
    Page {
        file,
        path: path.to_string(),
        preamble,
        sections,
    }
}

struct Builder<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> {
    events: Peekable<I>,
    file: FileId,
    base: usize,
    text: &'a str,
    depth: usize,
    too_deep: Option<Span>,
    /// Inline nesting (emphasis, links, strike-through) has its own bound: past it, markup is flattened.
    inline_depth: usize,
    /// End tags of the inline markup flattened away, innermost last.
    flattened: Vec<TagEnd>,
    too_deep_inline: Option<Span>,
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Builder<'a, I> {
    fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start + self.base, range.end + self.base)
    }

    /// Blocks until the end tag `end` (consumed), or the end of input.
    fn blocks_until(&mut self, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let span = self.span(&range);
            match event {
                Event::End(tag) if Some(tag) == end => break,
                Event::Start(tag) => {
                    if let Some(block) = self.block(tag, span) {
                        blocks.push(block);
                    }
                }
                Event::Rule => blocks.push(Block::Rule(span)),
                Event::Html(_) => blocks.push(Block::Html(span)),
                Event::End(_) => {}
                other => {
                    // Inline content outside a paragraph (only in malformed nesting): keep it as a paragraph.
                    let mut inlines = Vec::new();
                    self.push_inline_event(other, span, &mut inlines);
                    blocks.push(Block::Paragraph(Paragraph { inlines, span }));
                }
            }
        }
        blocks
    }

    fn block(&mut self, tag: Tag<'a>, span: Span) -> Option<Block> {
        match tag {
            Tag::Paragraph => Some(Block::Paragraph(Paragraph {
                inlines: self.inlines_until(TagEnd::Paragraph),
                span,
            })),
            Tag::Heading { level, .. } => {
                let inlines = self.inlines_until(TagEnd::Heading(level));
                Some(Block::Heading(make_heading(level as u8, inlines, span)))
            }
            Tag::Table(_) => Some(Block::Table(self.table(span))),
            Tag::List(start) => self.nested(span, TagEnd::List(start.is_some()), |b| {
                Block::List(b.list(start.is_some(), span))
            }),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut text = String::new();
                let mut text_span: Option<Span> = None;
                let mut segments = Vec::new();
                for (event, range) in self.events.by_ref() {
                    match event {
                        Event::Text(t) => {
                            segments.push((text.len(), range.start + self.base));
                            text.push_str(&t);
                            let s = Span::new(
                                self.file,
                                range.start + self.base,
                                range.end + self.base,
                            );
                            text_span = Some(text_span.map_or(s, |prev| prev.to(s)));
                        }
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let text_span = text_span.unwrap_or(Span::new(
                    self.file,
                    span.start as usize,
                    span.start as usize,
                ));
                let line = self
                    .text
                    .get(..text_span.start as usize)
                    .map_or(1, |before| before.matches('\n').count() + 1);
                Some(Block::Code(CodeBlock {
                    lang,
                    text,
                    text_span,
                    segments,
                    line,
                    span,
                }))
            }
            Tag::BlockQuote(kind) => self.nested(span, TagEnd::BlockQuote(kind), |b| {
                Block::Quote(Quote {
                    blocks: b.blocks_until(Some(TagEnd::BlockQuote(kind))),
                    span,
                })
            }),
            Tag::HtmlBlock => {
                self.skip_until(TagEnd::HtmlBlock);
                Some(Block::Html(span))
            }
            other => {
                // Constructs the options do not enable; skip them whole.
                self.skip_until(other.to_end());
                None
            }
        }
    }

    /// Runs `f` one nesting level deeper, or skips the construct when the page is nested too deeply.
    fn nested(
        &mut self,
        span: Span,
        end: TagEnd,
        f: impl FnOnce(&mut Self) -> Block,
    ) -> Option<Block> {
        if self.depth >= MAX_NESTING {
            self.too_deep.get_or_insert(span);
            self.skip_until(end);
            return None;
        }
        self.depth += 1;
        let block = f(self);
        self.depth -= 1;
        Some(block)
    }

    fn skip_until(&mut self, end: TagEnd) {
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(tag) if tag.to_end() == end => depth += 1,
                Event::End(tag) if tag == end => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    fn inlines_until(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut inlines = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let span = self.span(&range);
            match event {
                Event::End(tag) if self.flattened.last() == Some(&tag) => {
                    self.flattened.pop();
                }
                Event::End(tag) if tag == end => break,
                other => self.push_inline_event(other, span, &mut inlines),
            }
        }
        inlines
    }

    fn nested_inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        self.inline_depth += 1;
        let inlines = self.inlines_until(end);
        self.inline_depth -= 1;
        inlines
    }

    fn push_inline_event(&mut self, event: Event<'a>, span: Span, inlines: &mut Vec<Inline>) {
        let kind = match event {
            Event::Text(text) => {
                // pulldown-cmark splits text around entities and brackets; merge it back.
                if let Some(Inline {
                    kind: InlineKind::Text(prev),
                    span: prev_span,
                }) = inlines.last_mut()
                {
                    prev.push_str(&text);
                    *prev_span = prev_span.to(span);
                    return;
                }
                InlineKind::Text(text.into_string())
            }
            Event::Code(code) => InlineKind::Code(code.into_string()),
            Event::InlineHtml(html) | Event::Html(html) => InlineKind::Html(html.into_string()),
            Event::SoftBreak => InlineKind::SoftBreak,
            Event::HardBreak => InlineKind::HardBreak,
            Event::Start(
                tag @ (Tag::Link { .. } | Tag::Emphasis | Tag::Strong | Tag::Strikethrough),
            ) if self.inline_depth >= MAX_NESTING => {
                // Too deep: keep the content at this level, drop the markup.
                self.too_deep_inline.get_or_insert(span);
                self.flattened.push(tag.to_end());
                return;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let children = self.nested_inlines(TagEnd::Link);
                InlineKind::Link {
                    dest: dest_url.into_string(),
                    children,
                }
            }
            Event::Start(Tag::Emphasis) => InlineKind::Emph(self.nested_inlines(TagEnd::Emphasis)),
            Event::Start(Tag::Strong) => InlineKind::Strong(self.nested_inlines(TagEnd::Strong)),
            Event::Start(Tag::Strikethrough) => {
                InlineKind::Strike(self.nested_inlines(TagEnd::Strikethrough))
            }
            Event::Start(Tag::Image { .. }) => {
                self.skip_until(TagEnd::Image);
                return;
            }
            Event::Start(tag) => {
                self.skip_until(tag.to_end());
                return;
            }
            _ => return,
        };
        inlines.push(Inline { kind, span });
    }

    fn table(&mut self, span: Span) -> Table {
        let mut header = Row {
            cells: Vec::new(),
            written_cells: 0,
            span,
        };
        let mut rows = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let row_span = self.span(&range);
            match event {
                Event::Start(Tag::TableHead) => {
                    header = Row {
                        cells: self.cells(TagEnd::TableHead),
                        written_cells: 0,
                        span: row_span,
                    };
                    header.written_cells = self.written_cells(row_span);
                }
                Event::Start(Tag::TableRow) => {
                    let mut cells = self.cells(TagEnd::TableRow);
                    let written_cells = self.written_cells(row_span);
                    if written_cells > cells.len()
                        && let Some(all) = self.cells_as_written(row_span, written_cells)
                    {
                        cells = all;
                    }
                    rows.push(Row {
                        cells,
                        written_cells,
                        span: row_span,
                    });
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Table { header, rows, span }
    }

    fn cells(&mut self, end: TagEnd) -> Vec<Cell> {
        let mut cells = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let span = self.span(&range);
            match event {
                Event::Start(Tag::TableCell) => {
                    let inlines = self.inlines_until(TagEnd::TableCell);
                    cells.push(Cell { inlines, span });
                }
                Event::End(tag) if tag == end => break,
                _ => {}
            }
        }
        cells
    }

    /// Every cell of a row that has more than its header: GFM drops the extra cells, so the row's line is
    /// parsed again under a synthetic header as wide as the row, with spans mapped back into the page.
    fn cells_as_written(&self, span: Span, count: usize) -> Option<Vec<Cell>> {
        let line = self.text.get(span.range())?.lines().next()?;
        let header = format!("{}|\n{}|\n", "|a".repeat(count), "|-".repeat(count));
        let prefix = header.len();
        let synthetic = format!("{header}{line}\n");
        let start = span.start as usize;
        let shift = move |at: usize| at.saturating_sub(prefix) + start;
        let events = Parser::new_ext(
            &synthetic,
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
        )
        .into_offset_iter()
        .map(move |(event, range)| (event, shift(range.start)..shift(range.end)))
        // Collected, so that the nested builder has one type whatever the depth.
        .collect::<Vec<_>>();
        let mut builder = Builder {
            events: events.into_iter().peekable(),
            file: self.file,
            base: 0,
            text: self.text,
            depth: self.depth,
            too_deep: None,
            inline_depth: 0,
            flattened: Vec::new(),
            too_deep_inline: None,
        };
        let blocks = builder.blocks_until(None);
        match blocks.into_iter().next() {
            Some(Block::Table(table)) => table.rows.into_iter().next().map(|row| row.cells),
            _ => None,
        }
    }

    /// Counts the cells of a table row as written: unescaped pipes, minus the optional outer ones.
    fn written_cells(&self, span: Span) -> usize {
        let line = self
            .text
            .get(span.range())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .trim();
        let mut count = 1;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => {
                    escaped = true;
                    continue;
                }
                '|' if !escaped => count += 1,
                _ => {}
            }
            escaped = false;
        }
        if line.starts_with('|') {
            count -= 1;
        }
        if line.len() > 1 && line.ends_with('|') && !line.ends_with("\\|") {
            count -= 1;
        }
        count.max(1)
    }

    fn list(&mut self, ordered: bool, span: Span) -> List {
        let mut items = Vec::new();
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let item_span = self.span(&range);
                    items.push(self.item(item_span));
                }
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        List {
            ordered,
            items,
            span,
        }
    }

    fn item(&mut self, span: Span) -> ListItem {
        let mut inlines: Vec<Inline> = Vec::new();
        let mut blocks: Vec<Block> = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let event_span = self.span(&range);
            match event {
                Event::End(TagEnd::Item) => break,
                Event::Start(Tag::Paragraph) if inlines.is_empty() && blocks.is_empty() => {
                    inlines = self.inlines_until(TagEnd::Paragraph);
                }
                Event::Start(tag) if is_block_tag(&tag) => {
                    if let Some(block) = self.block(tag, event_span) {
                        blocks.push(block);
                    }
                }
                Event::Rule => blocks.push(Block::Rule(event_span)),
                Event::Html(_) => blocks.push(Block::Html(event_span)),
                other if blocks.is_empty() => {
                    self.push_inline_event(other, event_span, &mut inlines)
                }
                other => {
                    let mut trailing = Vec::new();
                    self.push_inline_event(other, event_span, &mut trailing);
                    blocks.push(Block::Paragraph(Paragraph {
                        inlines: trailing,
                        span: event_span,
                    }));
                }
            }
        }
        ListItem {
            inlines,
            blocks,
            span,
        }
    }
}

fn is_block_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
    )
}

fn make_heading(level: u8, inlines: Vec<Inline>, span: Span) -> Heading {
    let text = plain_text(&inlines)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let extra_anchors = inlines
        .iter()
        .filter_map(|i| match &i.kind {
            InlineKind::Html(html) => html_id(html),
            _ => None,
        })
        .collect();
    let struck = is_struck(&inlines);
    Heading {
        level,
        inlines,
        text,
        struck,
        anchor: String::new(),
        extra_anchors,
        span,
    }
}

/// The `id="…"` of an inline HTML tag such as `<a href="#x" id="x">`.
fn html_id(html: &str) -> Option<String> {
    let rest = &html[html.find("id=")? + 3..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_string()).filter(|v| !v.is_empty())
}

/// The anchor GitHub and GitBook give a heading: lower case, punctuation dropped, spaces to hyphens.
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The form in which anchors are compared: lower case, runs of hyphens collapsed, no outer hyphens.
/// Links in the docs differ from the slugs in case (`#get-image-URLs`) and in doubled hyphens.
pub fn anchor_key(anchor: &str) -> String {
    let lower: String = anchor.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('-').to_string()
}

/// Gives every heading its slug, numbering repeats on the page (`x`, `x-1`, `x-2`) as GitHub does.
fn assign_anchors(sections: &mut [Section]) {
    fn walk(sections: &mut [Section], seen: &mut std::collections::BTreeMap<String, usize>) {
        for section in sections {
            let base = slug(&section.heading.text);
            let count = seen.entry(base.clone()).or_insert(0);
            section.heading.anchor = if *count == 0 {
                base
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            walk(&mut section.children, seen);
        }
    }
    walk(sections, &mut std::collections::BTreeMap::new());
}

/// Nests a flat block list into sections by heading level.
fn into_sections(blocks: Vec<Block>) -> (Vec<Block>, Vec<Section>) {
    let mut preamble = Vec::new();
    let mut roots: Vec<Section> = Vec::new();
    // Open sections, outermost first; each is attached to its parent when closed.
    let mut open: Vec<Section> = Vec::new();
    fn close(open: &mut Vec<Section>, roots: &mut Vec<Section>) {
        if let Some(done) = open.pop() {
            match open.last_mut() {
                Some(parent) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading(heading) => {
                while open
                    .last()
                    .is_some_and(|s| s.heading.level >= heading.level)
                {
                    close(&mut open, &mut roots);
                }
                open.push(Section {
                    heading,
                    blocks: Vec::new(),
                    children: Vec::new(),
                });
            }
            other => match open.last_mut() {
                Some(section) => section.blocks.push(other),
                None => preamble.push(other),
            },
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut roots);
    }
    (preamble, roots)
}

/// Turns GitBook template tags into structure: `{% hint %}` … `{% endhint %}` becomes a [`Block::Hint`];
/// other tags (`{% tabs %}`…) are dropped.
fn fold_hints(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Vec<Block>, Span)> = None;
    for block in blocks {
        let block = match block {
            Block::Quote(q) => Block::Quote(Quote {
                blocks: fold_hints(q.blocks),
                span: q.span,
            }),
            other => other,
        };
        let tags = match &block {
            Block::Paragraph(p) => template_tags(&p.inlines),
            _ => Vec::new(),
        };
        if tags.is_empty() {
            match open.as_mut() {
                Some((inner, span)) => {
                    *span = span.to(block.span());
                    inner.push(block);
                }
                None => out.push(block),
            }
            continue;
        }
        let Block::Paragraph(paragraph) = block else {
            continue;
        };
        let opens = tags.first().is_some_and(|t| t.starts_with("hint"));
        let closes = tags.last().is_some_and(|t| t.starts_with("endhint"));
        let content = strip_template_tags(&paragraph.inlines);
        if opens && open.is_none() {
            open = Some((Vec::new(), paragraph.span));
        }
        if let Some((inner, span)) = open.as_mut() {
            *span = span.to(paragraph.span);
            if !content.is_empty() {
                inner.push(Block::Paragraph(Paragraph {
                    inlines: content,
                    span: paragraph.span,
                }));
            }
        } else if !content.is_empty() {
            out.push(Block::Paragraph(Paragraph {
                inlines: content,
                span: paragraph.span,
            }));
        }
        if closes && let Some((inner, span)) = open.take() {
            out.push(Block::Hint(Quote {
                blocks: inner,
                span,
            }));
        }
    }
    if let Some((inner, span)) = open.take() {
        out.push(Block::Hint(Quote {
            blocks: inner,
            span,
        }));
    }
    out
}

/// The names of the `{% … %}` tags in a paragraph whose text starts or ends with one.
fn template_tags(inlines: &[Inline]) -> Vec<String> {
    let text = plain_text(inlines);
    let trimmed = text.trim();
    if !(trimmed.starts_with("{%") || trimmed.ends_with("%}")) {
        return Vec::new();
    }
    let mut tags = Vec::new();
    let mut rest = trimmed;
    // The closing `%}` is searched after the opening `{%`: in `{%}` they overlap.
    while let Some(start) = rest.find("{%") {
        let inner = &rest[start + 2..];
        let Some(end) = inner.find("%}") else {
            break;
        };
        tags.push(inner[..end].trim().to_string());
        rest = &inner[end + 2..];
    }
    tags
}

fn strip_template_tags(inlines: &[Inline]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(text) => {
                let mut kept = String::new();
                let mut rest = text.as_str();
                while let Some(start) = rest.find("{%") {
                    kept.push_str(&rest[..start]);
                    let inner = &rest[start + 2..];
                    rest = match inner.find("%}") {
                        Some(end) => &inner[end + 2..],
                        None => "",
                    };
                }
                kept.push_str(rest);
                if !kept.trim().is_empty() {
                    out.push(Inline {
                        kind: InlineKind::Text(kept),
                        span: inline.span,
                    });
                }
            }
            InlineKind::SoftBreak | InlineKind::HardBreak if out.is_empty() => {}
            _ => out.push(inline.clone()),
        }
    }
    while out
        .last()
        .is_some_and(|i| matches!(i.kind, InlineKind::SoftBreak | InlineKind::HardBreak))
    {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Page {
        let mut diagnostics = Diagnostics::default();
        parse_page(FileId(0), "operations/x.md", text, &mut diagnostics)
    }

    #[test]
    fn headings_nest_and_get_numbered_slugs() {
        let page = parse(
            "# T\n## Get all (ver 2023-06-06)\n### Request\n#### Thing\n#### Thing\n## ~~Old~~\n",
        );
        let all: Vec<_> = page
            .all_sections()
            .iter()
            .map(|s| (s.heading.level, s.heading.anchor.clone()))
            .collect();
        assert_eq!(
            all,
            [
                (1, "t".into()),
                (2, "get-all-ver-2023-06-06".into()),
                (3, "request".into()),
                (4, "thing".into()),
                (4, "thing-1".into()),
                (2, "old".into())
            ]
        );
        assert!(page.all_sections()[5].heading.struck);
    }

    #[test]
    fn table_cells_keep_links_code_and_strike_through() {
        let page = parse(
            "## A\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n\
             | ~~`X`~~ | ~~[T](y.md#t)~~ | ~~optional~~ | ~~Old.~~ **Deprecated!** |\n| `Y` | string |\n",
        );
        let Block::Table(table) = &page.sections[0].blocks[0] else {
            panic!("no table")
        };
        assert_eq!(table.header.cells.len(), 4);
        let row = &table.rows[0];
        assert!(is_struck(&row.cells[0].inlines));
        assert_eq!(links(&row.cells[1].inlines)[0].0, "y.md#t");
        assert_eq!(plain_text(&row.cells[3].inlines), "Old. Deprecated!");
        assert_eq!(table.rows[1].written_cells, 2);
        assert_eq!(table.rows[1].cells.len(), 4, "GFM pads short rows");
    }

    #[test]
    fn quotes_keep_their_headings_out_of_the_section_tree() {
        let page = parse("## Op\n\n> ### Restricted!\n> Beta.\n\nText.\n### Request\n");
        let op = &page.sections[0];
        assert_eq!(op.children.len(), 1);
        let Block::Quote(quote) = &op.blocks[0] else {
            panic!("no quote")
        };
        assert!(matches!(&quote.blocks[0], Block::Heading(h) if h.text == "Restricted!"));
    }

    #[test]
    fn hints_become_blocks_with_their_text() {
        let page = parse(
            "#### E\n\n{% hint style=\"info\" %}\n**Note** the list of values is not exhaustive.\n{% endhint %}\n\n* `A`\n* …\n",
        );
        let blocks = &page.sections[0].blocks;
        let Block::Hint(hint) = &blocks[0] else {
            panic!("no hint: {blocks:?}")
        };
        let Block::Paragraph(p) = &hint.blocks[0] else {
            panic!()
        };
        assert_eq!(
            plain_text(&p.inlines).trim(),
            "Note the list of values is not exhaustive."
        );
        assert!(matches!(&blocks[1], Block::List(l) if l.items.len() == 2));
    }

    #[test]
    fn spans_point_into_the_original_text_even_after_a_bom() {
        let text = "\u{feff}# Title\n\n`code`\n";
        let mut diagnostics = Diagnostics::default();
        let page = parse_page(FileId(0), "x.md", text, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        let heading = &page.sections[0].heading;
        assert_eq!(&text[heading.span.range()], "# Title\n");
        let Block::Paragraph(p) = &page.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(&text[p.inlines[0].span.range()], "`code`");
    }

    #[test]
    fn inline_html_ids_are_extra_anchors() {
        let page = parse(
            "### Platform addresses <a href=\"#demo-addresses\" id=\"demo-addresses\"></a>\n",
        );
        let heading = &page.sections[0].heading;
        assert_eq!(heading.text, "Platform addresses");
        assert_eq!(heading.extra_anchors, ["demo-addresses"]);
    }

    #[test]
    fn anchor_keys_ignore_case_and_doubled_hyphens() {
        assert_eq!(
            anchor_key("get-image-URLs"),
            anchor_key(&slug("Get image URLs"))
        );
        assert_eq!(slug("Rates & prices"), "rates--prices");
        assert_eq!(anchor_key("rates--prices"), "rates-prices");
        assert_eq!(slug("Děti (ver 1)"), "děti-ver-1");
    }

    #[test]
    fn deep_nesting_is_cut_off_with_an_error() {
        let text = ">".repeat(200) + " x\n";
        let mut diagnostics = Diagnostics::default();
        let _ = parse_page(FileId(0), "x.md", &text, &mut diagnostics);
        assert!(diagnostics.iter().any(|d| d.code == Code::NestingTooDeep));
    }
}
