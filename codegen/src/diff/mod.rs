//! What changed between two versions of the docs, classified for a crate that depends on the generated
//! client, with the semver bump the generated crate needs.
//!
//! [`Surface::of`] digests an IR into a [`Surface`] (serializable, stored by `cargo xtask regen` as
//! `api.json`); [`compare`] turns two surfaces into a [`Report`] of [`Change`]s; [`Report::to_markdown`] and
//! [`Report::to_json`] render it. Pure: IR in, changes out, no I/O.
//!
//! Classes, for code compiled against the crate:
//! - **breaking**: it may stop compiling or its requests may start failing: anything removed or renamed (a
//!   method, stream, type, field, variant, resource handle or accessor), a type change (a member that becomes
//!   or stops being a `Box` included), a field that becomes or stops being an `Option`, a new required request
//!   property, a tighter request limit, an operation discontinued;
//! - **additive**: new operations, types, optional request properties, response properties, enum values
//!   (generated enums are `#[non_exhaustive]` with an `Unknown` variant), looser limits, new deprecations and
//!   restricted markers (warnings);
//! - **docs**: only rustdoc changes: descriptions and titles (counted apart), examples and their disagreements
//!   with the tables, limits on received data, reference URLs.

mod compare;
mod render;
pub mod surface;
mod words;

use serde::Serialize;

pub use compare::compare;
pub use surface::{Loc, Surface};
pub use words::{code, type_label};

use crate::ir::Api;
use crate::source::SourceSet;

/// Compares two analysed versions of the docs.
pub fn diff_apis(old: (&Api, &SourceSet), new: (&Api, &SourceSet)) -> Report {
    compare(&Surface::of(old.0, old.1), &Surface::of(new.0, new.1))
}

/// How a change affects a crate that depends on the generated client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    Breaking,
    Additive,
    Docs,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Breaking, Class::Additive, Class::Docs];

    pub fn name(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Docs => "docs",
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// The Rust name changed (of a type, method, stream, field, variant, or a resource's handle or accessor).
    Renamed,
    /// A type's id changed (another page or anchor) while its title stayed.
    Moved,
    /// A property's, alias's or variant's type (a `Box` included), or a type's kind or wire layout.
    Type,
    /// Required ⇄ optional (nullable), or the generated `Option` changed.
    Optionality,
    /// `max N items`, `max length N characters`, `max length N months`.
    Limit,
    Deprecated,
    Restricted,
    Discontinued,
    Pagination,
    /// A type starts or stops travelling in requests or responses.
    Direction,
    /// An enum's "not exhaustive" hint.
    Extensible,
    /// How a struct is built: `new(required…)`, `Default` for flags, `new` with named arguments.
    Constructor,
    /// A field or type starts or stops being a fallback for an odd cell, row, table or section of the docs
    /// (what that changes in the generated code is reported as its own change).
    Fallback,
    Title,
    Description,
    /// An operation's reference URL (its section in the public docs).
    Reference,
    Example,
}

/// The operation or type a change belongs to (or the crate, for features, identifier types and resources).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Subject {
    pub kind: SubjectKind,
    /// Operation id (`messages/getAll`), type id (`operations/messages.md#message`), `features`, `ids` or
    /// `resources`.
    pub id: String,
    pub title: String,
    /// The Rust method or type name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rust: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    Crate,
    Operation,
    Type,
}

/// The member of the subject a change is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    /// Wire name of a property, enum value or variant; Rust name of a parameter set; JSON path of an example
    /// finding.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl Item {
    pub fn new(kind: ItemKind, name: &str) -> Self {
        Item {
            kind,
            name: name.to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Feature,
    Id,
    Resource,
    Property,
    Value,
    Variant,
    ParameterSet,
    RequestExample,
    ResponseExample,
    Example,
}

impl ItemKind {
    /// The item's kind in words.
    pub fn word(self) -> &'static str {
        match self {
            ItemKind::Feature => "feature",
            ItemKind::Id => "identifier type",
            ItemKind::Resource => "resource",
            ItemKind::Property => "property",
            ItemKind::Value => "enum value",
            ItemKind::Variant => "variant",
            ItemKind::ParameterSet => "parameter set",
            ItemKind::RequestExample => "request example",
            ItemKind::ResponseExample => "response example",
            ItemKind::Example => "example",
        }
    }
}

