//! Contract check by an independent OpenAPI implementation: every operation
//! of the three generated clients goes to Prism (mock mode, request
//! validation on, loopback only) serving our own spec. Prism answers a
//! request that breaks the spec with 422 and an `sl-violations` header, so
//! each call must succeed and carry no violations.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use genesys_cloud_usage::reqwest::header::HeaderMap;

/// A Prism process serving one spec; killed when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn serve(spec: &str) -> Prism {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(spec);
        let child = Command::new(apigen_tests::tools::prism())
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
            .arg(spec_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prism");
        let prism = Prism { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "prism did not start serving {spec}");
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails on any error, and on any violation Prism reports alongside a success.
/// (All three crates re-export the same `reqwest`, so one header type serves.)
fn assert_clean<T, E: std::fmt::Debug>(operation: &str, result: Result<T, E>, headers: impl Fn(&T) -> &HeaderMap) {
    match result {
        Ok(reply) => {
            let violations = headers(&reply).get("sl-violations");
            assert!(violations.is_none(), "{operation}: Prism reported {violations:?}");
        }
        Err(e) => panic!("{operation}: {e:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn genesys_requests_conform_to_the_spec() {
    use genesys_cloud_usage::types::*;
    let prism = Prism::serve("genesys-cloud-usage.yaml");
    let client = genesys_cloud_usage::Client::builder().base_url(&prism.url).bearer_token("t").build().unwrap();
    let interval = "2024-05-01T00:00:00/2024-05-08T00:00:00";
    let mut org_query = ApiUsageOrganizationQuery::new(interval);
    org_query.granularity = Some(Granularity::Day);
    org_query.metrics = Some(vec![UsageMetric::Requests, UsageMetric::Status429]);
    org_query.group_by = Some(vec![UsageOrganizationGroupBy::UserId]);
    let mut client_query = ApiUsageClientQuery::new(interval);
    client_query.granularity = Some(Granularity::Week);
    client_query.metrics = Some(vec![UsageMetric::Status200]);
    client_query.group_by = Some(vec![UsageClientGroupBy::TemplateUri, UsageClientGroupBy::HttpMethod]);
    let mut search = ApiUsageSimpleSearch::new(interval);
    search.metrics = Some(vec![UsageSearchMetric::ClientName, UsageSearchMetric::Status429]);
    search.oauth_client_names = Some(vec!["Reporting".into()]);
    search.http_methods = Some(vec![HttpMethod::Get]);
    search.template_uris = Some(vec!["api/v2/users/{userId}".into()]);
    assert_clean("postUsageQuery", client.post_usage_query(org_query).send().await, |r| r.headers());
    assert_clean("postOauthClientUsageQuery", client.post_oauth_client_usage_query("c 1/2", client_query).send().await, |r| r.headers());
    assert_clean("postUsageSimplesearch", client.post_usage_simplesearch(search).send().await, |r| r.headers());
    assert_clean("getOauthClientUsageSummary", client.get_oauth_client_usage_summary("c-1").days("30").send().await, |r| r.headers());
    assert_clean("getOauthClientUsageQueryResult", client.get_oauth_client_usage_query_result("e-1", "c-1").send().await, |r| r.headers());
    assert_clean("getUsageQueryExecutionIdResults", client.get_usage_query_execution_id_results("e-1").send().await, |r| r.headers());
    assert_clean(
        "getUsageSimplesearchExecutionIdResults",
        client.get_usage_simplesearch_execution_id_results("e-1").after("cursor").page_size(1000).send().await,
        |r| r.headers(),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn notehub_requests_conform_to_the_spec() {
    use notehub_usage::types::{Aggregate, Period};
    let prism = Prism::serve("notehub-usage.yaml");
    let client = notehub_usage::Client::builder().base_url(&prism.url).bearer_token("t").build().unwrap();
    let data = client
        .get_data_usage("app:2606f411-dea6-44a0-9743-1130f57d77d8", Period::Month)
        .start_date(1628631763)
        .end_date(1657894210)
        .device_uid(["dev:1", "dev:2"])
        .fleet_uid(["fleet:1"])
        .limit(400000)
        .aggregate(Aggregate::Device)
        .send()
        .await;
    assert_clean("getDataUsage", data, |r| r.headers());
    let events = client
        .get_events_usage("app:x", Period::Day)
        .notefile(["data.qo"])
        .skip_recent_data(true)
        .include_notefiles(true)
        .aggregate(Aggregate::Project)
        .send()
        .await;
    assert_clean("getEventsUsage", events, |r| r.headers());
    let sessions = client.get_sessions_usage("product:com.blues.x", Period::Week).limit(1).send().await;
    assert_clean("getSessionsUsage", sessions, |r| r.headers());
}

#[tokio::test(flavor = "multi_thread")]
async fn thousandeyes_requests_conform_to_the_spec() {
    use thousandeyes_usage::types::ExpandUsageOptions;
    let prism = Prism::serve("thousandeyes-usage.yaml");
    let client = thousandeyes_usage::Client::builder().base_url(&prism.url).bearer_token("t").build().unwrap();
    let start = Utc.with_ymd_and_hms(2022, 7, 17, 22, 0, 54).unwrap();
    let end = Utc.with_ymd_and_hms(2022, 7, 18, 22, 0, 54).unwrap();
    let units = client.get_enterprise_agents_units_usage().start_date(start).end_date(end).cursor("abc").send().await;
    assert_clean("getEnterpriseAgentsUnitsUsage", units, |r| r.headers());
    let tests = client.get_tests_units_usage().aid("1234").start_date(start).end_date(end).send().await;
    assert_clean("getTestsUnitsUsage", tests, |r| r.headers());
    let usage = client
        .get_usage()
        .aid("1234")
        .expand(vec![ExpandUsageOptions::Test, ExpandUsageOptions::EndpointAgentEmbedded])
        .send()
        .await;
    assert_clean("getUsage", usage, |r| r.headers());
}

#[tokio::test(flavor = "multi_thread")]
async fn prism_does_catch_a_request_that_breaks_the_spec() {
    // Guards against a contract check that passes everything: `limit` has a
    // minimum of 1, so Prism must refuse 0.
    let prism = Prism::serve("notehub-usage.yaml");
    let client = notehub_usage::Client::builder().base_url(&prism.url).bearer_token("t").build().unwrap();
    let err = client.get_data_usage("app:x", "day").limit(0).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422), "{err:?}");
}
