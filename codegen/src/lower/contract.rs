//! The Contract column: `required` or `optional`, then limits (`max N items`, `max length N characters`,
//! `max length N months`, and the minima `min N items`, `min length N characters`). Close variants are read by
//! one rule, and what is not understood is reported while the rest is kept.
//!
//! The rule for variants: the cell is cut into words (lower case, punctuation around a word dropped, `1,000`
//! read as `1000`); each word is a known word, a synonym (`maximum`, `minimum`), or a misspelling of exactly
//! one known word within the edit distance [`max_edits`] allows; the words are then read as a sequence of
//! clauses, `length` supplied where characters and months need it and dropped where items do not. Anything
//! that needed one of these steps is a variant, reported with the reading taken.

use crate::ir::Constraints;

/// What a Contract cell says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContractReading {
    /// `required` (`true`) or `optional` (`false`); `None` when the cell says neither (or both).
    pub required: Option<bool>,
    pub constraints: Constraints,
    /// Phrases read as a close variant: as written, and the reading taken.
    pub variants: Vec<(String, String)>,
    /// Phrases (or their rest) not understood, as written.
    pub unknown: Vec<String>,
    /// The cell says both `required` and `optional`.
    pub conflicting: bool,
}

impl ContractReading {
    /// Everything in the cell was understood (maybe as a variant) and it says required or optional.
    pub fn is_complete(&self) -> bool {
        self.required.is_some() && self.unknown.is_empty() && !self.conflicting
    }
}

/// The words a Contract is made of, with the units in the singular.
const WORDS: [&str; 8] = [
    "required",
    "optional",
    "max",
    "min",
    "length",
    "item",
    "character",
    "month",
];

/// The edits (insertions, deletions, substitutions, swaps of neighbours) a misspelling may be from a known
/// word: none for words under four letters (`max` and `min` are one letter apart), one up to seven, two from
/// eight (`requried`, `optinal`, `charcters`). The shorter of the two words decides.
pub fn max_edits(written: &str, known: &str) -> usize {
    match written.chars().count().min(known.chars().count()) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Reads a Contract cell.
pub fn read_contract(text: &str) -> ContractReading {
    let mut reading = ContractReading::default();
    let mut saw_required = false;
    let mut saw_optional = false;
    for (phrase, written_phrase, grouped) in phrases(text) {
        let mut variant = grouped;
        let written: Vec<&str> = phrase.split_whitespace().collect();
        let mut words: Vec<Word> = Vec::new();
        for (index, raw) in written.iter().enumerate() {
            let (kind, changed) = normalize(raw);
            variant |= changed;
            if let Some(kind) = kind {
                words.push(Word { kind, index });
            }
        }
        let mut clauses: Vec<String> = Vec::new();
        let mut rest = words.as_slice();
        while let [first, ..] = rest {
            let Some((read, used, changed)) = clause(rest) else {
                reading.unknown.push(written[first.index..].join(" "));
                break;
            };
            variant |= changed;
            match read {
                Clause::Required => saw_required = true,
                Clause::Optional => saw_optional = true,
                Clause::Limit(limit, n) => limit.set(&mut reading.constraints, n),
            }
            clauses.push(read.to_string());
            rest = &rest[used..];
        }
        // Two clauses in one phrase: a comma is missing.
        variant |= clauses.len() > 1;
        if variant && !clauses.is_empty() {
            reading.variants.push((written_phrase, clauses.join(", ")));
        }
    }
    reading.required = match (saw_required, saw_optional) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        (true, true) => {
            reading.conflicting = true;
            None
        }
        (false, false) => None,
    };
    reading
}

/// The comma-separated phrases of a cell, trimmed: each as read (digit groups joined: `1,000` is `1000`, its
/// comma separating nothing), as written, and whether it had a digit group.
fn phrases(text: &str) -> Vec<(String, String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = (String::new(), String::new(), false);
    for (i, &c) in chars.iter().enumerate() {
        let digit_group = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() > i + 3
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if digit_group {
            current.1.push(c);
            current.2 = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut current));
        } else {
            current.0.push(c);
            current.1.push(c);
        }
    }
    out.push(current);
    out.into_iter()
        .map(|(read, written, grouped)| {
            (read.trim().to_string(), written.trim().to_string(), grouped)
        })
        .filter(|(read, _, _)| !read.is_empty())
        .collect()
}

