//! The `mock` feature as an application's tests use it: typed mocks of the
//! generated clients' operations on wiremock's real local server, matched
//! by what the operation's own builder would send.

use genesys_cloud_usage::types::{ApiUsageOrganizationQuery, Granularity, UsageExecutionResult};
use notehub_usage::mock::MockServer;
use notehub_usage::operations::GetDataUsageError;
use notehub_usage::types::{GetDataUsage200Response, Period};
use notehub_usage::Error;

fn usage(truncated: bool) -> GetDataUsage200Response {
    let mut reply = GetDataUsage200Response::new();
    reply.truncated = Some(truncated);
    reply
}

#[tokio::test]
async fn a_mock_answers_its_operation_with_a_typed_body() {
    let server = MockServer::start().await;
    // A project id with reserved characters: the path is matched decoded.
    server.get_data_usage("app:1/2 x", Period::Day).times(1).respond(usage(true)).await;
    let reply = server.client().get_data_usage("app:1/2 x", Period::Day).send().await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.body().truncated, Some(true));
    server.verify().await;
}

#[tokio::test]
async fn a_mock_matches_only_the_parameters_it_was_given() {
    let server = MockServer::start().await;
    server.get_data_usage("app:1", Period::Day).with(|op| op.limit(10).device_uid(["dev:a", "dev:b"])).respond(usage(false)).await;
    let client = server.client();
    // Every pair the mock names is sent: it answers, more pairs or not.
    let reply = client.get_data_usage("app:1", Period::Day).limit(10).device_uid(["dev:a", "dev:b"]).end_date(5).send().await;
    assert_eq!(reply.unwrap().body().truncated, Some(false));
    // A different value, a missing pair or another period: no mock answers (wiremock's 404).
    for call in [
        client.get_data_usage("app:1", Period::Day).limit(11).device_uid(["dev:a", "dev:b"]),
        client.get_data_usage("app:1", Period::Day).limit(10),
        client.get_data_usage("app:1", Period::Month).limit(10).device_uid(["dev:a", "dev:b"]),
        client.get_data_usage("app:2", Period::Day).limit(10).device_uid(["dev:a", "dev:b"]),
    ] {
        let err = call.send().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    }
}

#[tokio::test]
async fn a_mock_answers_with_a_documented_error() {
    let server = MockServer::start().await;
    let body = notehub_usage::types::Error::new(429, "slow down", "Too Many Requests");
    server.get_data_usage("app:1", Period::Day).respond_error(400, &body).await;
    match server.client().get_data_usage("app:1", Period::Day).send().await.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status(), 400);
            let GetDataUsageError::Default(decoded) = e.body() else { panic!("{e:?}") };
            assert_eq!(decoded, &body);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_mock_of_a_body_matches_the_body_as_json() {
    let server = genesys_cloud_usage::mock::MockServer::start().await;
    let mut query = ApiUsageOrganizationQuery::new("2024-05-01T00:00:00/2024-05-02T00:00:00");
    query.granularity = Some(Granularity::Day);
    let mut started = UsageExecutionResult::new();
    started.execution_id = Some("e-1".into());
    // The operation documents 200 and 202 with one body; 200 unless told.
    server.post_usage_query(query.clone()).status(202).respond(started).await;
    let reply = server.client().post_usage_query(query.clone()).send().await.unwrap();
    assert_eq!(reply.status(), 202);
    assert_eq!(reply.body().execution_id.as_deref(), Some("e-1"));
    query.granularity = Some(Granularity::Week);
    let err = server.client().post_usage_query(query).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "another body is not the mocked request: {err}");
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_expectation_not_met_fails_the_test() {
    let server = MockServer::start().await;
    server.get_data_usage("app:1", Period::Day).times(2).respond(usage(true)).await;
    server.client().get_data_usage("app:1", Period::Day).send().await.unwrap();
    server.verify().await;
}
