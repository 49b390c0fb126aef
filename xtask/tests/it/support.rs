//! Helpers: scratch folders, fixture pages, running the built `xtask` binary, snapshots of a file tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// The target folder generated and downstream crates build in: the one these tests run under when
/// `CARGO_TARGET_DIR` names it (absolute), else the workspace's, so dependencies are shared and later runs warm.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(|| root().join("target"))
}

/// A folder under the target directory, emptied on creation and removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The pages of a fixture file (`<!-- page: path -->` separated, or one `operations/<name>.md` page).
pub fn fixture_pages(path: &Path) -> Vec<(String, String)> {
    let name = path
        .file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(path).expect("fixture readable");
    const MARKER: &str = "<!-- page: ";
    if !text.starts_with(MARKER) {
        return vec![(format!("operations/{name}.md"), text)];
    }
    text.split(MARKER)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (page, body) = part.split_once(" -->\n").expect("page marker line");
            (page.trim().to_string(), body.to_string())
        })
        .collect()
}

/// Writes pages into a spec folder, in the given order.
pub fn write_spec(dir: &Path, pages: &[(String, String)]) {
    for (path, text) in pages {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("page in a folder")).expect("spec folder");
        std::fs::write(file, text).expect("page written");
    }
}

/// Runs the built `xtask` binary with `args` in `cwd`, with a clean, fixed environment plus `env`.
pub fn xtask(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).current_dir(cwd);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("xtask runs")
}

/// Every file below `dir`: relative path → (bytes, modification time).
pub fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let key = path
                    .strip_prefix(dir)
                    .expect("below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).expect("readable");
                let modified = entry.metadata().and_then(|m| m.modified()).expect("mtime");
                out.insert(key, (bytes, modified));
            }
        }
    }
    out
}

/// Only the bytes of a tree.
pub fn contents(tree: &BTreeMap<String, (Vec<u8>, SystemTime)>) -> BTreeMap<String, Vec<u8>> {
    tree.iter()
        .map(|(k, (bytes, _))| (k.clone(), bytes.clone()))
        .collect()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder of `../shared` (beside the checkout): required under `CI=true` (`.ci/run`), optional on a
/// developer machine, where the caller's checks are skipped with a notice on stderr.
pub fn shared_dir(name: &str) -> Option<PathBuf> {
    let dir = root().join("../shared").join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some_and(|v| v == "true") {
        panic!("CI=true but {} is missing", dir.display());
    }
    eprintln!(
        "note: {} is absent; skipping the checks that read it",
        dir.display()
    );
    None
}
