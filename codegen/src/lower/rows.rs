//! Property tables (`| Property | Type | Contract | Description |`): the header's columns, and each row read
//! into a property. A row whose cells do not fit the header is read by what its cells look like, never
//! dropped for one odd cell; every fallback is a located warning that names it.
//!
//! The rules, in order:
//! - a row with more cells than the header holding an empty cell followed by a property name in backticks is
//!   rows run together (`…| |`Capacity`|…`, written `||`): it is cut there and each part read as a row;
//! - a row with another number of cells than the header, or whose Type or Contract cell reads as another
//!   column (a link where the Contract should be) is *realigned*: the first cell (or the first name in
//!   backticks after empty cells) is the Property, a cell in the Type grammar a Type, a cell in the Contract
//!   grammar a Contract, any other the Description. Exactly one Type is kept, none or several make the
//!   property `Json`; a Contract missing (or several) makes it optional;
//! - any other row is read by column: an unreadable or empty Type is `Json`, a Contract whose
//!   `required`/`optional` cannot be read is optional (its limits are kept), close variants of Contract
//!   phrases are read as the phrase they stand for (`lower/contract.rs`).

use crate::diagnostics::{Code, Diagnostic, Diagnostics, excerpt};
use crate::parse::{Cell, Inline, InlineKind, Table, is_struck, plain_text, unstrike};
use crate::source::Span;

use super::contract::{ContractReading, edit_distance_at_most, max_edits, read_contract};
use super::table::{
    Primitive, RawField, RawType, TypeProblem, deprecation_note, read_type, strip_deprecation,
};

/// Where the columns of a property table are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub property: usize,
    pub ty: usize,
    pub contract: Option<usize>,
    pub description: Option<usize>,
    /// Cells in the header.
    pub width: usize,
}

/// Which kind of table this is, from its header.
pub enum TableKind {
    Properties(Columns),
    /// A table of another shape (an index, a list of prefixes…): not a definition.
    Other,
}

const EXPECTED_HEADER: &str = "expected `| Property | Type | Contract | Description |`";

/// The kind of a table. A header starting with `Property` whose other columns are not exactly `Type`,
/// `Contract`, `Description` is read by the column names it has (misspellings within the edit distance of
/// Contract words), with a warning; without a `Type` column it is skipped, with a warning.
pub fn table_kind(table: &Table, diagnostics: &mut Diagnostics) -> TableKind {
    let header: Vec<String> = table
        .header
        .cells
        .iter()
        .map(|c| plain_text(&c.inlines).trim().to_lowercase())
        .collect();
    if header.first().map(|h| column_name(h)) != Some(Some(Column::Property)) {
        return TableKind::Other;
    }
    let standard = header.len() == 4
        && header[1] == "type"
        && (header[2] == "contract" || header[2].is_empty())
        && header[3] == "description";
    let mut columns = Columns {
        property: 0,
        ty: usize::MAX,
        contract: None,
        description: None,
        width: header.len(),
    };
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate().skip(1) {
        // An empty third header cell is the Contract column (a page writes it so).
        let name = if h.is_empty() && i == 2 {
            Some(Column::Contract)
        } else {
            column_name(h)
        };
        match name {
            Some(Column::Type) if columns.ty == usize::MAX => columns.ty = i,
            Some(Column::Contract) if columns.contract.is_none() => columns.contract = Some(i),
            Some(Column::Description) if columns.description.is_none() => {
                columns.description = Some(i)
            }
            _ => ignored.push(i),
        }
    }
    if standard {
        return TableKind::Properties(columns);
    }
    // A column the header does not name is the Type or the Contract column when all its cells read as one.
    let column_reads = |i: usize, reads: fn(&Cell) -> bool| {
        let cells: Vec<&Cell> = table
            .rows
            .iter()
            .filter_map(|r| r.cells.get(i))
            .filter(|c| !text_of(c).is_empty())
            .collect();
        !cells.is_empty() && cells.into_iter().all(reads)
    };
    let mut by_content = Vec::new();
    if columns.ty == usize::MAX
        && let Some(at) = ignored.iter().position(|&i| column_reads(i, reads_as_type))
    {
        columns.ty = ignored.remove(at);
        by_content.push(columns.ty);
    }
    if columns.contract.is_none()
        && let Some(at) = ignored
            .iter()
            .position(|&i| column_reads(i, reads_as_contract))
    {
        let i = ignored.remove(at);
        columns.contract = Some(i);
        by_content.push(i);
    }
    let written = table
        .header
        .cells
        .iter()
        .map(|c| plain_text(&c.inlines).trim().to_string())
        .collect::<Vec<_>>();
    let shown = format!("| {} |", written.join(" | "));
    if columns.ty == usize::MAX {
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownTableHeader,
                table.header.span,
                format!("property table header `{shown}` has no `Type` column (by name or by its cells): the table is skipped"),
            )
            .with_note(EXPECTED_HEADER),
        );
        return TableKind::Other;
    }
    let how = |i: usize| {
        if by_content.contains(&i) {
            " (by its cells)"
        } else {
            ""
        }
    };
    let mut reading = vec![format!(
        "Type is column {}{}",
        columns.ty + 1,
        how(columns.ty)
    )];
    match columns.contract {
        Some(i) => reading.push(format!("Contract column {}{}", i + 1, how(i))),
        None => reading.push("no Contract column, so every property is optional".to_string()),
    }
    match columns.description {
        Some(i) => reading.push(format!("Description column {}", i + 1)),
        None => reading.push("no Description column".to_string()),
    }
    if !ignored.is_empty() {
        let names: Vec<String> = ignored
            .iter()
            .map(|i| format!("`{}`", written.get(*i).map_or("", String::as_str)))
            .collect();
        reading.push(format!("column(s) {} ignored", names.join(", ")));
    }
    diagnostics.push(
        Diagnostic::new(
            Code::UnknownTableHeader,
            table.header.span,
            format!(
                "unusual property table header `{shown}`: {}",
                reading.join("; ")
            ),
        )
        .with_note(EXPECTED_HEADER),
    );
    TableKind::Properties(columns)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Property,
    Type,
    Contract,
    Description,
}

