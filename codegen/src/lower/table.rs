//! Property tables (`| Property | Type | Contract | Description |`), their Type and Contract grammar, and enum lists.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::ir::Constraints;
use crate::parse::{Inline, InlineKind, List, Table, links, plain_text};
use crate::source::Span;

/// A primitive of the Type column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    String,
    Bool,
    Integer,
    Number,
    Decimal,
    /// `object` and `any`: free-form JSON.
    Json,
}

impl Primitive {
    /// The word the docs use for it.
    pub fn name(self) -> &'static str {
        match self {
            Primitive::String => "string",
            Primitive::Bool => "boolean",
            Primitive::Integer => "integer",
            Primitive::Number => "number",
            Primitive::Decimal => "decimal",
            Primitive::Json => "object",
        }
    }
}

/// A Type-column expression before its links are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawType {
    Primitive(Primitive),
    /// A link, possibly after a primitive (`string [Hybrid identifier](…)`), which then wins if the link is no type.
    Link {
        dest: String,
        text: String,
        span: Span,
        primitive: Option<Primitive>,
    },
    Array(Box<RawType>),
    /// `string` and one value in backticks (`` string `DeviceCommand` ``): the property always holds that
    /// string (the tag of a union, see `shapes::tagged_union`).
    Literal(String),
}

/// One row of a property table.
#[derive(Clone, Debug)]
pub struct RawField {
    pub wire_name: String,
    pub ty: RawType,
    /// `T,null` and the like: nullable whatever the Contract says.
    pub nullable_type: bool,
    pub required: bool,
    pub constraints: Constraints,
    pub description: Vec<Inline>,
    pub deprecated: Option<String>,
    /// The `?Key?` row of a dictionary table.
    pub is_map_key: bool,
    pub name_span: Span,
    /// The diagnostic whose fallback decided the type or optionality (an odd cell), if one did.
    pub fallback: Option<Code>,
}

/// Why a Type cell could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeProblem {
    Empty,
    /// Not in the Type grammar.
    Unknown,
}

/// Reads a Type cell: `[array [of]] (primitive | link | primitive link) [, null]`, and whether it says
/// `null`.
pub fn read_type(inlines: &[Inline]) -> Result<(RawType, bool), TypeProblem> {
    #[derive(Debug)]
    enum Token {
        Word(String),
        /// A value in backticks that names no primitive (`` `DeviceCommand` ``), as written.
        Literal(String),
        Link {
            dest: String,
            text: String,
            span: Span,
        },
    }
    let mut tokens = Vec::new();
    for inline in inlines {
        match &inline.kind {
            InlineKind::Code(text)
                if !text.trim().is_empty()
                    && !text.trim().contains(char::is_whitespace)
                    && primitive(&text.trim().to_lowercase()).is_none()
                    && text.trim().to_lowercase() != "null" =>
            {
                tokens.push(Token::Literal(text.trim().to_string()))
            }
            InlineKind::Text(text) | InlineKind::Code(text) => {
                for word in text
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| !w.is_empty())
                {
                    tokens.push(Token::Word(word.to_lowercase()));
                }
            }
            InlineKind::Link { dest, children } => tokens.push(Token::Link {
                dest: dest.clone(),
                text: plain_text(children),
                span: inline.span,
            }),
            InlineKind::Strong(children)
            | InlineKind::Emph(children)
            | InlineKind::Strike(children) => {
                tokens.push(Token::Word(plain_text(children).trim().to_lowercase()))
            }
            _ => {}
        }
    }
    if tokens.is_empty() {
        return Err(TypeProblem::Empty);
    }
    let nullable = tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if w == "null"));
    tokens.retain(|t| !matches!(t, Token::Word(w) if w == "null"));
    let mut rest = tokens.as_slice();
    let mut array = false;
    if let [Token::Word(w), tail @ ..] = rest
        && w == "array"
    {
        array = true;
        rest = tail;
        if let [Token::Word(of), tail @ ..] = rest
            && of == "of"
        {
            rest = tail;
        }
    }
    let element = match rest {
        [] if array => RawType::Primitive(Primitive::Json),
        [Token::Word(w)] => match primitive(w) {
            Some(p) => RawType::Primitive(p),
            None => return Err(TypeProblem::Unknown),
        },
        [Token::Link { dest, text, span }] => RawType::Link {
            dest: dest.clone(),
            text: text.clone(),
            span: *span,
            primitive: None,
        },
        [Token::Word(w), Token::Literal(value)] if primitive(w) == Some(Primitive::String) => {
            RawType::Literal(value.clone())
        }
        [Token::Word(w), Token::Link { dest, text, span }] => match primitive(w) {
            Some(p) => RawType::Link {
                dest: dest.clone(),
                text: text.clone(),
                span: *span,
                primitive: Some(p),
            },
            None => return Err(TypeProblem::Unknown),
        },
        _ => return Err(TypeProblem::Unknown),
    };
    let ty = if array {
        RawType::Array(Box::new(element))
    } else {
        element
    };
    Ok((ty, nullable))
}

