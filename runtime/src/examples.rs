//! Checks of the docs' JSON examples against the generated types, for the generated `tests/examples.rs`.
//!
//! A response example must decode. A request example must decode and serialize back to the same JSON
//! (absent and `null` are the same for optional properties), except where the generator already reported
//! the disagreement: each check is given those findings (`"<code> <json path>"`) and fails only on what
//! they do not explain. Every number of an example that the decoded value sends back at the same place must
//! come back with the same digits (`0.09975` stays `0.09975`): amounts are exact. Not part of the client's API.
#![doc(hidden)]

use serde::Serialize;
use serde::de::DeserializeOwned;

use std::collections::BTreeMap;

use super::values::{Json, RawJson};

/// Request properties the client sends itself; examples show them, request types do not have them.
pub(crate) const INJECTED: [&str; 5] = [
    "ClientToken",
    "AccessToken",
    "Client",
    "LanguageCode",
    "CultureCode",
];

/// Finding kinds that make a request example impossible to decode into its type.
const UNDECODABLE: [&str; 3] = [
    "example-missing-required",
    "example-null-for-required",
    "example-wrong-kind",
];

type CheckFn = fn(&str, &[&str]) -> Result<Outcome, String>;

/// How an example fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Decoded (and for requests, round-tripped) exactly as the docs show.
    AsDocumented,
    /// Differed only where a diagnostic had already explained it.
    Explained,
}

/// One example and the type it illustrates.
pub struct Check {
    location: &'static str,
    json: &'static str,
    findings: &'static [&'static str],
    run: CheckFn,
}

impl Check {
    fn new(
        location: &'static str,
        json: &'static str,
        findings: &'static [&'static str],
        run: CheckFn,
    ) -> Self {
        Check {
            location,
            json,
            findings,
            run,
        }
    }

    /// A request example: decodes and round-trips.
    pub fn request<T: DeserializeOwned + Serialize>(
        location: &'static str,
        json: &'static str,
        findings: &'static [&'static str],
    ) -> Self {
        Check::new(location, json, findings, check_request::<T>)
    }

    /// A response example: decodes, and its numbers come back with the same digits.
    pub fn response<T: DeserializeOwned + Serialize>(
        location: &'static str,
        json: &'static str,
        findings: &'static [&'static str],
    ) -> Self {
        Check::new(location, json, findings, check_response::<T>)
    }

    /// An example of a type's own section: decodes, like a response.
    pub fn value<T: DeserializeOwned + Serialize>(
        location: &'static str,
        json: &'static str,
        findings: &'static [&'static str],
    ) -> Self {
        Check::new(location, json, findings, check_value::<T>)
    }
}

/// Runs checks, prints a tally, and panics listing every failure.
pub fn run(checks: &[Check]) {
    let mut failures = Vec::new();
    let (mut documented, mut explained) = (0, 0);
    for check in checks {
        match (check.run)(check.json, check.findings) {
            Ok(Outcome::AsDocumented) => documented += 1,
            Ok(Outcome::Explained) => explained += 1,
            Err(message) => failures.push(format!("{}: {message}", check.location)),
        }
    }
    println!(
        "{} examples: {documented} as documented, {explained} explained by diagnostics, {} failed",
        checks.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "examples that disagree with the generated types:\n{}",
        failures.join("\n")
    );
}

fn parse(json: &str) -> Result<Json, String> {
    serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}"))
}

pub fn check_response<T: DeserializeOwned + Serialize>(
    json: &str,
    findings: &[&str],
) -> Result<Outcome, String> {
    parse(json)?;
    let decoded: T =
        serde_json::from_str(json).map_err(|e| format!("response example does not decode: {e}"))?;
    same_digits(json, &decoded)?;
    Ok(if findings.is_empty() {
        Outcome::AsDocumented
    } else {
        Outcome::Explained
    })
}

pub fn check_value<T: DeserializeOwned + Serialize>(
    json: &str,
    findings: &[&str],
) -> Result<Outcome, String> {
    parse(json)?;
    match serde_json::from_str::<T>(json) {
        Ok(decoded) => same_digits(json, &decoded).map(|()| {
            if findings.is_empty() {
                Outcome::AsDocumented
            } else {
                Outcome::Explained
            }
        }),
        Err(_)
            if findings
                .iter()
                .any(|f| UNDECODABLE.iter().any(|code| f.starts_with(code))) =>
        {
            Ok(Outcome::Explained)
        }
        Err(e) => Err(format!("example does not decode: {e}")),
    }
}

/// Every number of the example `json` that `decoded` sends back at the same path has the same text.
fn same_digits<T: Serialize>(json: &str, decoded: &T) -> Result<(), String> {
    let back = serde_json::to_string(decoded).map_err(|e| format!("does not serialize: {e}"))?;
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    numbers(json, "$", &mut before)?;
    numbers(&back, "$", &mut after)?;
    let changed: Vec<String> = before
        .iter()
        .filter_map(|(path, text)| {
            let other = after.get(path)?;
            (other != text).then(|| format!("{path}: {text} came back as {other}"))
        })
        .collect();
    if changed.is_empty() {
        Ok(())
    } else {
        Err(format!("numbers changed: {}", changed.join(", ")))
    }
}