/// The column a header cell names, allowing misspellings within [`max_edits`].
fn column_name(header: &str) -> Option<Column> {
    let known = [
        ("property", Column::Property),
        ("type", Column::Type),
        ("contract", Column::Contract),
        ("description", Column::Description),
    ];
    known
        .iter()
        .find(|(name, _)| edit_distance_at_most(header, name, max_edits(header, name)).is_some())
        .map(|(_, column)| *column)
}

/// Reads the rows of a property table. A row with no property name, an invalid one, or a property listed
/// before is reported and skipped; every other row gives a property.
pub fn property_rows(
    table: &Table,
    columns: &Columns,
    diagnostics: &mut Diagnostics,
) -> Vec<RawField> {
    let mut fields: Vec<RawField> = Vec::new();
    for row in &table.rows {
        // GFM pads a short row with empty cells; only the written ones count.
        let written = if row.written_cells < row.cells.len() {
            &row.cells[..row.written_cells]
        } else {
            &row.cells[..]
        };
        let cells: Vec<&Cell> = written.iter().collect();
        for field in read_row(&cells, row.span, columns, diagnostics) {
            if let Some(previous) = fields.iter().find(|f| f.wire_name == field.wire_name) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        field.name_span,
                        format!(
                            "property `{}` is listed twice: the first row is kept",
                            field.wire_name
                        ),
                    )
                    .with_related(previous.name_span, "first listed here"),
                );
                continue;
            }
            fields.push(field);
        }
    }
    fields
}

