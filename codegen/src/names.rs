//! The one place API names become Rust identifiers: case conversion, keywords, digits, non-ASCII, collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Types and enum variants.
    Pascal,
    /// Fields, methods and modules.
    Snake,
}

/// Words Rust reserves (strict, reserved and 2024-edition keywords) that cannot name a field or method.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code relies on (the prelude, std paths it names, the runtime and the client).
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Extend",
    "Serialize",
    "Deserialize",
    "Client",
    "Error",
    "Id",
    "UpdateValue",
    "Number",
    "Timestamp",
    "Json",
    "Decimal",
    "Money",
    "Environment",
];

/// Converts an API name to an identifier of the given case. Never returns a keyword or an empty string, and
/// the result always passes rustc's naming lints for its case (`non_camel_case_types` for Pascal case,
/// `non_snake_case` for snake case; see [`passes_case_lint`]); it may still collide with another name, see
/// [`NameSet`].
pub fn ident(raw: &str, case: Case) -> String {
    let ascii = deunicode::deunicode(raw);
    // Anything that is not a letter or digit separates words.
    let spaced: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let converted = match case {
        Case::Pascal => spaced.to_upper_camel_case(),
        Case::Snake => spaced.to_snake_case(),
    };
    let name = if converted.is_empty() {
        // Nothing usable (`…`, `+`): spell the characters out, `U2026`, `U2e2e2e` (`u2e_2e_2e` in snake case).
        let hex: Vec<String> = raw.chars().map(|c| format!("{:x}", c as u32)).collect();
        match case {
            Case::Pascal => format!("U{}", hex.concat()),
            Case::Snake => format!("u{}", hex.join("_")),
        }
    } else {
        converted
    };
    conform(&name, case)
}

