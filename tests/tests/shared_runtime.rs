//! Two generated clients in one application share the runtime: one
//! `RetryPolicy` value and one token provider configure both, because both
//! crates re-export the same `apigen-runtime` types.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::{RetryPolicy, TokenFuture, TokenProvider};
use common::{header, server_answering};

/// The application's token source, written once for every client.
struct CountingProvider {
    calls: AtomicUsize,
}

impl TokenProvider for CountingProvider {
    fn token(&self) -> TokenFuture<'_> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(format!("shared-{n}")) })
    }
}

#[tokio::test]
async fn two_clients_share_one_retry_policy_and_one_token_provider() {
    // The same types, not look-alikes: these lines compile only if each
    // crate's `RetryPolicy` and `TokenProvider` are the runtime's.
    let _: genesys_cloud_usage::RetryPolicy = RetryPolicy::default();
    let _: notehub_usage::RetryPolicy = genesys_cloud_usage::RetryPolicy::default();
    fn is_provider<P: notehub_usage::TokenProvider + genesys_cloud_usage::TokenProvider>(_: &P) {}

    let provider = Arc::new(CountingProvider { calls: AtomicUsize::new(0) });
    is_provider(&provider);
    let policy = RetryPolicy::new(2).with_initial_backoff(Duration::from_millis(1));

    let server = server_answering(200, "application/json", r#"{"executionId": "e-1", "data": []}"#).await;
    let genesys = genesys_cloud_usage::Client::builder()
        .base_url(server.uri())
        .token_provider(provider.clone())
        .retry(policy.clone())
        .build()
        .unwrap();
    let notehub = notehub_usage::Client::builder()
        .base_url(server.uri())
        .token_provider(provider.clone())
        .retry(policy)
        .build()
        .unwrap();

    genesys.get_oauth_client_usage_summary("c-1").send().await.unwrap();
    notehub.get_data_usage("app:1", "day").send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let tokens: Vec<_> = requests.iter().map(|r| header(r, "authorization").unwrap().to_string()).collect();
    assert_eq!(tokens, ["Bearer shared-1", "Bearer shared-2"], "one provider served both clients");
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}