/// One change between two versions of the docs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub kind: ChangeKind,
    pub subject: Subject,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// Where it is in the new docs (in the old docs for removals).
    pub at: Loc,
    /// One line of Markdown saying what changed and, when it is not docs-only, why it is classified so.
    pub summary: String,
    /// The value before and after, where one is meaningful (descriptions, types, limits, notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

impl Change {
    /// Report order: class, then subject, then position.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.class,
            &self.subject,
            &self.at.page,
            self.at.line,
            &self.item,
            self.kind,
            &self.summary,
        )
    }
}

/// How many changes of each class, with docs-only ones split by what they touch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub docs: usize,
    /// Docs-only changes of descriptions and titles.
    pub descriptions: usize,
    /// Docs-only changes of examples and of their disagreements with the tables.
    pub examples: usize,
    /// Other docs-only changes (limits on received data, anchors, hints, deprecation notes).
    pub other_docs: usize,
}

/// A semver bump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The part of a version to increase: for `0.y.z`, breaking changes bump `y` and everything else `z`;
    /// for `0.0.z` every change bumps `z` (Cargo treats each `0.0.z` as incompatible with the others).
    pub fn for_version(self, version: &Version) -> Bump {
        match (version.major, version.minor, self) {
            (_, _, Bump::None) => Bump::None,
            (0, 0, _) => Bump::Patch,
            (0, _, Bump::Major) => Bump::Minor,
            (0, _, _) => Bump::Patch,
            (_, _, bump) => bump,
        }
    }
}

/// A `major.minor.patch` version (pre-release and build parts are not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
        let version = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }

    /// The version after a bump of the given part (as returned by [`Bump::for_version`]).
    pub fn bumped(self, part: Bump) -> Version {
        match part {
            Bump::None => self,
            Bump::Patch => Version {
                patch: self.patch + 1,
                ..self
            },
            Bump::Minor => Version {
                minor: self.minor + 1,
                patch: 0,
                ..self
            },
            Bump::Major => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The semver verdict: the category, what it means for a 0.x crate, and the next version when the current
/// one is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The semver category of the changes: major (breaking), minor (additive), patch (docs only) or none.
    pub category: Bump,
    /// The part to bump while the crate is 0.x (breaking → minor, anything else → patch).
    pub zero_x: Bump,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// The part to bump for the current version, and the result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bump: Option<Bump>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The changes between two versions of the docs, sorted by class, subject and position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// Labels and the crate version a rendered report mentions.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// What was compared, e.g. `spec/ at HEAD` and `spec/`.
    pub old_label: String,
    pub new_label: String,
    /// The generated crate's current version, to name the next one.
    pub version: Option<String>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for change in &self.changes {
            match change.class {
                Class::Breaking => counts.breaking += 1,
                Class::Additive => counts.additive += 1,
                Class::Docs => {
                    counts.docs += 1;
                    match change.kind {
                        ChangeKind::Description | ChangeKind::Title => counts.descriptions += 1,
                        ChangeKind::Example => counts.examples += 1,
                        _ => counts.other_docs += 1,
                    }
                }
            }
        }
        counts
    }

    /// The semver category: major if anything breaks, minor if anything is added, patch for docs only.
    pub fn category(&self) -> Bump {
        let counts = self.counts();
        if counts.breaking > 0 {
            Bump::Major
        } else if counts.additive > 0 {
            Bump::Minor
        } else if counts.docs > 0 {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    pub fn verdict(&self, version: Option<&str>) -> Verdict {
        let category = self.category();
        let zero_x = category.for_version(&Version {
            major: 0,
            minor: 1,
            patch: 0,
        });
        let parsed = version.and_then(Version::parse);
        let bump = parsed.map(|v| category.for_version(&v));
        Verdict {
            category,
            zero_x,
            current: version.map(str::to_string),
            bump,
            next: parsed.zip(bump).map(|(v, b)| v.bumped(b).to_string()),
        }
    }

    /// The report for tools: labels, counts, verdict and every change, as pretty JSON with a final newline.
    pub fn to_json(&self, options: &RenderOptions) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            old: &'a str,
            new: &'a str,
            counts: Counts,
            semver: Verdict,
            changes: &'a [Change],
        }
        let json = Json {
            old: &options.old_label,
            new: &options.new_label,
            counts: self.counts(),
            semver: self.verdict(options.version.as_deref()),
            changes: &self.changes,
        };
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The report for people (a PR description or a CHANGELOG entry), ending with the semver verdict.
    pub fn to_markdown(&self, options: &RenderOptions) -> String {
        render::markdown(self, options)
    }
}

#[cfg(test)]
mod tests;
