//! Each generated README documents every operation of its spec: a row in
//! the operations table, a details section, and a compiled example.

use std::path::Path;

#[test]
fn each_readme_lists_every_operation_of_its_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    for spec in ["genesys-cloud-usage", "notehub-usage", "thousandeyes-usage"] {
        let source = std::fs::read_to_string(root.join(format!("specs/{spec}.yaml"))).unwrap();
        let (api, _) = apigen::check(spec, &source).unwrap();
        let readme = std::fs::read_to_string(root.join(format!("generated/{spec}/README.md"))).unwrap();
        let examples = readme.matches("```rust,no_run").count();
        assert_eq!(examples, api.operations.len() + 1, "{spec}: one example per operation plus getting started");
        for op in &api.operations {
            let row = format!("| [`{0}`](#{0}) | `{1} {2}` |", op.rust_name, op.method.as_str(), op.path);
            assert!(readme.contains(&row), "{spec}: no table row for {}:\n{row}", op.api_name);
            assert!(readme.contains(&format!("\n### {}\n", op.rust_name)), "{spec}: no section for {}", op.api_name);
            for p in &op.params {
                assert!(readme.contains(&format!("(`{}`)", p.api_name)), "{spec}: {} lacks parameter {}", op.api_name, p.api_name);
            }
            checked += 1;
        }
        for section in ["## Authentication", "## Servers", "## Errors", "## Retries and timeouts", "## Pagination", "## Long-running operations"] {
            assert!(readme.contains(section), "{spec}: no {section}");
        }
    }
    assert_eq!(checked, 13);
}