/// A primitive named by a word, singular or plural (`number`, `strings`).
fn primitive(word: &str) -> Option<Primitive> {
    match word {
        "string" | "strings" => Some(Primitive::String),
        "boolean" | "booleans" | "bool" => Some(Primitive::Bool),
        "integer" | "integers" | "int" => Some(Primitive::Integer),
        "number" | "numbers" => Some(Primitive::Number),
        "decimal" | "decimals" => Some(Primitive::Decimal),
        "object" | "objects" | "any" => Some(Primitive::Json),
        _ => None,
    }
}

/// The value type a dictionary's prose states after "values are": "the values are numbers", "both keys and
/// values are strings", "the values are arrays of integers". `None` when those words name no type ("the
/// values are versions of the text").
pub fn prose_value_type(text: &str) -> Option<RawType> {
    let lower = text.to_lowercase();
    let start = lower.find("values are ")? + "values are ".len();
    let words: Vec<&str> = lower[start..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut rest = words.as_slice();
    let mut arrays = 0;
    while let ["array" | "arrays", "of", tail @ ..] = rest {
        arrays += 1;
        rest = tail;
    }
    let mut ty = RawType::Primitive(primitive(rest.first()?)?);
    for _ in 0..arrays {
        ty = RawType::Array(Box::new(ty));
    }
    Some(ty)
}

/// The note after the last `**Deprecated!**` in a description (`Use X instead.`), if the marker is there.
///
/// The last one: a description struck through with its own superseded marker and note
/// (`~~Name. **Deprecated!** Please use Names~~ **Deprecated!** Use Names instead.`) is followed by the current one.
pub fn deprecation_note(inlines: &[Inline]) -> Option<String> {
    let position = inlines.iter().rposition(is_deprecated_marker)?;
    Some(clean_note(&plain_text(&inlines[position + 1..])))
}

/// A deprecation note as one clean sentence: white space collapsed; a leading clause that only says
/// "deprecated" dropped (`#[deprecated]` says it already): `This operation is deprecated.`, `Usage of this value
/// is deprecated.`, `Deprecated,`, `Visa – deprecated,`; the first word capitalised when it is a plain
/// lower-case word; a full stop added when the note ends without one. An empty note is `Deprecated.`.
pub fn clean_note(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = strip_deprecated_clause(&text).unwrap_or(&text).trim();
    if rest.is_empty() {
        return "Deprecated.".to_string();
    }
    let mut note = String::with_capacity(rest.len() + 1);
    let first_word = rest.split(' ').next().unwrap_or_default();
    if first_word.chars().all(|c| c.is_ascii_lowercase()) {
        let mut chars = rest.chars();
        note.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        note.push_str(chars.as_str());
    } else {
        note.push_str(rest);
    }
    if !note.ends_with(['.', '!', '?']) {
        note.push('.');
    }
    note
}

/// The text after a leading clause that only says "deprecated", or `None` when the note has no such clause.
/// The clause is the word "deprecated" followed by punctuation (or the end), preceded by nothing, by a label
/// and a dash (`Visa –`), or by `This … is` / `Usage of this … is`; anything else may be part of the advice
/// (`Use X; Y is deprecated.`) and is kept.
fn strip_deprecated_clause(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("deprecated")?;
    let after = &text[at + "deprecated".len()..];
    let punctuated = after.is_empty() || after.starts_with(['.', '!', ',', ':', ';']);
    let before = lower[..at].trim();
    let plain_lead = before.is_empty()
        || before.ends_with(['-', '–', '—'])
        || ((before.starts_with("this ") || before.starts_with("usage of this "))
            && before.ends_with(" is"))
        || before == "is";
    (punctuated && plain_lead).then(|| after.trim_start_matches(['.', '!', ',', ':', ';']))
}

fn is_deprecated_marker(inline: &Inline) -> bool {
    matches!(&inline.kind, InlineKind::Strong(children) if plain_text(children).trim().eq_ignore_ascii_case("deprecated!"))
}

/// The description without the deprecation marker and its note (they become `#[deprecated]`).
pub fn strip_deprecation(inlines: &[Inline]) -> Vec<Inline> {
    match inlines.iter().position(is_deprecated_marker) {
        Some(position) => inlines[..position].to_vec(),
        None => inlines.to_vec(),
    }
}

/// One value of an enum list.
#[derive(Clone, Debug)]
pub struct RawEnumValue {
    pub wire: String,
    pub description: Vec<Inline>,
    /// First link in the description (a coproduct payload type).
    pub link: Option<(String, Span)>,
    pub no_data: bool,
    /// `**Deprecated!** note`, or a description that calls the value deprecated (`Visa – deprecated, only
    /// for existing partners`): the note for `#[deprecated]`.
    pub deprecated: Option<String>,
    pub span: Span,
    /// The value in backticks.
    pub wire_span: Span,
    /// First link of a `Fetch operation` column (an enum table's): the operation that reads the entity.
    pub fetch: Option<(String, Span)>,
}

/// The deprecation of an enum value: the note after a `**Deprecated!**` marker (which is taken out of the
/// description), else, when the description calls the value deprecated, the description as a clean note
/// (`Visa – deprecated, only for existing partners` → `Only for existing partners.`).
fn enum_value_deprecation(description: Vec<Inline>) -> (Vec<Inline>, Option<String>) {
    if let Some(note) = deprecation_note(&description) {
        return (strip_deprecation(&description), Some(note));
    }
    let text = plain_text(&description)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = text.to_lowercase();
    let calls_it_deprecated = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "deprecated")
        && !lower.contains("the deprecated");
    let note = calls_it_deprecated.then(|| clean_note(&text));
    (description, note)
}