/// Makes a name built from identifiers (a concatenation such as `{page}{title}` or `{method}_{suffix}`) an
/// identifier of `case` that passes rustc's naming lints: Pascal case loses inner underscores and starts with
/// a capital; snake case is lower-cased and loses repeated underscores; a name starting with a digit gets a
/// leading `_` (as does a name that had one), a keyword a trailing one, an empty name `x`/`X`.
pub fn conform(name: &str, case: Case) -> String {
    let ascii: String = deunicode::deunicode(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let core = ascii.trim_matches('_');
    let leading = ascii.len() - ascii.trim_start_matches('_').len();
    let mut out = match case {
        Case::Pascal => {
            let mut joined = String::new();
            for word in core.split('_') {
                let mut chars = word.chars();
                if let Some(c) = chars.next() {
                    joined.push(c.to_ascii_uppercase());
                    joined.extend(chars);
                }
            }
            if joined.is_empty() {
                joined.push('X');
            }
            joined
        }
        Case::Snake => {
            // Capitals start words (`getAll` → `get_all`).
            let lower = if core.contains(|c: char| c.is_ascii_uppercase()) {
                core.to_snake_case()
            } else {
                core.to_string()
            };
            let words: Vec<&str> = lower.split('_').filter(|w| !w.is_empty()).collect();
            if words.is_empty() {
                "x".to_string()
            } else {
                words.join("_")
            }
        }
    };
    // A leading underscore is no lint's concern: keep it (`_3d`). Keywords take a trailing one (`type_`, `Self_`).
    if leading > 0 || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if KEYWORDS.contains(&out.as_str()) || out == "Self" {
        out.push('_');
    }
    out
}

/// Whether `name` passes rustc's naming lint for `case`, as rustc decides it: `non_camel_case_types` (no
/// lower-case first letter, no `__`, no `_` next to a letter, underscores around the name aside) or
/// `non_snake_case` (no capital, no `__`, underscores around the name aside).
pub fn passes_case_lint(name: &str, case: Case) -> bool {
    let core = name.trim_matches('_');
    match case {
        Case::Pascal => {
            let chars: Vec<char> = core.chars().collect();
            !chars.first().is_some_and(|c| c.is_lowercase())
                && !core.contains("__")
                && !chars.windows(2).any(|pair| {
                    let has_case = |c: char| c.is_lowercase() || c.is_uppercase();
                    (has_case(pair[0]) && pair[1] == '_') || (has_case(pair[1]) && pair[0] == '_')
                })
        }
        Case::Snake => !core.contains("__") && !core.chars().any(char::is_uppercase),
    }
}

/// Names in one scope, all of one case; hands out unique names by numbering repeats (`Name`, `Name2`,
/// `Name3`; `name`, `name_2` in snake case). Every name handed out passes rustc's naming lint for the case.
#[derive(Clone, Debug)]
pub struct NameSet {
    case: Case,
    taken: BTreeSet<String>,
}

impl NameSet {
    pub fn new(case: Case) -> Self {
        NameSet {
            case,
            taken: BTreeSet::new(),
        }
    }

    pub fn with_reserved(case: Case, reserved: &[&str]) -> Self {
        NameSet {
            case,
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `base` (made to pass the case's lint, see [`conform`]) if free, else the first free `base2`,
    /// `base3`… (`base_2` in snake case).
    pub fn claim(&mut self, base: &str) -> String {
        let base = conform(base, self.case);
        if self.taken.insert(base.clone()) {
            return base;
        }
        let separator = match self.case {
            Case::Pascal => "",
            Case::Snake => "_",
        };
        let stem = base.trim_end_matches('_');
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_escapes_keywords_digits_and_symbols() {
        assert_eq!(ident("MessageThreadId", Case::Snake), "message_thread_id");
        assert_eq!(ident("Message thread", Case::Pascal), "MessageThread");
        assert_eq!(
            ident("Reservation (ver 2023-06-06)", Case::Pascal),
            "ReservationVer20230606"
        );
        assert_eq!(ident("DUNS", Case::Snake), "duns");
        assert_eq!(ident("Type", Case::Snake), "type_");
        assert_eq!(ident("Self", Case::Pascal), "Self_");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(ident("3DSecure", Case::Pascal), "_3dSecure");
        assert_eq!(ident("3DSecure", Case::Snake), "_3d_secure");
        assert_eq!(ident("Děti", Case::Pascal), "Deti");
        assert_eq!(ident("iDEAL data", Case::Pascal), "IDealData");
        assert_eq!(ident("…", Case::Pascal), "U2026");
        assert_eq!(ident("...", Case::Pascal), "U2e2e2e");
        assert_eq!(ident("...", Case::Snake), "u2e_2e_2e");
        assert_eq!(ident("en-US", Case::Pascal), "EnUs");
        assert_eq!(ident("gen", Case::Snake), "gen_");
    }

    /// Hostile inputs: symbols, ellipses in every spelling, digits, separators, non-ASCII, keywords, and every
    /// string of up to three characters over an alphabet mixing them.
    fn hostile_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "...",
            "…",
            "`...`",
            ". . .",
            "_",
            "__",
            "___a",
            "a__b",
            "A_",
            "_A",
            "a_B",
            "3",
            "3_d",
            "+",
            "-",
            "Self",
            "self",
            "SELF",
            "type",
            "Type",
            "TYPE",
            "gen",
            "r#type",
            "Ⅻ",
            "日本",
            "Ölçü",
            "ß",
            "ǅ",
            "İstanbul",
            "x__",
            "__x",
            "2017-04-12",
            "ver 2017-04-12",
            "getAll",
            "get_all_items",
            "A1_2B",
            "a-1-b",
            "_3d_2",
            "URLs",
            "HTTPServer",
            "😀",
            "a😀b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = ['a', 'B', '_', '1', '.', '…', ' ', '-', 'é', 'ǅ'];
        for a in alphabet {
            inputs.push(a.to_string());
            for b in alphabet {
                inputs.push(format!("{a}{b}"));
                for c in alphabet {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        inputs
    }

    #[test]
    fn every_identifier_passes_the_naming_lints_for_any_input() {
        for case in [Case::Pascal, Case::Snake] {
            for raw in hostile_inputs() {
                for name in [ident(&raw, case), conform(&raw, case)] {
                    assert!(!name.is_empty(), "{raw:?}");
                    assert!(
                        passes_case_lint(&name, case),
                        "{raw:?} → {name:?} ({case:?})"
                    );
                    assert!(
                        !KEYWORDS.contains(&name.as_str()) && name != "Self",
                        "{raw:?} → {name:?}"
                    );
                    assert!(
                        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !name.starts_with(|c: char| c.is_ascii_digit()),
                        "{raw:?} → {name:?}"
                    );
                    assert_eq!(conform(&name, case), name, "a conforming name is kept");
                }
                // Numbered repeats, and concatenations as lowering builds them, pass too.
                let mut names = NameSet::new(case);
                for _ in 0..3 {
                    for built in [
                        raw.clone(),
                        format!("{}_{raw}", ident(&raw, case)),
                        format!("Page{raw}"),
                    ] {
                        let name = names.claim(&built);
                        assert!(
                            passes_case_lint(&name, case),
                            "{built:?} → {name:?} ({case:?})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_lint_check_agrees_with_rustc_on_known_cases() {
        for ok in ["Name", "Name2", "_3dSecure", "Self_", "U2026", "_3d2", "X"] {
            assert!(passes_case_lint(ok, Case::Pascal), "{ok}");
        }
        for bad in ["name", "U2e_2e_2e", "_3d_2", "Cursed_3d", "A__B"] {
            assert!(!passes_case_lint(bad, Case::Pascal), "{bad}");
        }
        for ok in ["name", "name_2", "_3d_secure", "type_", "u2e_2e_2e"] {
            assert!(passes_case_lint(ok, Case::Snake), "{ok}");
        }
        for bad in ["Name", "get__all", "getAll"] {
            assert!(!passes_case_lint(bad, Case::Snake), "{bad}");
        }
    }

    #[test]
    fn collisions_are_numbered() {
        let mut names = NameSet::with_reserved(Case::Pascal, &["Client"]);
        assert_eq!(names.claim("Client"), "Client2");
        assert_eq!(names.claim("Url"), "Url");
        assert_eq!(names.claim("Url"), "Url2");
        let mut fields = NameSet::new(Case::Snake);
        assert_eq!(fields.claim("url"), "url");
        assert_eq!(fields.claim("url"), "url_2");
        assert_eq!(fields.claim("type_"), "type_");
        assert_eq!(fields.claim("type_"), "type_2");
        let mut variants = NameSet::new(Case::Pascal);
        assert_eq!(variants.claim("_3d"), "_3d");
        assert_eq!(variants.claim("_3d"), "_3d2");
        assert_eq!(variants.claim("Cursed_3d"), "Cursed3d");
    }
}
