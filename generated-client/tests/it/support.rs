//! Test data helpers: the JSON examples of a page of `spec/`.

/// The JSON code blocks of a page under `spec/`, in document order.
pub fn spec_examples(page: &str) -> Vec<serde_json::Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(page);
    let text = std::fs::read_to_string(&path).expect("spec page");
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("```javascript\n") {
        let body = &rest[start + "```javascript\n".len()..];
        let end = body.find("```").expect("closed fence");
        out.push(serde_json::from_str(&body[..end]).expect("example is JSON"));
        rest = &body[end + 3..];
    }
    out
}