/// Reads an enum list (`* \`Value\` - description`). `None` if the list is not one.
pub fn enum_list(list: &List, diagnostics: &mut Diagnostics) -> Option<(Vec<RawEnumValue>, bool)> {
    let mut values: Vec<RawEnumValue> = Vec::new();
    let mut ellipsis = false;
    let mut others = Vec::new();
    for item in &list.items {
        let first = item
            .inlines
            .iter()
            .find(|i| !matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()));
        match first.map(|i| &i.kind) {
            // `` `...` ``: the list goes on, however the ellipsis is written.
            Some(InlineKind::Code(wire)) if is_ellipsis(wire) => ellipsis = true,
            Some(InlineKind::Code(wire)) => {
                let position = item
                    .inlines
                    .iter()
                    .position(|i| matches!(i.kind, InlineKind::Code(_)))
                    .unwrap_or(0);
                let (description, deprecated) =
                    enum_value_deprecation(trim_separator(&item.inlines[position + 1..]));
                let text = plain_text(&description);
                let link = links(&description)
                    .first()
                    .map(|(dest, _, span)| (dest.to_string(), *span));
                let wire_span = first.map_or(item.span, |i| i.span);
                if is_repeat(&values, wire, wire_span, diagnostics) {
                    continue;
                }
                values.push(RawEnumValue {
                    wire: wire.clone(),
                    no_data: text.to_lowercase().contains("no additional data"),
                    deprecated,
                    description,
                    link,
                    span: item.span,
                    wire_span,
                    fetch: None,
                });
            }
            _ => {
                let text = plain_text(&item.inlines);
                if text.trim().is_empty() || is_ellipsis(&text) {
                    ellipsis = true;
                } else {
                    others.push(item.span);
                }
            }
        }
    }
    if values.is_empty() {
        return None;
    }
    for span in others {
        diagnostics.push(Diagnostic::new(
            Code::EnumItemWithoutValue,
            span,
            "list item has no `value` in backticks; it is not an enum value",
        ));
    }
    Some((values, ellipsis))
}

