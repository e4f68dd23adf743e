//! Paths as text.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` and `..` taken out as text, without asking the file
/// system (which cannot resolve a path through a folder that is not there).
pub(crate) fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}
