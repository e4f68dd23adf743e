//! Putting a generated crate on disk, or checking that the disk already
//! holds it. One function serves both, so `regen` and `regen --check` can
//! never disagree.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// Whether to write or only compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Bring the directory up to date.
    Write,
    /// Report what differs; change nothing.
    Check,
}

/// Makes `dir` hold exactly `files`, or (in [`Mode::Check`]) reports the
/// paths that differ: changed, missing, or present but not generated.
///
/// Writing builds the whole crate beside `dir` and swaps it in by renaming,
/// so an interrupted run leaves the previous crate intact.
pub fn ensure_crate(dir: &Path, files: &[GeneratedFile], mode: Mode) -> io::Result<Vec<PathBuf>> {
    let stale = stale_paths(dir, files)?;
    if stale.is_empty() || mode == Mode::Check {
        return Ok(stale);
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("crate");
    let staging = parent.join(format!(".{name}.new"));
    let previous = parent.join(format!(".{name}.old"));
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    for f in files {
        let path = staging.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, &f.contents)?;
    }
    if dir.exists() {
        fs::rename(dir, &previous)?;
    }
    fs::rename(&staging, dir)?;
    if previous.exists() {
        fs::remove_dir_all(&previous)?;
    }
    Ok(stale)
}

fn stale_paths(dir: &Path, files: &[GeneratedFile]) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        match fs::read(&path) {
            Ok(bytes) if bytes == f.contents.as_bytes() => {}
            Ok(_) => stale.push(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => stale.push(path),
            Err(e) => return Err(e),
        }
    }
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    if dir.exists() {
        for path in walk(dir)? {
            if !expected.contains(&path) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// Every file under `dir`, skipping build output.
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}
