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

/// Converts an API name to an identifier of the given case. Never returns a keyword or an empty string;
/// the result may still collide with another name, see [`NameSet`].
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
    let mut name = if converted.is_empty() {
        // Nothing usable (`…`, `+`): spell the characters out.
        let hex: String = raw
            .chars()
            .map(|c| format!("{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("_");
        match case {
            Case::Pascal => format!("U{hex}"),
            Case::Snake => format!("u{hex}"),
        }
    } else {
        converted
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) || name == "Self" {
        name.push('_');
    }
    name
}

/// Names in one scope; hands out unique names by numbering repeats (`Name`, `Name2`, `Name3`).
#[derive(Clone, Debug, Default)]
pub struct NameSet {
    taken: BTreeSet<String>,
}

impl NameSet {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameSet {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `base` if free, else the first free `base2`, `base3`… (`base_2` in snake case).
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let separator =
            if base.contains('_') || base.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                "_"
            } else {
                ""
            };
        let base = base.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
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
        assert_eq!(ident("en-US", Case::Pascal), "EnUs");
        assert_eq!(ident("gen", Case::Snake), "gen_");
    }

    #[test]
    fn collisions_are_numbered() {
        let mut names = NameSet::with_reserved(&["Client"]);
        assert_eq!(names.claim("Client"), "Client2");
        assert_eq!(names.claim("Url"), "Url");
        assert_eq!(names.claim("Url"), "Url2");
        let mut fields = NameSet::default();
        assert_eq!(fields.claim("url"), "url");
        assert_eq!(fields.claim("url"), "url_2");
        assert_eq!(fields.claim("type_"), "type_");
        assert_eq!(fields.claim("type_"), "type_2");
    }
}
