//! The Genesys Cloud client against a local server.

mod common;

use common::{assert_common_headers, header, only_request, server_answering};
use genesys_cloud_usage::operations::{GetUsageQueryExecutionIdResultsError, PostUsageQueryError};
use genesys_cloud_usage::types::{
    ApiUsageClientQuery, ApiUsageOrganizationQuery, ApiUsageQueryResultQueryStatus, ApiUsageSimpleSearch, Granularity,
    HttpMethod, UsageMetric, UsageOrganizationGroupBy, UsageSearchMetric,
};
use genesys_cloud_usage::{Client, Error};
use serde_json::{json, Value};

fn client(base: &str) -> Client {
    Client::builder().base_url(base).bearer_token("test-token").build().unwrap()
}

const ACCEPTED: &str = r#"{"executionId": "e-1", "resultsUri": "/api/v2/usage/query/e-1/results"}"#;

const RESULT: &str = r#"{
  "results": [{
    "clientId": "c-1", "clientName": "Reporting", "organizationId": "o-1", "userId": "u-1",
    "templateUri": "api/v2/users/{userId}", "httpMethod": "GET",
    "status200": 9000000000, "status300": 1, "status400": 2, "status500": 3, "status429": 4,
    "requests": 9000000010, "date": "2024-05-01T00:00:00Z"
  }],
  "queryStatus": "Complete",
  "cursors": {"before": "b-1", "after": "a-1"}
}"#;

fn body_json(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("JSON body")
}

#[tokio::test]
async fn post_usage_query_sends_the_query_as_json() {
    let server = server_answering(202, "application/json", ACCEPTED).await;
    let mut query = ApiUsageOrganizationQuery::new("2024-05-01T00:00:00/2024-05-08T00:00:00");
    query.granularity = Some(Granularity::Day);
    query.metrics = Some(vec![UsageMetric::Requests, UsageMetric::Status429]);
    query.group_by = Some(vec![UsageOrganizationGroupBy::TemplateUri, UsageOrganizationGroupBy::HttpMethod]);
    let reply = client(&server.uri()).post_usage_query(query).send().await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/api/v2/usage/query");
    assert_eq!(request.url.query(), None);
    assert_common_headers(&request, "genesys-cloud-usage", "application/json");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        body_json(&request),
        json!({
            "interval": "2024-05-01T00:00:00/2024-05-08T00:00:00",
            "granularity": "Day",
            "metrics": ["Requests", "Status429"],
            "groupBy": ["TemplateUri", "HttpMethod"]
        })
    );
    assert_eq!(reply.status(), 202);
    assert_eq!(reply.body().execution_id.as_deref(), Some("e-1"));
    assert_eq!(reply.body().results_uri.as_deref(), Some("/api/v2/usage/query/e-1/results"));
}

#[tokio::test]
async fn optional_body_fields_are_left_out_not_sent_as_null() {
    let server = server_answering(202, "application/json", ACCEPTED).await;
    let query = ApiUsageClientQuery::new("2024-05-01T00:00:00/2024-05-02T00:00:00");
    client(&server.uri()).post_oauth_client_usage_query("client/1", query).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v2/oauth/clients/client%2F1/usage/query");
    assert_eq!(body_json(&request), json!({"interval": "2024-05-01T00:00:00/2024-05-02T00:00:00"}));
}

#[tokio::test]
async fn post_usage_simplesearch_sends_every_filter() {
    let server = server_answering(202, "application/json", ACCEPTED).await;
    let mut search = ApiUsageSimpleSearch::new("2024-05-01T00:00:00/2024-05-02T00:00:00");
    search.metrics = Some(vec![UsageSearchMetric::Status200, UsageSearchMetric::TemplateUri]);
    search.oauth_client_names = Some(vec!["Reporting".into()]);
    search.http_methods = Some(vec![HttpMethod::Get, HttpMethod::Post]);
    search.template_uris = Some(vec!["api/v2/users".into()]);
    client(&server.uri()).post_usage_simplesearch(search).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v2/usage/simplesearch");
    assert_eq!(
        body_json(&request),
        json!({
            "interval": "2024-05-01T00:00:00/2024-05-02T00:00:00",
            "metrics": ["Status200", "TemplateUri"],
            "oauthClientNames": ["Reporting"],
            "httpMethods": ["GET", "POST"],
            "templateUris": ["api/v2/users"]
        })
    );
}

#[tokio::test]
async fn get_oauth_client_usage_summary_sends_days() {
    let server = server_answering(202, "application/json", ACCEPTED).await;
    client(&server.uri()).get_oauth_client_usage_summary("c-1").days("30").send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/api/v2/oauth/clients/c-1/usage/summary");
    assert_eq!(request.url.query(), Some("days=30"));
    assert_common_headers(&request, "genesys-cloud-usage", "application/json");
}

#[tokio::test]
async fn get_oauth_client_usage_query_result_decodes_every_field() {
    let server = server_answering(200, "application/json", RESULT).await;
    let result = client(&server.uri())
        .get_oauth_client_usage_query_result("e 1", "c-1")
        .send()
        .await
        .unwrap()
        .into_body();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v2/oauth/clients/c-1/usage/query/results/e%201");
    assert_eq!(result.query_status, Some(ApiUsageQueryResultQueryStatus::Complete));
    assert_eq!(result.cursors.as_ref().unwrap().after.as_deref(), Some("a-1"));
    let row = &result.results.as_ref().unwrap()[0];
    assert_eq!(row.status200, Some(9_000_000_000));
    assert_eq!(row.requests, Some(9_000_000_010));
    assert_eq!(row.template_uri.as_deref(), Some("api/v2/users/{userId}"));
    assert_eq!(row.date.unwrap().to_rfc3339(), "2024-05-01T00:00:00+00:00");
}