/// Whether a list entry or value is only an ellipsis (`...`, `…`, `. . .`): "the list goes on", never a value.
pub fn is_ellipsis(text: &str) -> bool {
    let dots: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (dots.chars().all(|c| c == '…') && !dots.is_empty())
        || (dots.len() >= 2 && dots.chars().all(|c| c == '.' || c == '…'))
}

/// An enum written as a table (`| Discriminator | Description | Value | Fetch operation |`): the first column,
/// headed `Discriminator` or `Value`, holds the values in backticks; `Description` describes them; a `Value`
/// column (when the first is `Discriminator`) links each value's payload type, and a column headed `… operation`
/// the operation that reads its entity. `None` when the table is not one; rows without a value in backticks
/// are reported and skipped.
pub fn enum_table(table: &Table, diagnostics: &mut Diagnostics) -> Option<Vec<RawEnumValue>> {
    let headers: Vec<String> = table
        .header
        .cells
        .iter()
        .map(|c| plain_text(&c.inlines).trim().to_lowercase())
        .collect();
    let first = headers.first()?;
    if !matches!(first.as_str(), "discriminator" | "value") {
        return None;
    }
    let column = |wanted: &dyn Fn(&str) -> bool| {
        headers
            .iter()
            .skip(1)
            .position(|h| wanted(h))
            .map(|i| i + 1)
    };
    let description = column(&|h| h == "description")?;
    let payload = column(&|h| h == "value" || h == "payload");
    let fetch = column(&|h| h.ends_with("operation"));
    let code_of = |inlines: &[Inline]| -> Option<(String, Span)> {
        let mut meaningful = inlines
            .iter()
            .filter(|i| !matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()));
        match (meaningful.next(), meaningful.next()) {
            (
                Some(Inline {
                    kind: InlineKind::Code(code),
                    span,
                }),
                None,
            ) => Some((code.clone(), *span)),
            _ => None,
        }
    };
    // The table is an enum when its first column holds values in backticks.
    if !table.rows.iter().any(|r| {
        r.cells
            .first()
            .is_some_and(|c| code_of(&c.inlines).is_some())
    }) {
        return None;
    }
    let first_link = |row: &crate::parse::Row, at: Option<usize>| {
        at.and_then(|at| row.cells.get(at)).and_then(|cell| {
            links(&cell.inlines)
                .first()
                .map(|(dest, _, span)| (dest.to_string(), *span))
        })
    };
    let mut values: Vec<RawEnumValue> = Vec::new();
    for row in &table.rows {
        let first_cell = row.cells.first().map_or(&[][..], |c| c.inlines.as_slice());
        // A row holding only an ellipsis says the table goes on.
        if is_ellipsis(&plain_text(first_cell)) {
            continue;
        }
        let Some((wire, wire_span)) = code_of(first_cell) else {
            diagnostics.push(Diagnostic::new(
                Code::EnumItemWithoutValue,
                row.span,
                "enum table row has no `value` in backticks in its first cell; it is not an enum value",
            ));
            continue;
        };
        if is_repeat(&values, &wire, wire_span, diagnostics) {
            continue;
        }
        let cell = row
            .cells
            .get(description)
            .map_or(&[][..], |c| c.inlines.as_slice());
        let (description, deprecated) = enum_value_deprecation(cell.to_vec());
        let text = plain_text(&description);
        values.push(RawEnumValue {
            wire,
            no_data: text.to_lowercase().contains("no additional data"),
            deprecated,
            description,
            link: first_link(row, payload),
            span: row.span,
            wire_span,
            fetch: first_link(row, fetch),
        });
    }
    Some(values)
}

/// Whether `wire` is listed already; a repeat is reported (the first is kept).
fn is_repeat(
    values: &[RawEnumValue],
    wire: &str,
    span: Span,
    diagnostics: &mut Diagnostics,
) -> bool {
    let Some(previous) = values.iter().find(|v| v.wire == wire) else {
        return false;
    };
    diagnostics.push(
        Diagnostic::new(
            Code::DuplicateEnumValue,
            span,
            format!("enum value `{wire}` is listed twice: the first is kept"),
        )
        .with_related(previous.wire_span, "first listed here"),
    );
    true
}

