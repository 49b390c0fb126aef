//! Writes a set of generated files as one transaction: every file is staged beside its target first,
//! then swapped in; any failure restores the previous files, so a failed run leaves the tree as it was.
//! Files are written only when their bytes change.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a regeneration would do to the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to create or overwrite, with their new contents.
    pub write: BTreeMap<PathBuf, String>,
    /// Files the generator owns but no longer produces.
    pub delete: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.write.is_empty() && self.delete.is_empty()
    }
}

/// Compares generated files with disk. `owned_dirs` are directories whose every file the generator owns
/// (stale ones are deleted), or single files it owns (deleted when it no longer produces them); `files` maps
/// paths relative to `root` to contents.
pub fn plan(
    root: &Path,
    files: &BTreeMap<String, String>,
    owned_dirs: &[&str],
) -> io::Result<Plan> {
    let mut plan = Plan::default();
    for relative in files
        .keys()
        .map(String::as_str)
        .chain(owned_dirs.iter().copied())
    {
        check_relative(relative)?;
    }
    for (relative, contents) in files {
        let path = root.join(relative);
        match fs::read(&path) {
            Ok(existing) if normalize(&existing) == normalize(contents.as_bytes()) => {
                plan.unchanged += 1
            }
            Ok(_) => {
                plan.write.insert(path, contents.clone());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                plan.write.insert(path, contents.clone());
            }
            Err(e) => return Err(e),
        }
    }
    for relative in owned_dirs {
        let dir = root.join(relative);
        if dir.is_file() && !files.contains_key(*relative) {
            plan.delete.push(dir);
            continue;
        }
        if !dir.is_dir() {
            continue;
        }
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir)? {
                let entry = entry?;
                let path = entry.path();
                if entry.file_type()?.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(root).unwrap_or(&path);
                    let key = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    if !files.contains_key(&key) {
                        plan.delete.push(path);
                    }
                }
            }
        }
    }
    // Owned folders may nest (`src` and `src/generated`): list each stale file once.
    plan.delete.sort();
    plan.delete.dedup();
    Ok(plan)
}

