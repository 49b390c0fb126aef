//! Type titles as names: which types a few words or a code span name (`` `MessageThread` `` and
//! "message threads" name "Message thread"), and the pass that turns such code spans into doc links.
//!
//! A name matches a title without its version (`Reservation (ver 2023-06-06)` is named `Reservation`),
//! ignoring case, spaces and punctuation; a plural names its singular. Operation bodies are not named.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;

/// Titles of the named types, by their squashed form.
#[derive(Debug, Default)]
pub struct TypeTitles {
    by_key: BTreeMap<String, Vec<Titled>>,
}

/// One type a name can refer to.
#[derive(Clone, Debug)]
pub struct Titled {
    pub id: TypeId,
    /// The title without its version (`Reservation`).
    pub name: String,
    /// The version in the title (`2023-06-06`), empty when there is none.
    pub version: String,
}

impl TypeTitles {
    pub fn new(api: &Api) -> Self {
        let bodies: BTreeSet<&TypeId> = api
            .operations
            .iter()
            .flat_map(|o| [&o.request, &o.response])
            .collect();
        // Events pages are a namespace of their own (`events::…`): their titles never name what the other
        // pages' words mean, so adding them changes nothing there.
        let events = api.events_pages();
        let mut by_key: BTreeMap<String, Vec<Titled>> = BTreeMap::new();
        for (id, def) in &api.types {
            if bodies.contains(id) || events.contains(id.page()) {
                continue;
            }
            let (name, version) = split_version(&def.title);
            let key = squash(&name);
            if key.is_empty() {
                continue;
            }
            by_key.entry(key).or_default().push(Titled {
                id: id.clone(),
                name,
                version,
            });
        }
        TypeTitles { by_key }
    }

    /// The types some words name (`Resource categories`, `rate group`, `MessageThread`); empty when none.
    pub fn named(&self, words: &str) -> &[Titled] {
        let key = squash(words);
        for candidate in singulars(&key) {
            if let Some(found) = self.by_key.get(&candidate) {
                return found;
            }
        }
        &[]
    }

    /// A name in the singular when that is a type's title (`Reservation groups` → `Reservation group`).
    pub fn singular_title(&self, name: &str) -> Option<&str> {
        let key = squash(name);
        singulars(&key)
            .iter()
            .skip(1)
            .find_map(|k| self.by_key.get(k))
            .and_then(|found| found.first())
            .map(|t| t.name.as_str())
    }

    /// The types a code span names: its text is a type's title in Pascal case (`` `MessageThread` ``) or
    /// in words starting with a capital (`` `Rate group` ``), maybe plural. Other code spans (property
    /// names, values, JSON) name nothing even when they happen to squash to a title.
    pub fn code_span(&self, code: &str) -> &[Titled] {
        if Self::is_name(code) {
            self.named(code)
        } else {
            &[]
        }
    }

    /// Whether a code span is written as a name: letters and digits, starting with a capital, maybe in
    /// words (`` `MessageThread` ``, `` `Rate group` ``).
    pub fn is_name(code: &str) -> bool {
        let code = code.trim();
        code.starts_with(|c: char| c.is_ascii_uppercase())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
            && !code.contains("  ")
    }
}

/// `Reservation (ver 2023-06-06)` → (`Reservation`, `2023-06-06`); also `(ver. …)` and an anchor's
/// `reservation ver 2023 06 06`.
pub fn split_version(title: &str) -> (String, String) {
    let lower = title.to_lowercase();
    let Some((start, len)) = ["(ver ", "(ver.", " ver "]
        .iter()
        .filter_map(|marker| lower.find(marker).map(|at| (at, marker.len())))
        .min()
    else {
        return (title.trim().to_string(), String::new());
    };
    let version = lower[start + len..]
        .trim_start_matches(['.', ' '])
        .trim_end_matches(')')
        .trim()
        .to_string();
    (title[..start].trim().to_string(), version)
}

/// Lower-case letters and digits only: `Rate Group`, `rate group` and `RateGroup` are all `rategroup`.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A squashed word and the singulars it may be the plural of (`categories` → `category`).
fn singulars(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    if let Some(stem) = key.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if let Some(stem) = key.strip_suffix("es") {
        out.push(stem.to_string());
    }
    if let Some(stem) = key.strip_suffix('s') {
        out.push(stem.to_string());
    }
    out.retain(|k| !k.is_empty());
    out
}

/// Turns code spans that name a type into links to it, in every doc. Among several types of that name the
/// one on the doc's own page is preferred, and among versions of one title the newest; when that still
/// leaves several (the same title on two other pages), the code span stays text.
pub fn link_code_spans(api: &mut Api) {
    let titles = TypeTitles::new(api);
    let link = |page: &str, doc: &mut Doc| {
        for paragraph in &mut doc.paragraphs {
            link_inlines(paragraph, page, &titles);
        }
    };
    for def in api.types.values_mut() {
        let page = def.id.page().to_string();
        link(&page, &mut def.doc);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| link(&page, &mut f.doc)),
            TypeKind::Enum(e) => e.values.iter_mut().for_each(|v| link(&page, &mut v.doc)),
            TypeKind::Coproduct(c) => c.variants.iter_mut().for_each(|v| link(&page, &mut v.doc)),
            TypeKind::UpdateValue(_)
            | TypeKind::Map(_)
            | TypeKind::OneOf(_)
            | TypeKind::Alias(_) => {}
        }
    }
    for operation in &mut api.operations {
        let page = operation.page.clone();
        link(&page, &mut operation.doc);
    }
}

fn link_inlines(inlines: &mut [DocInline], page: &str, titles: &TypeTitles) {
    for inline in inlines {
        match inline {
            DocInline::Code(code) => {
                if let Some(id) = pick(titles.code_span(code), page) {
                    let children = vec![DocInline::Code(std::mem::take(code))];
                    *inline = DocInline::Link {
                        target: LinkTarget::Type(id),
                        children,
                    };
                }
            }
            DocInline::Emph(c) | DocInline::Strong(c) | DocInline::Strike(c) => {
                link_inlines(c, page, titles)
            }
            DocInline::Text(_) | DocInline::Link { .. } | DocInline::Break => {}
        }
    }
}

/// The one type a name links to from `page`: on that page if any is, the newest version, else none.
fn pick(candidates: &[Titled], page: &str) -> Option<TypeId> {
    let here: Vec<&Titled> = candidates.iter().filter(|t| t.id.page() == page).collect();
    let pool: Vec<&Titled> = if here.is_empty() {
        candidates.iter().collect()
    } else {
        here
    };
    let newest = pool.iter().map(|t| t.version.as_str()).max()?;
    match pool
        .iter()
        .filter(|t| t.version == newest)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => Some(one.id.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_split_from_titles() {
        let split = |t: &str| split_version(t);
        assert_eq!(
            split("Reservation (ver 2023-06-06)"),
            ("Reservation".into(), "2023-06-06".into())
        );
        assert_eq!(
            split("Fiscal data (ver. 2025-06-23)"),
            ("Fiscal data".into(), "2025-06-23".into())
        );
        assert_eq!(
            split("reservation ver 2023 06 06"),
            ("reservation".into(), "2023 06 06".into())
        );
        assert_eq!(split("Message"), ("Message".into(), String::new()));
    }

    #[test]
    fn plurals_name_their_singular() {
        assert!(singulars("categories").contains(&"category".to_string()));
        assert!(singulars("rates").contains(&"rate".to_string()));
        assert!(singulars("addresses").contains(&"address".to_string()));
    }
}
