//! Reads a spec folder: every `*.md` page below it (sorted, paths with `/`) and the optional overrides file.
//! The only file-system access of the library.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::SourceSet;

/// The overrides file's name, in the root of a spec folder (see `spec/README.md`).
pub const OVERRIDES_FILE: &str = "overrides.toml";

/// Pages larger than this are refused: no real page comes close, and the bound keeps memory predictable.
pub const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// The pages of a spec folder, and the overrides file if there is one.
#[derive(Debug, Default)]
pub struct SpecInput {
    pub sources: SourceSet,
    /// Text of `overrides.toml`, when present.
    pub overrides: Option<String>,
}

/// Loads a spec folder. Unreadable pages (not UTF-8, too large) are reported and left out;
/// an unreadable folder is an I/O error.
pub fn load_dir(root: &Path, diagnostics: &mut Diagnostics) -> std::io::Result<SpecInput> {
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort();
    let mut pages = Vec::new();
    for relative in files {
        let path = root.join(&relative);
        let size = std::fs::metadata(&path)?.len();
        if size > MAX_PAGE_BYTES {
            diagnostics.push(
                Diagnostic::new(
                    Code::PageTooLarge,
                    None,
                    format!("page `{relative}` is {size} bytes, more than the {MAX_PAGE_BYTES} a page may have; it cannot be read, so nothing is written"),
                )
                .in_file(&relative, 1, 1),
            );
            continue;
        }
        let bytes = std::fs::read(&path)?;
        match String::from_utf8(bytes) {
            Ok(text) => pages.push((relative, text)),
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.as_bytes();
                let before = String::from_utf8_lossy(&bytes[..valid]);
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let bad = bytes
                    .get(valid)
                    .map_or(String::new(), |b| format!("\\x{b:02X}"));
                diagnostics.push(
                    Diagnostic::new(
                        Code::NotUtf8,
                        None,
                        format!("page `{relative}` is not UTF-8 (byte `{bad}` at byte offset {valid}); it cannot be read, so nothing is written"),
                    )
                    .in_file(&relative, line, col)
                    .with_note("save the page as UTF-8"),
                );
            }
        }
    }
    let overrides_path = root.join(OVERRIDES_FILE);
    let overrides = if overrides_path.is_file() {
        Some(std::fs::read_to_string(overrides_path)?)
    } else {
        None
    };
    Ok(SpecInput {
        sources: SourceSet::from_pages(pages),
        overrides,
    })
}

/// Relative paths of the Markdown files below `dir`; hidden entries and symbolic links are not followed. A
/// `README.md` at the root describes the folder (where its pages come from), not the API, and is left out.
fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || (dir == root && name.eq_ignore_ascii_case("README.md")) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &entry.path(), out)?;
        } else if kind.is_file() && name.ends_with(".md") {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(&entry.path())
                .to_path_buf();
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder's own `README.md` says where the pages come from; a page named so below it is a page.
    #[test]
    fn the_root_readme_is_not_a_page() {
        let root = std::env::temp_dir().join(format!("load-readme-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("operations")).unwrap();
        std::fs::write(root.join("README.md"), "# spec/\n").unwrap();
        std::fs::write(root.join("operations/README.md"), "# Operations\n").unwrap();
        std::fs::write(root.join("operations/a.md"), "# A\n").unwrap();
        let mut diagnostics = Diagnostics::default();
        let input = load_dir(&root, &mut diagnostics).unwrap();
        let _ = std::fs::remove_dir_all(&root);
        let paths: Vec<&str> = input.sources.iter().map(|(_, f)| f.path.as_str()).collect();
        assert_eq!(paths, ["operations/README.md", "operations/a.md"]);
        assert!(diagnostics.is_empty());
    }
}
