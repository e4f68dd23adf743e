//! The ThousandEyes client against a local server.

mod common;

use chrono::{TimeZone, Utc};
use common::{assert_common_headers, only_request, server_answering};
use thousandeyes_usage::operations::{GetTestsUnitsUsageError, GetUsageError};
use thousandeyes_usage::types::ExpandUsageOptions;
use thousandeyes_usage::{Client, Error};

const ACCEPT: &str = "application/hal+json, application/json, application/problem+json";

fn client(base: &str) -> Client {
    Client::builder().base_url(base).bearer_token("test-token").build().unwrap()
}

#[tokio::test]
async fn get_enterprise_agents_units_usage_sends_rfc3339_dates_and_the_cursor() {
    let body = r#"{
      "breakdowns": [{"aid": "1234", "accountGroupName": "Ops", "agentId": "a-1", "agentName": "agent",
                      "enterpriseUnitsUsed": 3000000000, "enterpriseUnitsProjected": 3100000000}],
      "_links": {"next": {"href": "https://api.thousandeyes.com/v7/usage/units/enterprise-agents?cursor=abc"},
                 "self": {"href": "https://api.thousandeyes.com/v7/usage/units/enterprise-agents", "templated": false}}
    }"#;
    let server = server_answering(200, "application/hal+json", body).await;
    let reply = client(&server.uri())
        .get_enterprise_agents_units_usage()
        .start_date(Utc.with_ymd_and_hms(2022, 7, 17, 22, 0, 54).unwrap())
        .end_date(Utc.with_ymd_and_hms(2022, 7, 18, 22, 0, 54).unwrap())
        .cursor("abc")
        .send()
        .await
        .unwrap()
        .into_body();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/usage/units/enterprise-agents");
    assert_eq!(
        request.url.query(),
        Some("startDate=2022-07-17T22%3A00%3A54Z&endDate=2022-07-18T22%3A00%3A54Z&cursor=abc")
    );
    assert_common_headers(&request, "thousandeyes-usage", ACCEPT);
    let row = &reply.breakdowns.as_ref().unwrap()[0];
    assert_eq!(row.enterprise_units_used, Some(3_000_000_000));
    let links = reply.links.as_ref().unwrap();
    assert!(links.next.as_ref().unwrap().href.ends_with("cursor=abc"));
    assert_eq!(links.self_.as_ref().unwrap().templated, Some(false));
}

#[tokio::test]
async fn get_tests_units_usage_sends_the_account_group() {
    let body = r#"{"breakdowns": [{"aid": "1", "accountGroupName": "Ops", "enterpriseUnitsUsed": 1,
        "enterpriseUnitsProjected": 2, "cloudUnitsUsed": 3, "cloudUnitsProjected": 4, "testId": "t-1",
        "testName": "HTTP", "testType": "http-server", "isInstantTest": true}]}"#;
    let server = server_answering(200, "application/hal+json", body).await;
    let reply = client(&server.uri()).get_tests_units_usage().aid("1234").send().await.unwrap().into_body();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/usage/units/tests");
    assert_eq!(request.url.query(), Some("aid=1234"));
    let row = &reply.breakdowns.as_ref().unwrap()[0];
    assert_eq!(row.is_instant_test, Some(true));
    assert_eq!(row.cloud_units_projected, Some(4));
}

