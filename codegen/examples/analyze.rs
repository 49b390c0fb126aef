//! Prints the diagnostics of a spec folder (development aid): `cargo run -p codegen --example analyze -- DIR`.

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spec".to_string());
    let mut diagnostics = codegen::diagnostics::Diagnostics::default();
    let input = match codegen::load::load_dir(std::path::Path::new(&dir), &mut diagnostics) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("{dir}: {error}");
            std::process::exit(2);
        }
    };
    let (api, more, sources) = codegen::analyze(input.sources, input.overrides.as_deref());
    diagnostics.extend(more);
    print!(
        "{}",
        codegen::diagnostics::render_all(&diagnostics, &sources, &format!("{dir}/"))
    );
    eprintln!(
        "{} pages, {} operations, {} types, {} ids, {} errors, {} warnings",
        api.pages.len(),
        api.operations.len(),
        api.types.len(),
        api.ids.len(),
        diagnostics.error_count(),
        diagnostics.warning_count()
    );
}