fn read_row(
    cells: &[&Cell],
    span: Span,
    columns: &Columns,
    diagnostics: &mut Diagnostics,
) -> Vec<RawField> {
    // ` of `Name`` for messages about the row; only odd rows need it.
    let named = || {
        cells
            .first()
            .map(|c| text_of(c))
            .filter(|t| !t.is_empty())
            .map_or(String::new(), |t| format!(" of `{}`", excerpt(&t, 40)))
    };
    if cells.len() != columns.width {
        if let Some(parts) = joined_rows(cells) {
            let names: Vec<String> = parts
                .iter()
                .filter_map(|p| p.first())
                .map(|c| format!("`{}`", excerpt(&text_of(c), 40)))
                .collect();
            diagnostics.push(
                Diagnostic::new(
                    Code::TableRowsJoined,
                    span,
                    format!(
                        "table row{} holds {} rows run together (`||`): read as the rows of {}",
                        named(),
                        parts.len(),
                        names.join(", ")
                    ),
                )
                .with_note("each row goes on a line of its own"),
            );
            return parts
                .iter()
                .flat_map(|part| read_row(part, span, columns, diagnostics))
                .collect();
        }
        let headline = format!(
            "table row{} has {} cells; the header has {}",
            named(),
            cells.len(),
            columns.width
        );
        return realign(cells, span, Code::TableCellCount, headline, diagnostics)
            .into_iter()
            .collect();
    }
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i).copied());
    let (Some(name), Some(ty)) = (cell(Some(columns.property)), cell(Some(columns.ty))) else {
        return Vec::new();
    };
    let contract = cell(columns.contract);
    let description = cell(columns.description);
    // The cells other than the name and the one at `me`.
    let others = |me: usize| {
        cells
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != columns.property && *i != me)
            .map(|(_, c)| *c)
    };
    let read_type_cell = read_type(&unstrike(&ty.inlines));
    let type_fails = read_type_cell.is_err();
    // The Contract cell is read once: whether it reads as one, and what it says.
    let contract_reading = contract.map(ContractCell::read);
    let contract_fails = contract_reading.as_ref().is_some_and(|c| !c.is_contract());
    let misplaced = if type_fails && reads_as_contract(ty) {
        Some((ty, "the Type cell reads as a Contract"))
    } else if type_fails && others(columns.ty).any(reads_as_type) {
        Some((
            ty,
            "the Type cell is not one, and another cell reads as a Type",
        ))
    } else if let (Some(c), Some(at)) = (contract, columns.contract)
        && contract_fails
    {
        if reads_as_type(c) {
            Some((c, "the Contract cell reads as a Type"))
        } else if others(at).any(reads_as_contract) {
            Some((
                c,
                "the Contract cell is not one, and another cell reads as a Contract",
            ))
        } else {
            None
        }
    } else {
        None
    };
    if let Some((odd, what)) = misplaced {
        let headline = format!("table row{}: {what}", named());
        return realign(cells, odd.span, Code::MisplacedCell, headline, diagnostics)
            .into_iter()
            .collect();
    }
    let Some(wire_name) = property_name(name, diagnostics) else {
        return Vec::new();
    };
    let mut fallback = None;
    let (raw_type, nullable_type) = match read_type_cell {
        Ok(read) => read,
        Err(problem) => {
            let (code, message) = match problem {
                TypeProblem::Empty => (
                    Code::EmptyCell,
                    format!("empty Type cell of property `{wire_name}`: the property is `Json`"),
                ),
                TypeProblem::Unknown => (
                    Code::UnknownType,
                    format!(
                        "unknown type expression `{}` for property `{wire_name}`: the property is `Json`",
                        excerpt(&text_of(ty), 60)
                    ),
                ),
            };
            let mut diagnostic = Diagnostic::new(code, ty.span, message);
            if code == Code::UnknownType {
                diagnostic = diagnostic.with_note("expected a primitive (string, boolean, integer, number, decimal, object, any), a link, or `array of …`");
            }
            diagnostics.push(diagnostic);
            fallback = Some(code);
            (RawType::Primitive(Primitive::Json), false)
        }
    };
    let (required, constraints) = match (contract, contract_reading) {
        (Some(cell), Some(reading)) => {
            let (required, constraints, code) =
                contract_reading_of(cell, reading, &wire_name, diagnostics);
            fallback = fallback.or(code);
            (required, constraints)
        }
        _ => {
            fallback = fallback.or(Some(Code::UnknownTableHeader));
            (false, Default::default())
        }
    };
    let struck = is_struck(&name.inlines) || contract.is_some_and(|c| is_struck(&c.inlines));
    let description = description
        .map(|c| unstrike(&c.inlines))
        .unwrap_or_default();
    vec![field(
        wire_name,
        name.span,
        (raw_type, nullable_type),
        (required, constraints),
        &description,
        struck,
        fallback,
    )]
}

