//! `apigen diff` on fixture pairs: `tests/diff/base.yaml` against each file
//! of `tests/diff/changes/`, which makes one kind of change to it. The text
//! report and the JSON are snapshotted, so a reviewer sees how each kind of
//! change is classified.

use std::path::Path;

use apigen::diff::{bump, diff, report, Bump};

fn api(path: &Path) -> apigen::ir::Api {
    let label = format!("tests/diff/{}", path.file_name().unwrap().to_string_lossy());
    apigen::check_file(&label, path).unwrap_or_else(|d| panic!("{d}")).0
}

#[test]
fn each_kind_of_change_is_classified_as_snapshotted() {
    let base = api(&Path::new(env!("CARGO_MANIFEST_DIR")).join("diff/base.yaml"));
    insta::glob!("../diff/changes", "*.yaml", |path| {
        let changes = diff(&base, &api(path));
        let json = serde_json::to_string_pretty(&changes).unwrap();
        insta::assert_snapshot!(format!("{}\n{json}", report(&changes)));
        // The file name says whether the change breaks callers.
        let name = path.file_stem().unwrap().to_string_lossy();
        let breaks = ["removed", "renamed", "added_required", "made_required", "type_changed"].iter().any(|k| name.contains(k));
        assert_eq!(changes.iter().any(|c| c.breaking), breaks, "{name}");
        let expected = match () {
            _ if breaks => Bump::Major,
            _ if name == "unchanged" => Bump::None,
            _ if name == "docs_only" => Bump::Patch,
            _ => Bump::Minor,
        };
        assert_eq!(bump(&changes), expected, "{name}");
    });
}

#[test]
fn a_spec_compared_with_itself_has_no_change() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    for spec in ["genesys-cloud-usage.yaml", "notehub-usage.yaml", "thousandeyes-usage.yaml"] {
        let api = api(&root.join(spec));
        assert_eq!(diff(&api, &api), vec![], "{spec}");
    }
}