/// Removes the ` - ` separating an enum value from its description.
fn trim_separator(inlines: &[Inline]) -> Vec<Inline> {
    let mut out = inlines.to_vec();
    if let Some(Inline {
        kind: InlineKind::Text(text),
        ..
    }) = out.first_mut()
    {
        *text = text
            .trim_start()
            .trim_start_matches(['-', '–', '—', ':'])
            .trim_start()
            .to_string();
    }
    out.retain(|i| !matches!(&i.kind, InlineKind::Text(t) if t.is_empty()));
    out
}

#[cfg(test)]
mod tests {
    use super::super::rows::{TableKind, property_rows, table_kind};
    use super::*;
    use crate::parse::{Block, parse_page};
    use crate::source::FileId;

    fn rows(markdown: &str) -> (Vec<RawField>, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let page = parse_page(FileId(0), "x.md", markdown, &mut diagnostics);
        let Block::Table(table) = &page.sections[0].blocks[0] else {
            panic!("no table")
        };
        let fields = match table_kind(table, &mut diagnostics) {
            TableKind::Properties(columns) => property_rows(table, &columns, &mut diagnostics),
            TableKind::Other => Vec::new(),
        };
        (
            fields,
            diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect(),
        )
    }

    const HEAD: &str =
        "#### T\n\n| Property | Type | Contract | Description |\n| :-- | :-- | :-- | :-- |\n";