/// A row read by what its cells look like (see the module docs), with one warning naming the reading and
/// the fallbacks taken. `None` when no cell can be the property name.
fn realign(
    cells: &[&Cell],
    span: Span,
    code: Code,
    headline: String,
    diagnostics: &mut Diagnostics,
) -> Option<RawField> {
    let property = match cells.iter().position(|c| !text_of(c).is_empty()) {
        Some(0) => 0,
        Some(i) if is_code_name(cells[i]) => i,
        _ => {
            diagnostics.push(
                Diagnostic::new(
                    code,
                    span,
                    format!("{headline}: no cell holds a property name, so the row is skipped"),
                )
                .with_note(EXPECTED_HEADER),
            );
            return None;
        }
    };
    #[derive(PartialEq)]
    enum Role {
        Empty,
        Type,
        Contract,
        Description,
    }
    let roles: Vec<Role> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == property || text_of(c).is_empty() {
                Role::Empty
            } else if reads_as_type(c) {
                Role::Type
            } else if reads_as_contract(c) {
                Role::Contract
            } else {
                Role::Description
            }
        })
        .collect();
    let described: Vec<&str> = cells
        .iter()
        .zip(&roles)
        .enumerate()
        .map(|(i, (_, role))| match role {
            _ if i == property => "Property",
            Role::Empty => "(empty)",
            Role::Type => "Type",
            Role::Contract => "Contract",
            Role::Description => "Description",
        })
        .collect();
    let of_role = |wanted: Role| -> Vec<&Cell> {
        cells
            .iter()
            .zip(&roles)
            .filter(|(_, r)| **r == wanted)
            .map(|(c, _)| *c)
            .collect()
    };
    let types = of_role(Role::Type);
    let contracts = of_role(Role::Contract);
    let descriptions = of_role(Role::Description);
    let mut fallbacks = Vec::new();
    let ty = match types.as_slice() {
        [one] => read_type(&unstrike(&one.inlines)).ok(),
        _ => None,
    };
    let (raw_type, nullable_type) = match ty {
        Some(read) => read,
        None => {
            fallbacks.push(if types.is_empty() {
                "no cell reads as a Type, so the property is `Json`"
            } else {
                "several cells read as a Type, so the property is `Json`"
            });
            (RawType::Primitive(Primitive::Json), false)
        }
    };
    let contract = match contracts.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    if contract.is_none() {
        fallbacks.push(if contracts.is_empty() {
            "no cell reads as a Contract, so it is optional"
        } else {
            "several cells read as a Contract, so it is optional"
        });
    }
    let mut message = format!("{headline}: its cells read as {}", described.join(", "));
    if !fallbacks.is_empty() {
        message.push_str("; ");
        message.push_str(&fallbacks.join("; "));
    }
    diagnostics.push(Diagnostic::new(code, span, message).with_note(format!(
        "{EXPECTED_HEADER}; a `|` inside a cell is written `\\|`"
    )));
    let name = cells[property];
    let wire_name = property_name(name, diagnostics)?;
    let (required, constraints) = match contract {
        Some(cell) => {
            let (required, constraints, _) = contract_of(cell, &wire_name, diagnostics);
            (required, constraints)
        }
        None => (false, Default::default()),
    };
    let mut description: Vec<Inline> = Vec::new();
    for cell in &descriptions {
        if !description.is_empty() {
            description.push(Inline {
                kind: InlineKind::Text(" ".to_string()),
                span: cell.span,
            });
        }
        description.extend(unstrike(&cell.inlines));
    }
    let struck = is_struck(&name.inlines) || contract.is_some_and(|c| is_struck(&c.inlines));
    let fallback = (!fallbacks.is_empty()).then_some(code);
    Some(field(
        wire_name,
        name.span,
        (raw_type, nullable_type),
        (required, constraints),
        &description,
        struck,
        fallback,
    ))
}

/// Several rows run together: cut at each empty cell followed by a name in backticks. `None` when there is
/// no such cut.
fn joined_rows<'c>(cells: &[&'c Cell]) -> Option<Vec<Vec<&'c Cell>>> {
    let cuts: Vec<usize> = (1..cells.len().saturating_sub(1))
        .filter(|&i| text_of(cells[i]).is_empty() && is_code_name(cells[i + 1]))
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(cells.len())) {
        let part = &cells[start..cut];
        // Empty cells before the first name are no row (realigning reads past them).
        if part.iter().any(|c| !text_of(c).is_empty()) {
            parts.push(part.to_vec());
        }
        start = cut + 1;
    }
    (parts.len() > 1).then_some(parts)
}

/// The property name of a row's name cell, or `None` after reporting why there is none.
fn property_name(name: &Cell, diagnostics: &mut Diagnostics) -> Option<String> {
    let inlines = unstrike(&name.inlines);
    let text = plain_text(&inlines).trim().to_string();
    let is_map_key = text.starts_with('?') && text.ends_with('?') && text.len() > 2;
    let is_code = inlines
        .iter()
        .any(|i| matches!(i.kind, InlineKind::Code(_)));
    if text.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::EmptyCell,
            name.span,
            "empty Property cell: the row is skipped".to_string() + " (`| | … |`)",
        ));
        return None;
    }
    if !is_map_key && !is_code && !text.chars().all(|c| c.is_alphanumeric() || c == '_') {
        diagnostics.push(Diagnostic::new(
            Code::InvalidPropertyName,
            name.span,
            format!("property name `{text}` is neither in backticks nor a plain identifier: the row is skipped"),
        ));
        return None;
    }
    Some(text)
}

