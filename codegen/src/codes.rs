//! Diagnostic codes: one enum, each code with its severity, a one-line explanation (what is wrong and the
//! fallback taken) and an example of input that raises it. `DIAGNOSTICS.md` lists them (checked by a test).
//!
//! An error is kept only for what makes output impossible or untrustworthy as a whole: a page that cannot be
//! read, the project's own overrides file being wrong or stale, and a generator bug. Everything confined to a
//! cell, row, table, section or example is a warning naming the fallback taken; the rest still generates.

use serde::{Serialize, Serializer};

/// How bad a diagnostic is: an error stops regeneration, a warning names the fallback taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $explanation:literal, $example:literal;)*) => {
        /// What a diagnostic is about; rendered as `[name]` at the end of its first line.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $explanation]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order `DIAGNOSTICS.md` lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name tests and tools match on (`unknown-type`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// Whether the run may still write output after it.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One line: what is wrong, and what the generator does instead.
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => $explanation,)*
                }
            }

            /// Input that raises it, as Markdown (literal input in a code span).
            pub fn example(self) -> &'static str {
                match self {
                    $(Code::$variant => $example,)*
                }
            }
        }
    };
}

codes! {
    // Errors: no output.
    NotUtf8 = "not-utf8", Error,
        "A page is not UTF-8: it cannot be read, so its operations and types would silently be missing; nothing is written.",
        "a page saved as Latin-1: `# Caf\\xE9`";
    PageTooLarge = "page-too-large", Error,
        "A page is larger than 64 MiB: it is not read, so its operations and types would silently be missing; nothing is written.",
        "a page of 65 MiB";
    InvalidOverrides = "invalid-overrides", Error,
        "`overrides.toml` is not valid TOML or holds a value the kind does not take: the project's own reviewed file must be fixed.",
        "`safety = \"maybe\"` in an `[[operation]]`";
    OverrideWithoutReason = "override-without-reason", Error,
        "An override has no `reason`: every correction of the docs must say why.",
        "an `[[operation]]` without `reason = \"…\"`";
    OverrideUnmatched = "override-unmatched", Error,
        "An override matches nothing in the docs (or the docs now say the same): it is stale and must be deleted.",
        "`type = \"operations/x.md#gone\"` in a `[[property]]`";
    InternalError = "internal-error", Error,
        "The generated code does not parse: a generator bug, never the docs' fault.",
        "none: report it";

    // Tables.
    TableCellCount = "table-cell-count", Warning,
        "A row has more or fewer cells than the header: its cells are identified by what they look like (a name, a Type, a Contract, the rest is the description); a Type not identified is `Json`, a Contract not identified makes the property optional.",
        "`` | `Type` | [Loyalty program type](#loyalty-program-type) | string | required | Type. | ``";
    TableRowsJoined = "table-rows-joined", Warning,
        "A row holds two rows run together (`||` followed by a property name): it is read as two rows.",
        "`` | `Ordering` | integer | required | Ordering. || `Capacity` | integer | required | Capacity. | ``";
    MisplacedCell = "misplaced-cell", Warning,
        "A cell reads as another column (a Type where the Contract should be): the row is read by what its cells look like, and a Type that is not certain is `Json`, a Contract not identified makes the property optional.",
        "`` | `Message` | string | [Message](#message) | The message. | ``";
    UnknownTableHeader = "unknown-table-header", Warning,
        "A table starting with `Property` has other columns than `Property | Type | Contract | Description`: columns are found by name (misspellings allowed) or, for a column the header does not name, by its cells; without a Contract column every property is optional; without a Type column the table is skipped.",
        "`| Property | Type | Description |`";
    EmptyCell = "empty-cell", Warning,
        "A cell is empty: an empty Type is `Json`, an empty Contract makes the property optional, a row without a property name is skipped.",
        "`` | `Code` | | required | The code. | ``";
    InvalidPropertyName = "invalid-property-name", Warning,
        "A property name is neither in backticks nor a plain identifier: the row is skipped (it is most likely not a property).",
        "`| Some text | string | required | Description. |`";
    DuplicateProperty = "duplicate-property", Warning,
        "A property is listed twice in one table: the first row is kept, the repeat skipped.",
        "`` | `Id` | string | required | Again. | `` after a row of `Id`";
    UnknownType = "unknown-type", Warning,
        "A Type cell is not in the Type grammar (primitive, link, `primitive link`, `array of …`, `, null`): the property is `Json` (any JSON value).",
        "`` | `Id` | strnig | required | A typo. | ``";
    UnknownContract = "unknown-contract", Warning,
        "A Contract phrase is not understood: the phrases understood are kept (limits), and when `required`/`optional` cannot be read the property is optional, so decoding cannot fail on it.",
        "`` | `Name` | string | sometimes | The name. | ``";
    ContractVariant = "contract-variant", Warning,
        "A Contract phrase is a close variant of a known one (a missing word, `min` for a minimum, a misspelling within the edit distance allowed): it is read as that phrase, which the message names.",
        "`` | `Notes` | string | optional, max 1000 characters | Notes. | ``";
    DeprecatedRequired = "deprecated-required", Warning,
        "A deprecated property (struck through, or marked `**Deprecated!**`) has a Contract saying required: it is optional (`Option`), since a deprecated property is never required of a caller and a response may stop sending it.",
        "`` | ~~`AdultCount`~~ | ~~integer~~ | ~~required~~ | **Deprecated!** Use `PersonCounts` instead. | ``";

    // Enums, operations, sections.
    DuplicateEnumValue = "duplicate-enum-value", Warning,
        "An enum value is listed twice: the first is kept, the repeat skipped.",
        "`` * `Email` `` twice in one list";
    EnumItemWithoutValue = "enum-item-without-value", Warning,
        "An item of an enum list, or a row of an enum table (`| Discriminator | Description | … |`), has no value in backticks: it is not an enum value and is skipped.",
        "`* Email - without backticks`";
    DuplicateOperation = "duplicate-operation", Warning,
        "An endpoint is documented twice: the first operation is kept, the repeat skipped.",
        "`` `[PlatformAddress]/api/connector/v1/messages/getAll` `` under two headings";
    MissingEndpoint = "missing-endpoint", Warning,
        "An operation has no endpoint line: it is skipped.",
        "a `### Request` without the `` `[PlatformAddress]/api/connector/v1/…` `` line";
    InvalidEndpoint = "invalid-endpoint", Warning,
        "An endpoint is not `/api/connector/v1/<resource>/<action>[/<version>]`: the operation is skipped.",
        "`` `[PlatformAddress]/api/things` ``";
    MissingBody = "missing-body", Warning,
        "An operation has no `### Request` or `### Response` section: that body is `Json` (a response) or a free-form JSON object (a request).",
        "an operation with no `### Response` heading";
    MissingBodyTable = "missing-body-table", Warning,
        "A request or response has no property table and its example is not `{}`: that body is `Json` (a response) or a free-form JSON object (a request).",
        "a `### Response` holding only `{ \"Total\": 5 }`";
    InvalidParameterSets = "invalid-parameter-sets", Warning,
        "Mutually exclusive parameter sets all refer to each other, so none is a request on its own: the request is a free-form JSON object.",
        "parameter sets `Set A` and `Set B` each holding the other";
    TypeCycle = "type-cycle", Warning,
        "Aliases or dictionaries are defined in terms of themselves: the type closing the cycle is `Json`.",
        "a dictionary of `B` where `B` is a dictionary of `A`";
    NestingTooDeep = "nesting-too-deep", Warning,
        "Quotes, lists or inline markup are nested more than 64 levels deep: the deeper content or markup is ignored.",
        "`> > > > …` 100 levels deep";
    EmptyPage = "empty-page", Warning,
        "A page holds nothing: it defines nothing.",
        "a page of 0 bytes";
    ByteOrderMark = "byte-order-mark", Warning,
        "A page starts with a UTF-8 byte order mark: it is ignored.",
        "`U+FEFF` before `# Messages`";

    // Links and shapes.
    UnresolvedLink = "unresolved-link", Warning,
        "A Type-column or enum-value link points to a page or anchor that is not among the input: the property is `Json`; with a primitive (`string [X](#missing)`) it keeps the primitive. A `Fetch operation` link to nowhere leaves that event unfetched (`Fetch::Unfetched`, with the reason).",
        "`` | `Thing` | [Thing](missing.md#thing) | required | A thing. | ``";
    LinkNotAType = "link-not-a-type", Warning,
        "A Type-column link points to something that defines no type (prose, an operation, a web page): the property is `Json`. A `Fetch operation` link that points to no operation leaves that event unfetched.",
        "`` | `Thing` | [Guide](../guidelines/intro.md) | required | A thing. | ``";
    CoproductPayloadUnknown = "coproduct-payload-unknown", Warning,
        "A coproduct value's payload type is neither linked nor named by a title on the page: the payload is `Json`. In a union of \"one of the following\" links, a linked type whose table gives the tag no literal (`` string `X` ``) is left out (its objects decode as unknown variants, kept verbatim); a union naming no tag in backticks is `Json`.",
        "`` * `Absolute` `` with no link and no `Absolute product pricing` section";
    PagedListUndecided = "paged-list-undecided", Warning,
        "A paginated response has several lists and the docs do not say which one is paged: no `…_pages`/`…_items` streams, only the method.",
        "`Cursor` and two lists, `Rates` and `RateGroups`, in a response";
    IdentifierEntityUnsettled = "identifier-entity-unsettled", Warning,
        "A `string` property named `…Id`/`…Ids` identifies no entity the docs define: its description does not say what it identifies (nor does any other property of its name), places it in an external system, or names an entity with no type and no reference that resolves to no defined one. It stays a string (no identifier kind is invented).",
        "`` | `TerminalId` | string | required | Unique identifier of the payment terminal. | ``";
    CredentialBelowTopLevel = "credential-below-top-level", Warning,
        "A type sent inside a request (an item, not the body) lists `ClientToken`, `AccessToken` or `Client`: the client sends them once, at the top level of every request, so they are dropped from the type (other properties, such as a portfolio's `EnterpriseId`, are kept).",
        "`` | `ClientToken` | string | required | Token identifying the client application. | `` in the table of `Reservation updates`, an item of a request";
    LimitationNotPaged = "limitation-not-paged", Warning,
        "A request takes a `Limitation` but the operation is not paginated as the streams need it (the `Limitation` is inside mutually exclusive parameter sets, or lacks `Cursor` or `Count`, or the response has no `Cursor` string): no `…_pages`/`…_items` streams; callers set `Limitation.Cursor` by hand, and the rate limiter counts the calls as unpaginated.",
        "parameter sets each with a `Limitation`, and a `Cursor` in the response";
    ValueBoundNotChecked = "value-bound-not-checked", Warning,
        "A description states a value bound that is ambiguous (a fraction, a unit, a non-numeric property, conflicting bounds): it is not checked before sending.",
        "`` | `Ratio` | number | required | Between 0.5 and 1. | ``";
    ContractNotChecked = "contract-not-checked", Warning,
        "A Contract limit of a property that is sent does not fit its type (`max N months` on something that is not a time interval with `StartUtc` and `EndUtc`, `max N items` on a single value, a length on a number, any limit on a property kept as raw JSON): it is recorded, not checked before sending.",
        "`` | `Date` | [Date interval](#date-interval) | required, max length 1 month | Dates. | `` where `Date interval` holds `Start` and `End` dates";

    // Examples.
    InvalidJsonExample = "invalid-json-example", Warning,
        "A JSON example does not parse: it is not checked against its table.",
        "`{ \"Id\": \"a\", }`";
    ExampleMissingRequired = "example-missing-required", Warning,
        "A response example omits a required property: the field is generated as `Option` (relaxed).",
        "`{}` for a table with a required `Id`";
    ExampleUnknownProperty = "example-unknown-property", Warning,
        "An example holds a property its table does not list: nothing changes (unknown properties are ignored when decoding).",
        "`{ \"Colour\": \"red\" }` for a table without `Colour`";
    ExampleNullForRequired = "example-null-for-required", Warning,
        "A response example sends `null` for a required property: the field is generated as `Option` (relaxed).",
        "`{ \"Id\": null }` for a required `Id`";
    ExampleWrongKind = "example-wrong-kind", Warning,
        "A response example sends a value of another kind than the table's type: the field is `Lenient<T>` (the typed value, or the raw JSON).",
        "`{ \"Sender\": \"Application\" }` where the table says object `Sender`";
    ExampleUnknownEnumValue = "example-unknown-enum-value", Warning,
        "An example holds an enum value the list does not contain: nothing changes (enums accept unknown values).",
        "`{ \"State\": \"Sleeping\" }` where `State` lists `Open`, `Closed`";
}

impl Code {
    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The list of codes as Markdown, the part of `DIAGNOSTICS.md` between its markers.
    pub fn index_markdown() -> String {
        let mut out = String::new();
        for severity in [Severity::Error, Severity::Warning] {
            let heading = match severity {
                Severity::Error => "### Errors: nothing is written",
                Severity::Warning => "### Warnings: a located fallback, the rest generates",
            };
            out.push_str(heading);
            out.push_str("\n\n");
            out.push_str(
                "| Code | What it means, and the fallback | Example |\n| :-- | :-- | :-- |\n",
            );
            for code in Code::ALL.iter().filter(|c| c.severity() == severity) {
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    code.name(),
                    code.explanation().replace('|', "\\|"),
                    code.example().replace('|', "\\|"),
                ));
            }
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_explanations_one_line() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for code in Code::ALL {
            assert!(
                code.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{code}"
            );
            assert_eq!(Code::from_name(code.name()), Some(*code));
            assert!(!code.explanation().contains('\n') && code.explanation().ends_with('.'));
            assert!(!code.example().is_empty());
        }
    }
}