    #[test]
    fn reads_every_type_form() {
        let (fields, errors) = rows(&format!(
            "{HEAD}| `A` | string | required | a |\n| `B` | array of [X](#x) | optional, max 1000 items | b |\n\
             | `C` | string [Hybrid](_objects.md#h) | required | c |\n| `D` | array,null | optional | d |\n\
             | `E` | array of strings | required | e |\n| `F` | decimal | optional | f |\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields[0].ty, RawType::Primitive(Primitive::String));
        assert!(
            matches!(&fields[1].ty, RawType::Array(inner) if matches!(**inner, RawType::Link { .. }))
        );
        assert_eq!(fields[1].constraints.max_items, Some(1000));
        assert!(matches!(
            &fields[2].ty,
            RawType::Link {
                primitive: Some(Primitive::String),
                ..
            }
        ));
        assert_eq!(
            fields[3].ty,
            RawType::Array(Box::new(RawType::Primitive(Primitive::Json)))
        );
        assert!(fields[3].nullable_type);
        assert_eq!(
            fields[4].ty,
            RawType::Array(Box::new(RawType::Primitive(Primitive::String)))
        );
        assert_eq!(fields[5].ty, RawType::Primitive(Primitive::Decimal));
    }

    #[test]
    fn reads_the_value_type_a_dictionary_states() {
        let prose = |text: &str| prose_value_type(text);
        assert_eq!(
            prose(
                "A collection of key-value pairs, where keys are strings and the values are numbers."
            ),
            Some(RawType::Primitive(Primitive::Number))
        );
        assert_eq!(
            prose("where both keys and values are strings."),
            Some(RawType::Primitive(Primitive::String))
        );
        assert_eq!(
            prose("the values are arrays of integers."),
            Some(RawType::Array(Box::new(RawType::Primitive(
                Primitive::Integer
            ))))
        );
        assert_eq!(prose("the values are versions of the text."), None);
        assert_eq!(prose("A collection of key-value pairs."), None);
    }

    #[test]
    fn reads_contracts_and_deprecations() {
        let (fields, errors) = rows(&format!(
            "{HEAD}| `A` | string | optional, max length 255 characters | a |\n\
             | ~~`B`~~ | ~~[T](#t)~~ | ~~optional, max length 3 months~~ | ~~Old.~~ **Deprecated!** Use `C` instead.|\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!fields[0].required);
        assert_eq!(fields[0].constraints.max_length, Some(255));
        assert_eq!(fields[1].constraints.max_months, Some(3));
        assert_eq!(fields[1].deprecated.as_deref(), Some("Use C instead."));
        assert_eq!(plain_text(&fields[1].description), "Old. ");
    }

    #[test]
    fn the_last_deprecation_marker_gives_the_note() {
        let (fields, errors) = rows(&format!(
            "{HEAD}| ~~`A`~~ | ~~string~~ | ~~optional~~ | ~~Name. **Deprecated!** Please use Names~~ **Deprecated!** Use `Names` instead|\n\
             | ~~`B`~~ | ~~string~~ | ~~optional~~ | ~~Old. **Deprecated!**~~ **Deprecated!** Use `C`.|\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields[0].deprecated.as_deref(), Some("Use Names instead."));
        assert_eq!(plain_text(&fields[0].description), "Name. ");
        assert_eq!(fields[1].deprecated.as_deref(), Some("Use C."));
    }

    #[test]
    fn deprecation_notes_read_as_clean_sentences() {
        for (text, note) in [
            ("", "Deprecated."),
            ("  Use `X`  instead ", "Use `X` instead."),
            ("This operation is deprecated. Use Y.", "Use Y."),
            (
                "Usage of this value is deprecated. Where possible, use Z.",
                "Where possible, use Z.",
            ),
            (
                "Deprecated, use Blocklist instead.",
                "Use Blocklist instead.",
            ),
            (
                "Visa – deprecated, only for existing partners",
                "Only for existing partners.",
            ),
            ("Deposit - credit card – deprecated", "Deprecated."),
            ("This value is deprecated.", "Deprecated."),
            ("Use X; Y is deprecated.", "Use X; Y is deprecated."),
            (
                "orderItems/getAll replaces it",
                "orderItems/getAll replaces it.",
            ),
            ("Use (ver 2023-06-06)", "Use (ver 2023-06-06)."),
        ] {
            assert_eq!(clean_note(text), note, "{text:?}");
        }
    }

    #[test]
    fn reports_odd_rows_and_reads_them_with_fallbacks() {
        let (fields, errors) = rows(&format!(
            "{HEAD}| `A` | strnig | required | a |\n| `B` | string | sometimes | b |\n| `C` | string |\n\
             | `D` | string | required | d |\n| `D` | string | required | again |\n| `E` | | required | e |\n"
        ));
        let read: Vec<String> = fields
            .iter()
            .map(|f| format!("{} {:?} {} {:?}", f.wire_name, f.ty, f.required, f.fallback))
            .collect();
        assert_eq!(
            read,
            [
                "A Primitive(Json) true Some(UnknownType)",
                "B Primitive(String) false Some(UnknownContract)",
                "C Primitive(String) false Some(TableCellCount)",
                "D Primitive(String) true None",
                "E Primitive(Json) true Some(EmptyCell)",
            ]
        );
        assert_eq!(
            errors,
            [
                "unknown-type: unknown type expression `strnig` for property `A`: the property is `Json`",
                "unknown-contract: unknown Contract phrase `sometimes` for property `B`: the property is optional",
                "table-cell-count: table row of `C` has 2 cells; the header has 4: its cells read as Property, Type; no cell reads as a Contract, so it is optional",
                "duplicate-property: property `D` is listed twice: the first row is kept",
                "empty-cell: empty Type cell of property `E`: the property is `Json`",
            ]
        );
    }

    #[test]
    fn reads_enum_lists_with_descriptions_payload_links_and_ellipsis() {
        let mut diagnostics = Diagnostics::default();
        let page = parse_page(
            FileId(0),
            "x.md",
            "#### E\n\n* `A` - No additional data.\n* `B` - [B data](#b-data)\n* C\n* …\n",
            &mut diagnostics,
        );
        let Block::List(list) = &page.sections[0].blocks[0] else {
            panic!()
        };
        let (values, ellipsis) = enum_list(list, &mut diagnostics).unwrap();
        assert!(ellipsis);
        assert_eq!(
            values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(),
            ["A", "B"]
        );
        assert!(values[0].no_data);
        assert_eq!(
            diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
            [Code::EnumItemWithoutValue]
        );
        assert_eq!(values[1].link.as_ref().unwrap().0, "#b-data");
    }
}
