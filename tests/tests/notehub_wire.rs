//! The Notehub client against a local server: what goes on the wire and how
//! replies decode.

mod common;

use common::{assert_common_headers, header, only_request, server_answering};
use notehub_usage::types::{Aggregate, DataUsageSeriesType, Period};
use notehub_usage::{Client, Error};

fn client(base: &str) -> Client {
    Client::builder().base_url(base).bearer_token("test-token").build().unwrap()
}

const DATA_USAGE: &str = r#"{
  "data": [{
    "type": "cellular", "device": "dev:864475040527148", "device_count": 1,
    "fleet": "fleet:1", "iccid": "8901260882296040000", "psid": "p1",
    "data": [{
      "period": "2024-05-01T00:00:00Z", "total_bytes": 5368709120,
      "uplink_bytes": 1024, "downlink_bytes": 2048, "billable_bytes_total": 3072,
      "uplink_bytes_billable": 1000, "downlink_bytes_billable": 2000,
      "uplink_packets": 10, "downlink_packets": 20
    }]
  }],
  "truncated": false,
  "not_in_the_spec": {"ignored": true}
}"#;

#[tokio::test]
async fn get_data_usage_sends_every_parameter_and_decodes_every_field() {
    let server = server_answering(200, "application/json", DATA_USAGE).await;
    let reply = client(&server.uri())
        .get_data_usage("app:2606f411-dea6-44a0-9743-1130f57d77d8", Period::Month)
        .start_date(1628631763)
        .end_date(0)
        .device_uid(["dev:1", "dev:2"])
        .fleet_uid(["fleet:a b"])
        .limit(500)
        .aggregate(Aggregate::Fleet)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/projects/app%3A2606f411-dea6-44a0-9743-1130f57d77d8/usage/data");
    assert_eq!(
        request.url.query(),
        Some("period=month&startDate=1628631763&endDate=0&deviceUID=dev%3A1&deviceUID=dev%3A2&fleetUID=fleet%3Aa+b&limit=500&aggregate=fleet")
    );
    assert_common_headers(&request, "notehub-usage", "application/json");
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());

    assert_eq!(reply.status(), 200);
    let body = reply.into_body();
    assert_eq!(body.truncated, Some(false));
    let series = &body.data.as_ref().unwrap()[0];
    assert_eq!(series.r#type, DataUsageSeriesType::Cellular);
    assert_eq!(series.device_count, Some(1));
    assert_eq!(series.iccid.as_deref(), Some("8901260882296040000"));
    let point = &series.data[0];
    assert_eq!(point.total_bytes, 5_368_709_120, "int64 beyond i32");
    assert_eq!(point.period.to_rfc3339(), "2024-05-01T00:00:00+00:00");
    assert_eq!(point.downlink_packets, Some(20));
}

#[tokio::test]
async fn only_required_parameters_are_sent_when_nothing_else_is_set() {
    let server = server_answering(200, "application/json", r#"{"data": []}"#).await;
    client(&server.uri()).get_events_usage("app:x", "day").send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/projects/app%3Ax/usage/events");
    assert_eq!(request.url.query(), Some("period=day"));
}

#[tokio::test]
async fn get_events_usage_sends_its_own_parameters_and_decodes_maps() {
    let body = r#"{"data": [{
        "period": "2024-05-02T00:00:00Z", "device": "dev:1", "fleet": "fleet:1",
        "total_devices": 3, "total_events": 120, "billable_events": 100,
        "platform_events": 20, "watchdog_events": 1, "total_fw_updates": 2,
        "total_reboots": 4, "total_days_in_period": 31,
        "notefiles": {"data.qo": 90, "_health.qo": 10}
    }], "truncated": true}"#;
    let server = server_answering(200, "application/json", body).await;
    let reply = client(&server.uri())
        .get_events_usage("app:x", Period::Week)
        .notefile(["data.qo", "_health.qo"])
        .skip_recent_data(true)
        .include_notefiles(true)
        .send()
        .await
        .unwrap()
        .into_body();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("period=week&notefile=data.qo&notefile=_health.qo&skipRecentData=true&includeNotefiles=true")
    );
    let row = &reply.data[0];
    assert_eq!(reply.truncated, Some(true));
    assert_eq!(row.total_events, 120);
    assert_eq!(row.total_days_in_period, Some(31));
    assert_eq!(row.notefiles.as_ref().unwrap()["data.qo"], 90);
}

