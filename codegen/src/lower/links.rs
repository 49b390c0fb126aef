//! Link resolution across pages (by file and anchor) and conversion of Markdown inlines into IR docs.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{DocInline, LinkTarget, TypeId};
use crate::parse::{Inline, InlineKind, anchor_key, slug};

/// Where the public reference lives, for links to pages that are not among the input.
pub const DOCS_BASE_URL: &str = "https://docs.mews.com/connector-api/";

/// What a section defines, as far as links are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Type(TypeId),
    Operation(String),
    /// A heading that defines neither (prose, request/response headings).
    Prose,
}

/// Anchors of every input page.
#[derive(Debug, Default)]
pub struct AnchorIndex {
    /// page path → anchor key → targets in document order (several when a title repeats on the page).
    pages: BTreeMap<String, BTreeMap<String, Vec<Target>>>,
    /// Reviewed redirects of broken links: (page, destination as written) → destination to use instead.
    redirects: BTreeMap<(String, String), String>,
    /// The redirects some resolution went through (the others match no link: stale overrides).
    used: RefCell<BTreeSet<(String, String)>>,
}

/// The outcome of resolving one link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Targets the anchor names, in document order.
    Found(Vec<Target>),
    /// A link to a page without an anchor.
    Page(String),
    /// The page is among the input but has no such anchor.
    MissingAnchor { page: String, anchor: String },
    /// The page is not among the input.
    MissingPage { page: String, anchor: String },
    /// An absolute address.
    External(String),
}

impl AnchorIndex {
    pub fn add_page(&mut self, page: &str) {
        self.pages.entry(page.to_string()).or_default();
    }

    /// Registers a heading under its numbered anchor and its plain slug, so `#x` reaches every `x` on the page.
    pub fn add(&mut self, page: &str, anchor: &str, heading_text: &str, target: Target) {
        let anchors = self.pages.entry(page.to_string()).or_default();
        let numbered = anchor_key(anchor);
        let base = anchor_key(&slug(heading_text));
        anchors
            .entry(numbered.clone())
            .or_default()
            .push(target.clone());
        if base != numbered {
            anchors.entry(base).or_default().push(target);
        }
    }

    pub fn has_page(&self, page: &str) -> bool {
        self.pages.contains_key(page)
    }

    /// Whether `dest` on `from_page` reaches a page or a heading (ignoring redirects).
    pub fn resolves(&self, from_page: &str, dest: &str) -> bool {
        matches!(
            self.resolve_direct(from_page, dest.trim()),
            Resolution::Found(_) | Resolution::Page(_) | Resolution::External(_)
        )
    }

    /// Sends link `dest` on `from_page` to `redirect` instead; `false` if that link is redirected already.
    pub fn add_redirect(&mut self, from_page: &str, dest: &str, redirect: &str) -> bool {
        let key = (from_page.to_string(), dest.to_string());
        if self.redirects.contains_key(&key) {
            return false;
        }
        self.redirects.insert(key, redirect.to_string());
        true
    }

    pub fn redirect_of(&self, from_page: &str, dest: &str) -> Option<&str> {
        self.redirects
            .get(&(from_page.to_string(), dest.to_string()))
            .map(String::as_str)
    }

    pub fn redirect_used(&self, from_page: &str, dest: &str) -> bool {
        self.used
            .borrow()
            .contains(&(from_page.to_string(), dest.to_string()))
    }

    /// The destination a link on `from_page` is resolved by: its redirect, if an override gives one.
    pub fn redirected<'a>(&'a self, from_page: &str, dest: &'a str) -> &'a str {
        let dest = dest.trim();
        match self.redirect_of(from_page, dest) {
            Some(redirect) => {
                self.used
                    .borrow_mut()
                    .insert((from_page.to_string(), dest.to_string()));
                redirect
            }
            None => dest,
        }
    }

    /// Resolves link `dest` written on `from_page`, through its redirect if it has one.
    pub fn resolve(&self, from_page: &str, dest: &str) -> Resolution {
        self.resolve_direct(from_page, self.redirected(from_page, dest))
    }

    /// Resolves `dest` as written, without redirects.
    pub fn resolve_direct(&self, from_page: &str, dest: &str) -> Resolution {
        if is_external(dest) {
            return Resolution::External(dest.to_string());
        }
        let (file, anchor) = match dest.split_once('#') {
            Some((file, anchor)) => (file, anchor),
            None => (dest, ""),
        };
        let page = if file.is_empty() {
            Some(from_page.to_string())
        } else {
            join(from_page, file)
        };
        let Some(page) = page else {
            return Resolution::External(format!(
                "{DOCS_BASE_URL}{}",
                dest.trim_start_matches("../")
            ));
        };
        let Some(anchors) = self.pages.get(&page) else {
            return Resolution::MissingPage {
                page,
                anchor: anchor.to_string(),
            };
        };
        if anchor.is_empty() {
            return Resolution::Page(page);
        }
        match anchors.get(&anchor_key(anchor)) {
            Some(targets) => Resolution::Found(targets.clone()),
            None => Resolution::MissingAnchor {
                page,
                anchor: anchor.to_string(),
            },
        }
    }
}

fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Joins a relative link to the page it appears on; `None` when it climbs above the spec root.
pub fn join(from_page: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_page.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The public docs address of a page (and anchor) that is not among the input.
pub fn docs_url(page: &str, anchor: &str) -> String {
    let path = page.strip_suffix("README.md").unwrap_or(page);
    let path = path.strip_suffix(".md").unwrap_or(path);
    let mut url = format!("{DOCS_BASE_URL}{path}");
    if !anchor.is_empty() {
        url.push('#');
        url.push_str(anchor);
    }
    url
}

/// Converts inlines to doc inlines; `link` maps each link destination to a target, or `None` to keep only its text.
pub fn doc_inlines(
    inlines: &[Inline],
    link: &mut dyn FnMut(&str) -> Option<LinkTarget>,
) -> Vec<DocInline> {
    let mut out = Vec::new();
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(text) => out.push(DocInline::Text(text.clone())),
            InlineKind::Code(code) => out.push(DocInline::Code(code.clone())),
            InlineKind::SoftBreak | InlineKind::HardBreak => out.push(DocInline::Break),
            InlineKind::Html(_) => {}
            InlineKind::Emph(children) => out.push(DocInline::Emph(doc_inlines(children, link))),
            InlineKind::Strong(children) => {
                out.push(DocInline::Strong(doc_inlines(children, link)))
            }
            InlineKind::Strike(children) => {
                out.push(DocInline::Strike(doc_inlines(children, link)))
            }
            InlineKind::Link { dest, children } => {
                let children = doc_inlines(children, link);
                match link(dest) {
                    Some(target) => out.push(DocInline::Link { target, children }),
                    None => out.extend(children),
                }
            }
        }
    }
    trim_doc(out)
}

/// Drops leading and trailing white space and line breaks.
fn trim_doc(mut inlines: Vec<DocInline>) -> Vec<DocInline> {
    while matches!(inlines.first(), Some(DocInline::Break)) {
        inlines.remove(0);
    }
    while matches!(inlines.last(), Some(DocInline::Break)) {
        inlines.pop();
    }
    if let Some(DocInline::Text(t)) = inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(DocInline::Text(t)) = inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, DocInline::Text(t) if t.is_empty()));
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> AnchorIndex {
        let mut index = AnchorIndex::default();
        index.add(
            "operations/messages.md",
            "message",
            "Message",
            Target::Type(TypeId::new("operations/messages.md", "message")),
        );
        index.add(
            "operations/bills.md",
            "x",
            "X",
            Target::Type(TypeId::new("operations/bills.md", "x")),
        );
        index.add(
            "operations/bills.md",
            "x-1",
            "X",
            Target::Type(TypeId::new("operations/bills.md", "x-1")),
        );
        index.add(
            "guidelines/pagination.md",
            "limitation",
            "Limitation",
            Target::Prose,
        );
        index
    }

    #[test]
    fn resolves_relative_links_by_file_and_anchor() {
        let index = index();
        assert_eq!(
            index.resolve("operations/messagethreads.md", "messages.md#Message"),
            Resolution::Found(vec![Target::Type(TypeId::new(
                "operations/messages.md",
                "message"
            ))])
        );
        assert_eq!(
            index.resolve(
                "operations/messages.md",
                "../guidelines/pagination.md#limitation"
            ),
            Resolution::Found(vec![Target::Prose])
        );
        assert_eq!(
            index.resolve("operations/messages.md", "services.md#service"),
            Resolution::MissingPage {
                page: "operations/services.md".into(),
                anchor: "service".into()
            }
        );
        assert_eq!(
            index.resolve("operations/messages.md", "#nothing"),
            Resolution::MissingAnchor {
                page: "operations/messages.md".into(),
                anchor: "nothing".into()
            }
        );
        assert_eq!(
            index.resolve("operations/x.md", "https://a.b/c"),
            Resolution::External("https://a.b/c".into())
        );
    }

    #[test]
    fn a_repeated_title_reaches_all_its_sections_and_a_numbered_anchor_one() {
        let index = index();
        let Resolution::Found(all) = index.resolve("operations/bills.md", "#x") else {
            panic!()
        };
        assert_eq!(all.len(), 2);
        let Resolution::Found(one) = index.resolve("operations/bills.md", "#x-1") else {
            panic!()
        };
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn a_redirect_replaces_one_destination_on_one_page_and_records_its_use() {
        let mut index = index();
        assert!(!index.resolves("operations/bills.md", "messages.md#mesage"));
        assert!(index.add_redirect(
            "operations/bills.md",
            "messages.md#mesage",
            "messages.md#message"
        ));
        assert!(!index.add_redirect("operations/bills.md", "messages.md#mesage", "#x"));
        assert!(!index.redirect_used("operations/bills.md", "messages.md#mesage"));
        assert!(matches!(
            index.resolve("operations/x.md", "messages.md#mesage"),
            Resolution::MissingAnchor { .. }
        ));
        assert_eq!(
            index.resolve("operations/bills.md", " messages.md#mesage "),
            Resolution::Found(vec![Target::Type(TypeId::new(
                "operations/messages.md",
                "message"
            ))])
        );
        assert!(index.redirect_used("operations/bills.md", "messages.md#mesage"));
    }

    #[test]
    fn joins_and_urls() {
        assert_eq!(
            join("operations/a.md", "../guidelines/b.md").as_deref(),
            Some("guidelines/b.md")
        );
        assert_eq!(join("operations/a.md", "../../x.md"), None);
        assert_eq!(
            docs_url("concepts/multi-property.md", ""),
            "https://docs.mews.com/connector-api/concepts/multi-property"
        );
        assert_eq!(
            docs_url("contact-support/README.md", "x"),
            "https://docs.mews.com/connector-api/contact-support/#x"
        );
    }
}
