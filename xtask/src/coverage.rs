//! A check independent of the generator: every operation the `spec/operations` pages document (but
//! `discontinued.md`) has a method in the committed client, found by scanning the Markdown and the generated
//! Rust as plain text.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::project_root;

    const PREFIX: &str = "/api/connector/v1/";

    /// Endpoint paths written as `` `[PlatformAddress]/api/connector/v1/…` `` lines under `### Request`.
    fn documented() -> BTreeMap<String, String> {
        let dir = project_root().join("spec/operations");
        let mut paths = BTreeMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".md") || name == "discontinued.md" || name == "README.md" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut in_request = false;
            for (number, line) in text.lines().enumerate() {
                if line.starts_with('#') {
                    in_request = line.trim() == "### Request";
                    continue;
                }
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("`[PlatformAddress]")
                    && let Some(endpoint) = rest.strip_suffix('`')
                    && endpoint.starts_with(PREFIX)
                    && in_request
                {
                    let at = format!("{name}:{}", number + 1);
                    assert!(
                        paths.insert(endpoint.to_string(), at.clone()).is_none(),
                        "{endpoint} documented twice ({at})"
                    );
                }
            }
        }
        paths
    }

    /// Request type → endpoint path, from the `impl runtime::Operation for …` blocks of the page modules.
    fn operation_impls() -> BTreeMap<String, String> {
        let dir = project_root().join("generated-client/src/generated");
        let mut paths = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut request: Option<String> = None;
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("impl runtime::Operation for ") {
                    request = Some(rest.trim_end_matches('{').trim().to_string());
                } else if let Some(rest) = line.trim().strip_prefix("path: \"")
                    && let Some(request) = request.take()
                {
                    paths.insert(request, rest.trim_end_matches("\",").to_string());
                }
            }
        }
        paths
    }

    /// `(handle, method)` → request type, from the `pub async fn` methods of `client.rs`.
    fn client_methods() -> BTreeMap<(String, String), String> {
        let text = std::fs::read_to_string(
            project_root().join("generated-client/src/generated/client.rs"),
        )
        .unwrap();
        let mut methods = BTreeMap::new();
        let mut handle = String::new();
        let mut method: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("impl ")
                && let Some((name, _)) = rest.split_once("<'_>")
            {
                handle = name.to_string();
            } else if let Some(rest) = line.strip_prefix("pub async fn ") {
                method = rest.split('(').next().map(str::to_string);
            } else if let Some(rest) = line.strip_prefix("request: &")
                && let Some(method) = method.take()
            {
                let request = rest.trim_end_matches(',').rsplit("::").next().unwrap();
                let previous =
                    methods.insert((handle.clone(), method.clone()), request.to_string());
                assert!(previous.is_none(), "{handle}::{method} defined twice");
            }
        }
        methods
    }

    #[test]
    fn every_documented_operation_has_a_client_method() {
        let documented = documented();
        let impls = operation_impls();
        let methods = client_methods();
        let mut reached: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((handle, method), request) in &methods {
            let path = impls
                .get(request)
                .unwrap_or_else(|| panic!("{handle}::{method} sends {request}, which has no path"));
            reached
                .entry(path.clone())
                .or_default()
                .push(format!("{handle}::{method}"));
        }
        let missing: Vec<String> = documented
            .iter()
            .filter(|(path, _)| !reached.contains_key(*path))
            .map(|(path, at)| format!("{path} ({at})"))
            .collect();
        assert!(missing.is_empty(), "documented, no method: {missing:#?}");
        let undocumented: BTreeSet<&String> = reached
            .keys()
            .filter(|path| !documented.contains_key(*path))
            .collect();
        assert!(
            undocumented.is_empty(),
            "methods for endpoints the pages do not document: {undocumented:#?}"
        );
        let twice: Vec<_> = reached.iter().filter(|(_, m)| m.len() > 1).collect();
        assert!(
            twice.is_empty(),
            "endpoints with several methods: {twice:#?}"
        );
        eprintln!(
            "{} documented endpoints, {} client methods",
            documented.len(),
            methods.len()
        );
        // The reference documents about 200 operations; a scan finding far fewer is broken, not a pass.
        assert!(
            documented.len() >= 190,
            "{} endpoints found",
            documented.len()
        );
    }
}
