//! Checks of the docs' JSON examples against the generated types, for the generated `tests/examples.rs`.
//!
//! A response example must decode. A request example must decode and serialize back to the same JSON
//! (absent and `null` are the same for optional properties), except where the generator already reported
//! the disagreement: each check is given those findings (`"<code> <json path>"`) and fails only on what
//! they do not explain. Not part of the client's API.
#![doc(hidden)]

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::values::Json;

/// Request properties the client sends itself; examples show them, request types do not have them.
const INJECTED: [&str; 5] = [
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

    /// A response example: decodes.
    pub fn response<T: DeserializeOwned>(
        location: &'static str,
        json: &'static str,
        findings: &'static [&'static str],
    ) -> Self {
        Check::new(location, json, findings, check_response::<T>)
    }

    /// An example of a type's own section: decodes, like a response.
    pub fn value<T: DeserializeOwned>(
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

pub fn check_response<T: DeserializeOwned>(
    json: &str,
    findings: &[&str],
) -> Result<Outcome, String> {
    let value = parse(json)?;
    T::deserialize(&value).map_err(|e| format!("response example does not decode: {e}"))?;
    Ok(if findings.is_empty() {
        Outcome::AsDocumented
    } else {
        Outcome::Explained
    })
}

pub fn check_value<T: DeserializeOwned>(json: &str, findings: &[&str]) -> Result<Outcome, String> {
    let value = parse(json)?;
    match T::deserialize(&value) {
        Ok(_) => Ok(if findings.is_empty() {
            Outcome::AsDocumented
        } else {
            Outcome::Explained
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

pub fn check_request<T: DeserializeOwned + Serialize>(
    json: &str,
    findings: &[&str],
) -> Result<Outcome, String> {
    let mut value = parse(json)?;
    if let Json::Object(map) = &mut value {
        map.retain(|key, _| !INJECTED.contains(&key.as_str()));
    }
    let decoded = match T::deserialize(&value) {
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
    fn responses_must_decode() {
        assert_eq!(
            check_response::<Request>(r#"{"Ids":[]}"#, &[]),
            Ok(Outcome::AsDocumented)
        );
        assert!(check_response::<Request>(r#"{"Ids":3}"#, &["example-wrong-kind $.Ids"]).is_err());
    }
}