/// Refuses a path that could leave the output folder: empty, absolute, or with a `..`, `.` or prefix
/// component. Generated names never look like that; this is the last line of defence if one ever did.
pub fn check_relative(relative: &str) -> io::Result<()> {
    let path = Path::new(relative);
    // `Path::components` drops inner `.` and doubled `/`, so look at the text as well.
    let normal = !relative.contains('\\')
        && relative
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if normal {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{relative}`: not a plain path inside the output folder"),
        ))
    }
}

fn normalize(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// A hook that can fail a step, for tests that simulate a failure half-way.
pub type FaultHook<'a> = &'a mut dyn FnMut(&Path) -> io::Result<()>;

/// Applies a plan as one transaction.
pub fn apply(plan: &Plan, fault: Option<FaultHook<'_>>) -> io::Result<()> {
    let mut no_fault = |_: &Path| Ok(());
    let fault: FaultHook<'_> = match fault {
        Some(f) => f,
        None => &mut no_fault,
    };
    let suffix = format!(".regen-{}", std::process::id());
    let staged = |path: &Path| sibling(path, &format!("{suffix}.new"));
    let backup = |path: &Path| sibling(path, &format!("{suffix}.old"));

    // 1. Stage every new file next to its target. Nothing visible has changed yet.
    let mut staged_paths = Vec::new();
    let stage = (|| -> io::Result<()> {
        for (path, contents) in &plan.write {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let temp = staged(path);
            staged_paths.push(temp.clone());
            fault(&temp)?;
            fs::write(&temp, contents)?;
        }
        Ok(())
    })();
    if let Err(e) = stage {
        for temp in &staged_paths {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }

    // 2. Swap: move each old file aside, move the new one in. Undo everything on the first failure.
    let mut done: Vec<(PathBuf, bool)> = Vec::new();
    let swap = (|| -> io::Result<()> {
        for path in plan.write.keys() {
            let existed = path.exists();
            if existed {
                fault(path)?;
                fs::rename(path, backup(path))?;
            }
            done.push((path.clone(), existed));
            fault(path)?;
            fs::rename(staged(path), path)?;
        }
        for path in &plan.delete {
            fault(path)?;
            fs::rename(path, backup(path))?;
            done.push((path.clone(), true));
        }
        Ok(())
    })();
    if let Err(e) = swap {
        for (path, existed) in done.iter().rev() {
            if plan.write.contains_key(path) && staged(path).exists() {
                // Its new version never moved in.
            } else if plan.write.contains_key(path) {
                let _ = fs::remove_file(path);
            }
            if *existed {
                let _ = fs::rename(backup(path), path);
            }
        }
        for temp in staged_paths {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }

    // 3. Committed: drop the backups.
    for (path, existed) in done {
        if existed {
            let _ = fs::remove_file(backup(&path));
        }
    }
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let key = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(key, fs::read_to_string(&path).unwrap());
                }
            }
        }
        out
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("gen")).unwrap();
        fs::write(dir.join("gen/a.rs"), "old a").unwrap();
        fs::write(dir.join("gen/stale.rs"), "stale").unwrap();
        fs::write(dir.join("keep.txt"), "mine").unwrap();
        dir
    }

    fn new_files() -> BTreeMap<String, String> {
        [
            ("gen/a.rs", "new a"),
            ("gen/b.rs", "new b"),
            ("gen/c.rs", "new c"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn writes_changed_files_deletes_stale_ones_and_leaves_others() {
        let root = scratch("ok");
        let files = new_files();
        let plan = plan(&root, &files, &["gen"]).unwrap();
        assert_eq!(plan.write.len(), 3);
        assert_eq!(plan.delete, [root.join("gen/stale.rs")]);
        apply(&plan, None).unwrap();
        let mut expected = files.clone();
        expected.insert("keep.txt".into(), "mine".into());
        assert_eq!(tree(&root), expected);
        let again = super::plan(&root, &files, &["gen"]).unwrap();
        assert!(again.is_empty());
        assert_eq!(again.unchanged, 3);
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn an_owned_file_no_longer_produced_is_deleted() {
        let root = scratch("owned-file");
        fs::create_dir_all(root.join("tests")).unwrap();
        fs::write(root.join("tests/old.rs"), "stale").unwrap();
        fs::write(root.join("tests/kept.rs"), "the user's").unwrap();
        let files: BTreeMap<String, String> = BTreeMap::new();
        let plan = plan(&root, &files, &["tests/old.rs", "tests/absent.rs"]).unwrap();
        assert_eq!(plan.delete, [root.join("tests/old.rs")]);
        let produced: BTreeMap<String, String> =
            [("tests/old.rs".to_string(), "stale".to_string())].into();
        assert!(plan_is_empty(&root, &produced, &["tests/old.rs"]));
        fs::remove_dir_all(root).unwrap();
    }

    fn plan_is_empty(root: &Path, files: &BTreeMap<String, String>, owned: &[&str]) -> bool {
        plan(root, files, owned).unwrap().is_empty()
    }

    #[test]
    fn a_stale_file_in_nested_owned_folders_is_deleted_once() {
        let root = scratch("nested");
        fs::create_dir_all(root.join("src/generated")).unwrap();
        fs::write(root.join("src/generated/gone.rs"), "stale").unwrap();
        let files: BTreeMap<String, String> =
            [("src/lib.rs".to_string(), "lib".to_string())].into();
        let plan = plan(&root, &files, &["src", "src/generated"]).unwrap();
        assert_eq!(plan.delete, [root.join("src/generated/gone.rs")]);
        apply(&plan, None).unwrap();
        assert!(!root.join("src/generated/gone.rs").exists());
        assert_eq!(fs::read_to_string(root.join("src/lib.rs")).unwrap(), "lib");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn paths_that_could_leave_the_output_folder_are_refused_before_anything_is_read_or_written() {
        let root = scratch("escape");
        let before = tree(&root);
        for hostile in [
            "../escape.rs",
            "gen/../../escape.rs",
            "/etc/passwd",
            "./gen/a.rs",
            "gen/./a.rs",
            "",
            "gen\\..\\..\\x.rs",
        ] {
            let mut files = new_files();
            files.insert(hostile.to_string(), "pwned".to_string());
            let error = plan(&root, &files, &["gen"]).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{hostile}");
            assert!(error.to_string().contains("refusing to write"), "{error}");
        }
        assert!(
            plan(&root, &new_files(), &["../gen"]).is_err(),
            "owned folders are checked too"
        );
        assert_eq!(tree(&root), before);
        assert!(!root.parent().unwrap().join("escape.rs").exists());
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_previous_tree_byte_identical() {
        // Fail at the 1st, 2nd, … fallible step until a run gets through.
        for fail_at in 0.. {
            let root = scratch(&format!("fail{fail_at}"));
            let before = tree(&root);
            let plan = plan(&root, &new_files(), &["gen"]).unwrap();
            let mut step = 0;
            let mut hook = |_: &Path| {
                step += 1;
                if step == fail_at + 1 {
                    Err(io::Error::other("simulated failure"))
                } else {
                    Ok(())
                }
            };
            let result = apply(&plan, Some(&mut hook));
            let after = tree(&root);
            fs::remove_dir_all(&root).unwrap();
            if result.is_ok() {
                assert!(fail_at > 5, "the plan has more than five fallible steps");
                break;
            }
            assert_eq!(after, before, "failure at step {fail_at} changed the tree");
        }
    }
}
