//! Copied into the crate generated from `tests/fixtures/nullable.yaml` and
//! run there, against a plain local server that records the raw request:
//! an optional, nullable member of a body the client sends can be left out
//! or sent as an explicit `null`, and a reply keeps the two apart.

mod raw_server;

use fixtures_nullable::types::Profile;
use raw_server::one_request_server;

fn profile(bio: Option<Option<String>>) -> Profile {
    let mut profile = Profile::new("Ada", None);
    profile.bio = bio;
    profile
}

async fn sent(bio: Option<Option<String>>, reply: &'static str) -> (serde_json::Value, Profile) {
    let (address, request) = one_request_server(reply);
    let client = fixtures_nullable::Client::builder().base_url(address).build().unwrap();
    let answer = client.put_profile(profile(bio)).send().await.unwrap().into_body();
    let (_, body) = request.recv().unwrap();
    (serde_json::from_str(&body).unwrap(), answer)
}

#[tokio::test]
async fn none_leaves_the_member_out_and_some_none_sends_null() {
    let (body, _) = sent(None, r#"{"name": "Ada", "nickname": null}"#).await;
    assert_eq!(body, serde_json::json!({"name": "Ada", "nickname": null}), "no `bio`, and the required nullable is null");

    let (body, _) = sent(Some(None), r#"{"name": "Ada", "nickname": null}"#).await;
    assert_eq!(body, serde_json::json!({"name": "Ada", "nickname": null, "bio": null}));

    let (body, _) = sent(Some(Some("Counts".into())), r#"{"name": "Ada", "nickname": null}"#).await;
    assert_eq!(body["bio"], "Counts");
}

#[tokio::test]
async fn a_reply_keeps_null_apart_from_absent() {
    let (_, answer) = sent(None, r#"{"name": "Ada", "nickname": null, "bio": null}"#).await;
    assert_eq!(answer.bio, Some(None));
    let (_, answer) = sent(None, r#"{"name": "Ada", "nickname": null}"#).await;
    assert_eq!(answer.bio, None);
    let (_, answer) = sent(None, r#"{"name": "Ada", "nickname": "A", "bio": "Counts"}"#).await;
    assert_eq!(answer.bio, Some(Some("Counts".to_string())));
}
