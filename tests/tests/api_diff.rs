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
        let breaks = ["removed", "renamed", "added_required", "made_required", "type_changed", "regrouped"].iter().any(|k| name.contains(k));
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

/// The changelog `regen` keeps: a breaking change steps 0.1.0 to 0.2.0 (Cargo's
/// reading of semver below 1.0), an addition to 0.1.1; a version stepped by
/// hand otherwise is not what `regen --check` expects, so the check fails.
#[test]
fn a_breaking_change_takes_the_next_major_version() {
    use apigen::release::{release, spec_hash};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff");
    let base_text = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    let base_api = api(&dir.join("base.yaml"));
    let first = release("pets", "base.yaml", "regen", "CHANGELOG.md", None, (&base_api, &base_text), |_| None).unwrap();
    assert_eq!(first.version, "0.1.0");
    assert!(first.changelog.contains(&format!("## 0.1.0 (spec {})", spec_hash(&base_text))));
    for (change, version) in [("field_removed", "0.2.0"), ("field_added_optional", "0.1.1"), ("docs_only", "0.1.1")] {
        let path = dir.join(format!("changes/{change}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let previous = |hash: &str| (hash == spec_hash(&base_text)).then(|| base_api.clone());
        let next = release("pets", "x.yaml", "regen", "CHANGELOG.md", Some(&first.changelog), (&api(&path), &text), previous).unwrap();
        assert_eq!(next.version, version, "{change}");
        // The new entry sits above the first, which is kept as it was.
        assert!(next.changelog.contains(&format!("## {version} (spec {})", spec_hash(&text))), "{change}");
        assert!(next.changelog.ends_with(&first.changelog[first.changelog.find("\n## ").unwrap()..]), "{change}");
        // Regenerating again from the new changelog changes nothing.
        let again = release("pets", "x.yaml", "regen", "CHANGELOG.md", Some(&next.changelog), (&api(&path), &text), |_| None).unwrap();
        assert_eq!((again.version.as_str(), again.changelog.as_str()), (version, next.changelog.as_str()), "{change}");
    }
    // Text that changes and a client that does not: the last entry now names
    // the new text, and the version stays.
    let path = dir.join("changes/unchanged.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let previous = |hash: &str| (hash == spec_hash(&base_text)).then(|| base_api.clone());
    let same = release("pets", "x.yaml", "regen", "CHANGELOG.md", Some(&first.changelog), (&api(&path), &text), previous).unwrap();
    assert_eq!(same.version, "0.1.0");
    assert_eq!(same.changelog, first.changelog.replace(&spec_hash(&base_text), &spec_hash(&text)).replace("base.yaml", "x.yaml"));
    // The spec of the last entry must be found to describe the change.
    let path = dir.join("changes/field_removed.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let err = release("pets", "x.yaml", "regen", "CHANGELOG.md", Some(&first.changelog), (&api(&path), &text), |_| None).unwrap_err();
    assert!(err.to_string().contains("not in the repository's history"), "{err}");
}