/// `required`, the limits, and the code of the fallback taken, reporting variants and what is not understood.
/// A Contract cell's text and, when it is not empty, what it says.
struct ContractCell {
    text: String,
    reading: Option<ContractReading>,
}

impl ContractCell {
    fn read(cell: &Cell) -> Self {
        let text = plain_text(&unstrike(&cell.inlines));
        let reading = (!text.trim().is_empty()).then(|| read_contract(&text));
        ContractCell { text, reading }
    }

    /// Says `required` or `optional` and nothing else that is not understood (see [`reads_as_contract`]).
    fn is_contract(&self) -> bool {
        self.reading
            .as_ref()
            .is_some_and(ContractReading::is_complete)
    }
}

fn contract_of(
    cell: &Cell,
    property: &str,
    diagnostics: &mut Diagnostics,
) -> (bool, crate::ir::Constraints, Option<Code>) {
    contract_reading_of(cell, ContractCell::read(cell), property, diagnostics)
}

fn contract_reading_of(
    cell: &Cell,
    read: ContractCell,
    property: &str,
    diagnostics: &mut Diagnostics,
) -> (bool, crate::ir::Constraints, Option<Code>) {
    let ContractCell { text, reading } = read;
    let Some(reading) = reading else {
        diagnostics.push(Diagnostic::new(
            Code::EmptyCell,
            cell.span,
            format!("empty Contract cell of property `{property}`: the property is optional"),
        ));
        return (false, Default::default(), Some(Code::EmptyCell));
    };
    for (written, read) in &reading.variants {
        diagnostics.push(Diagnostic::new(
            Code::ContractVariant,
            cell.span,
            format!("Contract phrase `{written}` of property `{property}` read as `{read}`"),
        ));
    }
    let fallback = if reading.required.is_some() {
        "ignored"
    } else {
        "the property is optional"
    };
    for phrase in &reading.unknown {
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownContract,
                cell.span,
                format!("unknown Contract phrase `{}` for property `{property}`: {fallback}", excerpt(phrase, 60)),
            )
            .with_note("expected `required` or `optional`, then `max N items`, `max length N characters`, `max length N months`, `min N items` or `min length N characters`"),
        );
    }
    if reading.conflicting {
        diagnostics.push(Diagnostic::new(
            Code::UnknownContract,
            cell.span,
            format!("Contract of property `{property}` says both `required` and `optional`: the property is optional"),
        ));
    } else if reading.required.is_none() && reading.unknown.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::UnknownContract,
            cell.span,
            format!(
                "Contract `{}` of property `{property}` says neither `required` nor `optional`: the property is optional",
                excerpt(&text, 60)
            ),
        ));
    }
    match reading.required {
        Some(required) => (required, reading.constraints, None),
        None => (false, reading.constraints, Some(Code::UnknownContract)),
    }
}

fn field(
    wire_name: String,
    name_span: Span,
    (ty, nullable_type): (RawType, bool),
    (required, constraints): (bool, crate::ir::Constraints),
    description: &[Inline],
    struck: bool,
    fallback: Option<Code>,
) -> RawField {
    let deprecated =
        deprecation_note(description).or_else(|| struck.then(|| "Deprecated.".to_string()));
    RawField {
        is_map_key: wire_name.starts_with('?') && wire_name.ends_with('?') && wire_name.len() > 2,
        wire_name,
        ty,
        nullable_type,
        required,
        constraints,
        description: strip_deprecation(description),
        deprecated,
        name_span,
        fallback,
    }
}

/// The plain text of a cell, struck-through or not, trimmed.
fn text_of(cell: &Cell) -> String {
    plain_text(&unstrike(&cell.inlines)).trim().to_string()
}

fn reads_as_type(cell: &Cell) -> bool {
    read_type(&unstrike(&cell.inlines)).is_ok()
}

/// Says `required` or `optional` and nothing else that is not understood (close variants allowed).
fn reads_as_contract(cell: &Cell) -> bool {
    let text = plain_text(&unstrike(&cell.inlines));
    !text.trim().is_empty() && read_contract(&text).is_complete()
}

/// A name in backticks and nothing else: how the docs write property names.
fn is_code_name(cell: &Cell) -> bool {
    let inlines = unstrike(&cell.inlines);
    let visible: Vec<&Inline> = inlines
        .iter()
        .filter(|i| !matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()))
        .collect();
    matches!(visible.as_slice(), [Inline { kind: InlineKind::Code(name), .. }]
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
}