#[tokio::test]
async fn get_usage_query_execution_id_results_keeps_unknown_status() {
    let server = server_answering(200, "application/json", r#"{"queryStatus": "Queued", "results": []}"#).await;
    let result = client(&server.uri()).get_usage_query_execution_id_results("e-1").send().await.unwrap().into_body();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v2/usage/query/e-1/results");
    assert_eq!(result.query_status, Some(ApiUsageQueryResultQueryStatus::Unknown("Queued".into())));
}

#[tokio::test]
async fn get_usage_simplesearch_results_sends_the_cursor_and_page_size() {
    let server = server_answering(200, "application/json", RESULT).await;
    client(&server.uri())
        .get_usage_simplesearch_execution_id_results("e-1")
        .after("a-1")
        .page_size(1000)
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v2/usage/simplesearch/e-1/results");
    assert_eq!(request.url.query(), Some("after=a-1&pageSize=1000"));
}

#[tokio::test]
async fn errors_decode_into_error_body_with_nested_errors() {
    let body = r#"{
        "message": "Rate limit exceeded", "code": "too.many.requests", "status": 429,
        "contextId": "ctx-42", "messageWithParams": "limit {limit}", "messageParams": {"limit": "300"},
        "details": [{"errorCode": "E1", "fieldName": "interval"}],
        "errors": [{"message": "inner", "status": 429}],
        "limit": {"key": "requests", "namespace": "platform.api", "value": 300}
    }"#;
    let server = server_answering(429, "application/json", body).await;
    let query = ApiUsageOrganizationQuery::new("x");
    let err = client(&server.uri()).post_usage_query(query).send().await.unwrap_err();
    let Error::Api(api) = err else { panic!("expected a documented error, got {err:?}") };
    assert_eq!(api.status(), 429);
    let PostUsageQueryError::TooManyRequests(body) = api.body() else { panic!("expected 429, got {:?}", api.body()) };
    assert_eq!(body.context_id.as_deref(), Some("ctx-42"));
    assert_eq!(body.message_params.as_ref().unwrap()["limit"], "300");
    assert_eq!(body.details.as_ref().unwrap()[0].field_name.as_deref(), Some("interval"));
    assert_eq!(body.errors.as_ref().unwrap()[0].message.as_deref(), Some("inner"));
    assert_eq!(body.limit.as_ref().unwrap().value, Some(300));
}

#[tokio::test]
async fn an_error_body_that_is_not_json_is_a_decode_error() {
    let server = server_answering(503, "text/html", "<html>upstream down</html>").await;
    let err = client(&server.uri()).get_usage_query_execution_id_results("e-1").send().await.unwrap_err();
    match &err {
        Error::Decode { status, excerpt, .. } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, "<html>upstream down</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let _: Option<&genesys_cloud_usage::ApiError<GetUsageQueryExecutionIdResultsError>> = err.api_error();
}

#[test]
fn the_default_server_is_the_us_east_region() {
    assert_eq!(Client::new().base_url(), "https://api.mypurecloud.com");
}

#[tokio::test]
async fn every_documented_error_status_decodes_into_its_variant() {
    use GetUsageQueryExecutionIdResultsError as E;
    for status in [400u16, 401, 403, 404, 408, 413, 415, 429, 500, 503, 504, 418] {
        let body = format!(r#"{{"message": "failed", "code": "c{status}", "status": {status}}}"#);
        let server = server_answering(status, "application/json", &body).await;
        let err = client(&server.uri()).get_usage_query_execution_id_results("e-1").send().await.unwrap_err();
        let Error::Api(api) = err else { panic!("{status}: expected a documented error, got {err:?}") };
        let (variant, body) = match api.body() {
            E::BadRequest(b) => (400, b),
            E::Unauthorized(b) => (401, b),
            E::Forbidden(b) => (403, b),
            E::NotFound(b) => (404, b),
            E::RequestTimeout(b) => (408, b),
            E::PayloadTooLarge(b) => (413, b),
            E::UnsupportedMediaType(b) => (415, b),
            E::TooManyRequests(b) => (429, b),
            E::InternalServerError(b) => (500, b),
            E::ServiceUnavailable(b) => (503, b),
            E::GatewayTimeout(b) => (504, b),
            // Undocumented statuses still carry Genesys's error body.
            E::Default(b) => (418, b),
            // The enum is `#[non_exhaustive]`: a status the spec adds later
            // must not break this match.
            other => panic!("{status}: a variant this test does not know: {other:?}"),
        };
        assert_eq!(variant, status);
        assert_eq!(body.code.as_deref(), Some(format!("c{status}").as_str()));
        assert_eq!(api.status(), status);
    }
}

#[tokio::test]
async fn queries_accept_200_as_well_as_202() {
    let server = server_answering(200, "application/json", ACCEPTED).await;
    let query = ApiUsageOrganizationQuery::new("x");
    let reply = client(&server.uri()).post_usage_query(query).send().await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.body().execution_id.as_deref(), Some("e-1"));
}