/// A word of a phrase, read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    kind: WordKind,
    /// Position among the phrase's written words.
    index: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum WordKind {
    Known(&'static str),
    Number(u64),
    Other,
}

/// One written word: what it is read as (`None` for bare punctuation), and whether reading it took more than
/// lower-casing.
fn normalize(raw: &str) -> (Option<WordKind>, bool) {
    let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
    let mut changed = trimmed.len() != raw.len();
    if trimmed.is_empty() {
        return (None, true);
    }
    let lower = trimmed.to_lowercase();
    let kind = if let Ok(n) = lower.parse::<u64>() {
        WordKind::Number(n)
    } else if let Some(known) = known_word(&lower) {
        if known != singular(&lower) {
            changed = true;
        }
        WordKind::Known(known)
    } else {
        WordKind::Other
    };
    (Some(kind), changed)
}

/// Units are read in the singular: `items` is `item`.
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if ["item", "character", "month"].contains(&stem) => stem,
        _ => word,
    }
}

/// The known word a written word stands for: itself, a synonym, or the one known word it is a misspelling of.
fn known_word(word: &str) -> Option<&'static str> {
    let word = singular(word);
    if let Some(known) = WORDS.iter().find(|w| **w == word) {
        return Some(known);
    }
    let synonym = match word {
        "maximum" => Some("max"),
        "minimum" => Some("min"),
        _ => None,
    };
    if synonym.is_some() {
        return synonym;
    }
    let stem = word.strip_suffix('s').unwrap_or(word);
    let mut best: Option<(usize, &'static str)> = None;
    let mut tie = false;
    for known in WORDS {
        let max = max_edits(word, known);
        let distance = match (
            edit_distance_at_most(word, known, max),
            edit_distance_at_most(stem, known, max),
        ) {
            (Some(a), Some(b)) => a.min(b),
            (Some(d), None) | (None, Some(d)) => d,
            (None, None) => continue,
        };
        if distance == 0 {
            continue;
        }
        match best {
            Some((d, _)) if d < distance => {}
            Some((d, _)) if d == distance => tie = true,
            _ => {
                best = Some((distance, known));
                tie = false;
            }
        }
    }
    match best {
        Some((_, known)) if !tie => Some(known),
        _ => None,
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
pub fn edit_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rolling rows of the distance matrix: two rows back is what a swap of neighbours reads.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// [`edit_distance`] when it is at most `max`; `None` without computing it when the lengths alone differ by
/// more (most pairs of words, since this is asked of every known word).
pub fn edit_distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    if a == b {
        return Some(0);
    }
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return None;
    }
    let distance = edit_distance(a, b);
    (distance <= max).then_some(distance)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clause {
    Required,
    Optional,
    Limit(Limit, u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Limit {
    MaxItems,
    MinItems,
    MaxLength,
    MinLength,
    MaxMonths,
}

impl Limit {
    fn set(self, c: &mut Constraints, n: u64) {
        let slot = match self {
            Limit::MaxItems => &mut c.max_items,
            Limit::MinItems => &mut c.min_items,
            Limit::MaxLength => &mut c.max_length,
            Limit::MinLength => &mut c.min_length,
            Limit::MaxMonths => &mut c.max_months,
        };
        *slot = Some(n);
    }
}

impl std::fmt::Display for Clause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        match *self {
            Clause::Required => f.write_str("required"),
            Clause::Optional => f.write_str("optional"),
            Clause::Limit(Limit::MaxItems, n) => write!(f, "max {n} item{}", plural(n)),
            Clause::Limit(Limit::MinItems, n) => write!(f, "min {n} item{}", plural(n)),
            Clause::Limit(Limit::MaxLength, n) => {
                write!(f, "max length {n} character{}", plural(n))
            }
            Clause::Limit(Limit::MinLength, n) => {
                write!(f, "min length {n} character{}", plural(n))
            }
            Clause::Limit(Limit::MaxMonths, n) => write!(f, "max length {n} month{}", plural(n)),
        }
    }
}

/// The clause `words` start with: what it says, how many words it takes, and whether reading it supplied or
/// dropped `length`.
fn clause(words: &[Word]) -> Option<(Clause, usize, bool)> {
    use WordKind::{Known, Number};
    let kinds: Vec<&WordKind> = words.iter().map(|w| &w.kind).take(4).collect();
    let unit = |w: &str| ["item", "character", "month"].contains(&w);
    match kinds.as_slice() {
        [Known("required"), ..] => Some((Clause::Required, 1, false)),
        [Known("optional"), ..] => Some((Clause::Optional, 1, false)),
        [
            Known(bound @ ("max" | "min")),
            Known("length"),
            Number(n),
            Known(u),
            ..,
        ] if unit(u) => limit(bound, *n, u, true).map(|(c, changed)| (c, 4, changed)),
        // `max length N` without a unit: a length is in characters.
        [
            Known(bound @ ("max" | "min")),
            Known("length"),
            Number(n),
            ..,
        ] => limit(bound, *n, "character", true).map(|(c, _)| (c, 3, true)),
        [Known(bound @ ("max" | "min")), Number(n), Known(u), ..] if unit(u) => {
            limit(bound, *n, u, false).map(|(c, changed)| (c, 3, changed))
        }
        _ => None,
    }
}

fn limit(bound: &str, n: u64, unit: &str, with_length: bool) -> Option<(Clause, bool)> {
    let max = bound == "max";
    let (limit, wants_length) = match unit {
        "item" => (
            if max {
                Limit::MaxItems
            } else {
                Limit::MinItems
            },
            false,
        ),
        "character" => (
            if max {
                Limit::MaxLength
            } else {
                Limit::MinLength
            },
            true,
        ),
        "month" if max => (Limit::MaxMonths, true),
        _ => return None,
    };
    Some((Clause::Limit(limit, n), with_length != wants_length))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> ContractReading {
        read_contract(text)
    }

    #[test]
    fn reads_the_grammar_without_variants() {
        let r = read("optional, max length 255 characters");
        assert_eq!(r.required, Some(false));
        assert_eq!(r.constraints.max_length, Some(255));
        assert!(r.variants.is_empty() && r.unknown.is_empty(), "{r:?}");
        let r = read("Required, max 1 item");
        assert_eq!(r.required, Some(true));
        assert_eq!(r.constraints.max_items, Some(1));
        assert!(r.variants.is_empty(), "{r:?}");
        let r = read("optional, max length 3 months");
        assert_eq!(r.constraints.max_months, Some(3));
        assert!(r.is_complete());
        let r = read("required, min length 1 character, min 2 items");
        assert_eq!(
            (r.constraints.min_length, r.constraints.min_items),
            (Some(1), Some(2))
        );
        assert!(r.variants.is_empty(), "{r:?}");
    }

    #[test]
    fn reads_close_variants_and_says_how() {
        let variant = |text: &str| {
            let r = read(text);
            assert!(r.is_complete(), "{text}: {r:?}");
            r.variants
                .iter()
                .map(|(_, read)| read.clone())
                .collect::<Vec<_>>()
                .join(" / ")
        };
        assert_eq!(
            variant("required, max 1000 characters"),
            "max length 1000 characters"
        );
        assert_eq!(
            variant("optional, min 1 character"),
            "min length 1 character"
        );
        assert_eq!(variant("optional, max length 5 items"), "max 5 items");
        assert_eq!(variant("requried"), "required");
        assert_eq!(variant("optinal, max 10 itmes"), "optional / max 10 items");
        assert_eq!(variant("optional, maximum 1,000 items"), "max 1000 items");
        assert_eq!(variant("required max 10 items"), "required, max 10 items");
        assert_eq!(variant("required."), "required");
        assert_eq!(
            variant("optional, max lenght 255 charcters"),
            "max length 255 characters"
        );
        assert_eq!(
            variant("optional, max length 255"),
            "max length 255 characters"
        );
    }

    #[test]
    fn keeps_what_it_understands_and_reports_the_rest() {
        let r = read("sometimes");
        assert_eq!(r.required, None);
        assert_eq!(r.unknown, ["sometimes"]);
        let r = read("required, max 1000");
        assert_eq!(r.required, Some(true));
        assert_eq!(r.unknown, ["max 1000"]);
        let r = read("optional, max 10 items per day");
        assert_eq!(r.constraints.max_items, Some(10));
        assert_eq!(r.unknown, ["per day"]);
        let r = read("[Message](#message)");
        assert_eq!((r.required, r.unknown.len()), (None, 1));
        let r = read("required, optional");
        assert_eq!(r.required, None);
        assert!(r.conflicting && !r.is_complete());
        // `mix` is one letter from both `max` and `min`, and short words are never corrected.
        assert_eq!(read("optional, mix 5 items").unknown, ["mix 5 items"]);
        assert_eq!(read("options").unknown, ["options"]);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("requried", "required"), 1);
        assert_eq!(edit_distance("optinal", "optional"), 1);
        assert_eq!(edit_distance("max", "min"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("characters", "charcaters"), 1);
    }

    #[test]
    fn edit_distance_at_most_skips_words_of_distant_lengths() {
        assert_eq!(edit_distance_at_most("requried", "required", 2), Some(1));
        assert_eq!(edit_distance_at_most("max", "maximum", 2), None);
        assert_eq!(edit_distance_at_most("items", "item", 1), Some(1));
        assert_eq!(edit_distance_at_most("same", "same", 0), Some(0));
        assert_eq!(edit_distance_at_most("abcd", "dcba", 2), None);
    }
}