/// The text of every number in `json`, by JSON path (read through [`RawJson`], never through `f64`).
fn numbers(json: &str, path: &str, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    let bad = |e: serde_json::Error| format!("{path}: {e}");
    let text = json.trim_start();
    match text.as_bytes().first() {
        Some(b'{') => {
            let members: BTreeMap<String, RawJson> = serde_json::from_str(text).map_err(bad)?;
            for (key, value) in &members {
                numbers(value.get(), &format!("{path}.{key}"), out)?;
            }
        }
        Some(b'[') => {
            let items: Vec<RawJson> = serde_json::from_str(text).map_err(bad)?;
            for (i, value) in items.iter().enumerate() {
                numbers(value.get(), &format!("{path}[{i}]"), out)?;
            }
        }
        Some(b'-' | b'0'..=b'9') => {
            out.insert(path.to_string(), text.trim_end().to_string());
        }
        _ => {}
    }
    Ok(())
}

pub fn check_request<T: DeserializeOwned + Serialize>(
    json: &str,
    findings: &[&str],
) -> Result<Outcome, String> {
    let mut value = parse(json)?;
    if let Json::Object(map) = &mut value {
        map.retain(|key, _| !INJECTED.contains(&key.as_str()));
    }
    // From the text, not the `Json`, whose numbers are `f64`: the properties the client injects are
    // ignored like any unknown property.
    let decoded = match serde_json::from_str::<T>(json) {
        Ok(decoded) => decoded,
        Err(_)
            if findings
                .iter()
                .any(|f| UNDECODABLE.iter().any(|code| f.starts_with(code))) =>
        {
            return Ok(Outcome::Explained);
        }
        Err(e) => return Err(format!("request example does not decode: {e}")),
    };
    same_digits(json, &decoded)?;
    let back =
        serde_json::to_value(&decoded).map_err(|e| format!("request does not serialize: {e}"))?;
    let mut differences = Vec::new();
    diff(
        &without_nulls(value),
        &without_nulls(back),
        "$",
        &mut differences,
    );
    let explained_paths: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.split_once(' ').map(|(_, path)| path))
        .collect();
    let unexplained: Vec<String> = differences
        .into_iter()
        .filter(|path| {
            !explained_paths
                .iter()
                .any(|explained| covers(explained, path))
        })
        .collect();
    if !unexplained.is_empty() {
        return Err(format!(
            "request example does not round-trip at {}",
            unexplained.join(", ")
        ));
    }
    Ok(if findings.is_empty() {
        Outcome::AsDocumented
    } else {
        Outcome::Explained
    })
}

/// Whether a finding at `explained` accounts for a difference at `path` (the same place or inside it).
fn covers(explained: &str, path: &str) -> bool {
    path == explained
        || path
            .strip_prefix(explained)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Removes `null` members: for optional properties absent and `null` mean the same.
fn without_nulls(value: Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// JSON paths at which two values differ.
fn diff(a: &Json, b: &Json, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (key, value) in x {
                let child = format!("{path}.{key}");
                match y.get(key) {
                    Some(other) => diff(value, other, &child, out),
                    None => out.push(child),
                }
            }
            out.extend(
                y.keys()
                    .filter(|k| !x.contains_key(*k))
                    .map(|k| format!("{path}.{k}")),
            );
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &format!("{path}[{i}]"), out);
            }
        }
        (Json::Number(x), Json::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if a == b => {}
        _ => out.push(path.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Request {
        #[serde(rename = "Ids")]
        ids: Vec<String>,
        #[serde(rename = "Note", default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    #[test]
    fn requests_round_trip_modulo_tokens_and_nulls() {
        let json = r#"{"ClientToken":"x","Ids":["a"],"Note":null}"#;
        assert_eq!(
            check_request::<Request>(json, &[]),
            Ok(Outcome::AsDocumented)
        );
    }

    #[test]
    fn differences_must_be_explained() {
        let json = r#"{"Ids":["a"],"Extra":{"Deep":1}}"#;
        assert!(
            check_request::<Request>(json, &[])
                .unwrap_err()
                .contains("$.Extra")
        );
        assert_eq!(
            check_request::<Request>(json, &["example-unknown-property $.Extra"]),
            Ok(Outcome::Explained)
        );
        let missing = r#"{"Note":"n"}"#;
        assert!(check_request::<Request>(missing, &[]).is_err());
        assert_eq!(
            check_request::<Request>(missing, &["example-missing-required $"]),
            Ok(Outcome::Explained)
        );
    }

    #[test]
    fn numbers_must_come_back_with_their_digits() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Exact {
            #[serde(rename = "V")]
            v: Vec<crate::Decimal>,
        }
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Float {
            #[serde(rename = "V")]
            v: Vec<f64>,
        }
        let json = r#"{"V":[0.09975, 12345678901234567890.123456789, 1.50], "W": 0.1}"#;
        assert_eq!(
            check_response::<Exact>(json, &[]),
            Ok(Outcome::AsDocumented)
        );
        let error = check_response::<Float>(json, &[]).unwrap_err();
        assert!(
            error.contains("$.V[1]: 12345678901234567890.123456789 came back as"),
            "{error}"
        );
        assert!(error.contains("$.V[2]: 1.50 came back as 1.5"), "{error}");
        assert!(!error.contains("V[0]"), "{error}");
    }

    #[test]
    fn responses_must_decode() {
        assert_eq!(
            check_response::<Request>(r#"{"Ids":[]}"#, &[]),
            Ok(Outcome::AsDocumented)
        );
        assert!(check_response::<Request>(r#"{"Ids":3}"#, &["example-wrong-kind $.Ids"]).is_err());
    }
}
