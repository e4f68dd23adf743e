//! Each generated README documents every operation of its spec: a row in
//! the operations table, a details section, and a compiled example; and
//! the crate-wide sections.

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
        assert_eq!(
            examples,
            api.operations.len() + 3,
            "{spec}: one example per operation, plus getting started, request control and the mock server"
        );
        for op in &api.operations {
            let row = format!("| [`{0}`](#{0}) | `{1} {2}` |", op.rust_name, op.method.as_str(), op.path);
            assert!(readme.contains(&row), "{spec}: no table row for {}:\n{row}", op.api_name);
            assert!(readme.contains(&format!("\n### {}\n", op.rust_name)), "{spec}: no section for {}", op.api_name);
            for p in &op.params {
                assert!(readme.contains(&format!("(`{}`)", p.api_name)), "{spec}: {} lacks parameter {}", op.api_name, p.api_name);
            }
            checked += 1;
        }
        for section in [
            "## Authentication",
            "## Servers",
            "## Errors",
            "## Retries, timeouts and request control",
            "## Models that survive spec changes",
            "## Files",
            "## Testing your application",
            "## Pagination",
            "## Long-running operations",
        ] {
            assert!(readme.contains(section), "{spec}: no {section}");
        }
    }
    assert_eq!(checked, 13);
}

/// The generated docs state the runtime's defaults as the runtime has them:
/// the generator reads them from `runtime/src/defaults.rs`, and this checks
/// the result against the runtime's constants themselves.
#[test]
fn docs_state_the_runtime_s_defaults() {
    use apigen_runtime::defaults;
    let secs = |d: std::time::Duration| {
        if d.subsec_millis() != 0 {
            format!("{} ms", d.as_millis())
        } else if d.as_secs() >= 120 && d.as_secs() % 60 == 0 {
            format!("{} minutes", d.as_secs() / 60)
        } else {
            format!("{} s", d.as_secs())
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("generated/genesys-cloud-usage/README.md")).unwrap();
    let retries = format!(
        "A request is tried up to {} times in all: again after `429 Too Many Requests` or\n`503 Service Unavailable`, and, for idempotent methods only (not POST or\nPATCH), after a connection error. Waits grow exponentially from {} to at\nmost {}, with random jitter, unless the server's `Retry-After` header\n(seconds or an HTTP date, honoured up to {}) says how long. Each attempt may\ntake {} in all and {} to connect.",
        defaults::ATTEMPTS,
        secs(defaults::INITIAL_BACKOFF),
        secs(defaults::MAX_BACKOFF),
        secs(defaults::MAX_RETRY_AFTER),
        secs(defaults::TIMEOUT),
        secs(defaults::CONNECT_TIMEOUT)
    );
    assert!(readme.contains(&retries), "the README's retry section does not match the runtime:\n{retries}");
    let polling = format!(
        "growing waits ({} doubling to {} unless configured) until the status says done or failed, or the deadline ({} unless configured)",
        secs(defaults::POLL_INITIAL_DELAY),
        secs(defaults::POLL_MAX_DELAY),
        secs(defaults::POLL_DEADLINE)
    );
    assert!(readme.replace('\n', " ").contains(&polling), "the README's polling section does not match the runtime:\n{polling}");
    assert!(readme.contains(&format!("({} MiB unless set)", defaults::MAX_RESPONSE_SIZE >> 20)));
    let client = std::fs::read_to_string(root.join("generated/genesys-cloud-usage/src/client.rs")).unwrap();
    assert!(client.contains(&format!("({} unless set; `None` for no limit)", secs(defaults::TIMEOUT))));
    assert!(client.contains(&format!("How long connecting may take ({} unless set).", secs(defaults::CONNECT_TIMEOUT))));
}