#[tokio::test]
async fn get_sessions_usage_decodes_sessions() {
    let body = r#"{"sessions": [{
        "period": "2024-05-03T00:00:00Z", "device": "dev:1", "fleet": "fleet:1",
        "sessions": 12, "first_sync_sessions": 1, "tls_sessions": 11,
        "total_bytes": 4096, "total_devices": 1,
        "sessions_by_transport": {"cell": 10, "wifi": 2}
    }], "truncated": false}"#;
    let server = server_answering(200, "application/json", body).await;
    let reply = client(&server.uri())
        .get_sessions_usage("product:com.blues.test", Period::Day)
        .skip_recent_data(false)
        .send()
        .await
        .unwrap()
        .into_body();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/projects/product%3Acom.blues.test/usage/sessions");
    assert_eq!(request.url.query(), Some("period=day&skipRecentData=false"));
    let row = &reply.sessions[0];
    assert_eq!(row.sessions, 12);
    assert_eq!(row.sessions_by_transport.as_ref().unwrap()["wifi"], 2);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let body = r#"{"data": [{"type": "lorawan", "data": []}]}"#;
    let server = server_answering(200, "application/json", body).await;
    let reply = client(&server.uri()).get_data_usage("app:x", "fortnight").send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("period=fortnight"));
    let kind = &reply.body().data.as_ref().unwrap()[0].r#type;
    assert_eq!(kind, &DataUsageSeriesType::Unknown("lorawan".into()));
    assert_eq!(kind.as_str(), "lorawan");
}

#[tokio::test]
async fn error_replies_decode_into_the_typed_error_body() {
    let body = r#"{"code": 404, "err": "project not found", "status": "Not Found", "request": "/v1/projects/app:x/usage/data"}"#;
    let server = server_answering(404, "application/json", body).await;
    let err = client(&server.uri()).get_data_usage("app:x", Period::Day).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let Error::Api(api) = err else { panic!("expected a documented error, got {err:?}") };
    let notehub_usage::operations::GetDataUsageError::Default(body) = api.body() else {
        panic!("expected the default error, got {:?}", api.body())
    };
    assert_eq!(body.code, 404);
    assert_eq!(body.err, "project not found");
    assert_eq!(body.status, "Not Found");
}

#[tokio::test]
async fn a_body_that_does_not_match_its_type_is_a_decode_error_with_an_excerpt() {
    let server = server_answering(200, "application/json", r#"{"sessions": "not a list"}"#).await;
    let err = client(&server.uri()).get_sessions_usage("app:x", Period::Day).send().await.unwrap_err();
    match err {
        Error::Decode { status, excerpt, .. } => {
            assert_eq!(status, 200);
            assert!(excerpt.contains("not a list"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let server = server_answering(200, "application/json", r#"{"data": []}"#).await;
    client(&server.uri()).get_events_usage("a/b?c#d%e f\u{e9}", Period::Day).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/projects/a%2Fb%3Fc%23d%25e%20f%C3%A9/usage/events");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let client = client("http://127.0.0.1:9");
    let debug = format!("{client:?}");
    assert!(!debug.contains("test-token"), "{debug}");
    assert!(debug.contains("redacted"));
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Port 9 (discard) is closed on loopback, so the connection is refused.
    let err = client("http://127.0.0.1:9").get_data_usage("app:x", Period::Day).send().await.unwrap_err();
    let Error::Transport(transport) = &err else { panic!("expected a transport error, got {err:?}") };
    assert_eq!(transport.kind(), notehub_usage::TransportErrorKind::Connect);
    // The message says why, without walking `source()`.
    assert!(err.to_string().to_lowercase().contains("connection refused"), "{err}");
    assert!(std::error::Error::source(transport).is_some());
    assert_eq!(err.status(), None);
}

#[test]
fn the_default_server_is_the_specs() {
    assert_eq!(Client::new().base_url(), "https://api.notefile.net");
}