#[tokio::test]
async fn get_usage_joins_expand_with_commas_and_decodes_the_whole_tree() {
    let body = r#"{
      "usage": {
        "quota": {"monthStart": "2024-05-01T00:00:00Z", "monthEnd": "2024-05-31T23:59:59Z",
                  "cloudUnitsIncluded": 10000000000, "deviceAgentsIncluded": 1, "endpointAgentsIncluded": 2,
                  "endpointAgentsEssentialsIncluded": 3, "endpointAgentsEmbeddedIncluded": 4, "enterpriseAgentsIncluded": 5},
        "cloudUnitsUsed": 1, "cloudUnitsProjected": 2, "cloudUnitsNextBillingPeriod": 3,
        "enterpriseUnitsUsed": 4, "enterpriseUnitsProjected": 5, "enterpriseUnitsNextBillingPeriod": 6,
        "connectedDevicesUnitsUsed": 7, "connectedDevicesUnitsProjected": 8, "connectedDevicesUnitsNextBillingPeriod": 9,
        "endpointAgentsUsed": 10, "endpointAgentsEssentialsUsed": 11, "endpointAgentsEmbeddedUsed": 12, "enterpriseAgentsUsed": 13,
        "enterpriseAgentUnits": [{"aid": "1", "agentId": "a", "enterpriseUnitsUsed": 1}],
        "tests": [{"aid": "1", "testId": "t", "testName": "n", "testType": "http-server", "cloudUnitsUsed": 1, "cloudUnitsProjected": 2}],
        "endpointAgents": [{"aid": "1", "accountGroupName": "g", "endpointAgentsUsed": 1}],
        "endpointAgentsEssentials": [{"aid": "1", "endpointAgentsEssentialsUsed": 2}],
        "endpointAgentsEmbedded": [{"aid": "1", "endpointAgentsEmbeddedUsed": 3}],
        "enterpriseAgents": [{"aid": "1", "enterpriseAgentsUsed": 4}],
        "allocations": {"used": 1, "projected": 2, "allocations": [{"productName": "cloud", "allocatedUnits": 5}]}
      },
      "_links": {"self": {"href": "/v7/usage"}}
    }"#;
    let server = server_answering(200, "application/hal+json", body).await;
    let reply = client(&server.uri())
        .get_usage()
        .aid("1234")
        .expand(vec![ExpandUsageOptions::Test, ExpandUsageOptions::EnterpriseAgentUnit, "future-thing".into()])
        .send()
        .await
        .unwrap()
        .into_body();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/usage");
    assert_eq!(request.url.query(), Some("aid=1234&expand=test,enterprise-agent-unit,future-thing"));
    let usage = reply.usage.unwrap();
    let quota = usage.quota.unwrap();
    assert_eq!(quota.cloud_units_included, Some(10_000_000_000));
    assert_eq!(quota.month_end.unwrap().to_rfc3339(), "2024-05-31T23:59:59+00:00");
    assert_eq!(usage.connected_devices_units_next_billing_period, Some(9));
    assert_eq!(usage.enterprise_agents.unwrap()[0].enterprise_agents_used, Some(4));
    assert_eq!(usage.allocations.unwrap().allocations.unwrap()[0].product_name.as_deref(), Some("cloud"));
}

#[tokio::test]
async fn problem_details_decode_by_status() {
    let body = r#"{"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "bad date",
                   "instance": "/v7/usage/units/tests", "errors": [{"code": "E1", "field": "startDate", "message": "invalid"}]}"#;
    let server = server_answering(400, "application/problem+json", body).await;
    let err = client(&server.uri()).get_tests_units_usage().send().await.unwrap_err();
    let Error::Api(api) = err else { panic!("expected a documented error, got {err:?}") };
    match api.body() {
        GetTestsUnitsUsageError::BadRequest(problem) => {
            assert_eq!(problem.detail.as_deref(), Some("bad date"));
            assert_eq!(problem.errors.as_ref().unwrap()[0].field.as_deref(), Some("startDate"));
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }

    for (status, body) in [
        (401, r#"{"error": "invalid_token", "error_description": "expired"}"#),
        (403, r#"{"title": "Forbidden", "status": 403}"#),
        (404, r#"{"title": "Not Found", "status": 404}"#),
        (429, r#"{"title": "Too Many Requests", "status": 429}"#),
        (500, r#"{"title": "Internal Server Error", "status": 500}"#),
    ] {
        let server = server_answering(status, "application/problem+json", body).await;
        let err = client(&server.uri()).get_usage().send().await.unwrap_err();
        let Error::Api(api) = err else { panic!("{status}: expected a documented error, got {err:?}") };
        let matched = match (status, api.body()) {
            (401, GetUsageError::Unauthorized(e)) => e.error_description.as_deref() == Some("expired"),
            (403, GetUsageError::Forbidden(e))
            | (404, GetUsageError::NotFound(e))
            | (429, GetUsageError::TooManyRequests(e))
            | (500, GetUsageError::InternalServerError(e)) => e.status == Some(i32::from(status)),
            _ => false,
        };
        assert!(matched, "{status} decoded as {:?}", api.body());
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_its_raw_body() {
    let server = server_answering(418, "text/plain", "teapot").await;
    let err = client(&server.uri()).get_usage().send().await.unwrap_err();
    match err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status, 418);
            assert_eq!(body, b"teapot");
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }
}

#[test]
fn the_default_server_includes_the_version_prefix() {
    assert_eq!(Client::new().base_url(), "https://api.thousandeyes.com/v7");
}
