//! `src/mock.rs`, behind the crate's `mock` feature: a local server with one
//! method per operation, each taking the operation's arguments and giving
//! a typed `Mock` built from the operation's own request builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::arguments;
use super::escape::{doc_attrs, method_link};
use super::operation::named_imports;
use super::rust_type::Uses;
use crate::ident::ident;
use crate::ir::{Api, Encoding, Operation, ResponseBody, StatusMatch};

/// The reply a mock gives: the first documented success's status (`200`
/// for a range or none) and body.
pub fn first_success(op: &Operation) -> (u16, Option<&ResponseBody>) {
    let first = op.responses.iter().find(|r| r.success);
    let status = match first.map(|r| r.status) {
        Some(StatusMatch::Code(c)) => c,
        Some(StatusMatch::Range(d)) => u16::from(d) * 100,
        _ => 200,
    };
    (status, first.and_then(|r| r.body.as_ref()))
}

pub fn mock_file(api: &Api, example: Option<&str>) -> TokenStream {
    let mut uses = Uses::qualifying(&Uses::operation_names(api), crate::reserved::MOCK_FILE_TYPES);
    uses.qualify_all = !api.features.is_empty();
    let methods: Vec<TokenStream> = api.operations.iter().map(|op| method(api, op, &mut uses)).collect();
    let named_imports = named_imports(&uses);
    let std_imports = uses.std_imports();
    let allow_unused = super::gate::allow_unused_imports(api);
    let mut module_doc = String::from(
        "Test support for applications (the `mock` feature): a real HTTP server on this machine that answers \
         this crate's operations as a test tells it, with typed requests and replies.\n\n\
         [`MockServer`] has one method per operation. It takes the operation's arguments, as the client's \
         method does, and gives a [`Mock`]: [`with`](Mock::with) sets more of the request with the \
         operation builder's own setters, [`respond`](Mock::respond) answers with the operation's typed \
         success body, [`respond_error`](Mock::respond_error) with any status, and \
         [`respond_with`](Mock::respond_with) with wiremock's [`ResponseTemplate`]. A request that no mock \
         matches gets a 404.\n\n\
         Add the crate to your `[dev-dependencies]` with `features = [\"mock\"]`.",
    );
    if let Some(example) = example {
        module_doc.push_str(&format!("\n\n```no_run\n{example}```"));
    }
    let lines = module_doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    // The encoders are named only by the operations' methods.
    let support = if methods.is_empty() { quote!(use crate::runtime::mock::wiremock;) } else { quote!(use crate::runtime::mock::{self as support, wiremock};) };
    quote! {
        #( #![doc = #lines] )*
        #allow_unused
        #std_imports
        #named_imports
        #support
        pub use crate::runtime::mock::{Mock, ResponseTemplate};
        use crate::Client;

        /// A local HTTP server that answers this crate's operations as a test
        /// tells it, and a client that sends to it.
        pub struct MockServer {
            server: wiremock::MockServer,
            client: Client,
        }

        impl MockServer {
            /// Starts a server on a free port of this machine, and a client
            /// pointed at it.
            pub async fn start() -> Self {
                let server = wiremock::MockServer::start().await;
                let client = match Client::builder().base_url(server.uri()).build() {
                    Ok(client) => client,
                    Err(e) => panic!("a client for the mock server cannot be built: {e}"),
                };
                MockServer { server, client }
            }

            /// The server's base URL, for a client the application builds
            /// itself.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            /// A client that sends to this server.
            pub fn client(&self) -> &Client {
                &self.client
            }

            /// Checks every [`times`](Mock::times) expectation now; the
            /// server checks them when dropped, too.
            pub async fn verify(&self) {
                self.server.verify().await
            }

            /// wiremock's server itself, for what the typed mocks do not
            /// cover (the requests received, say).
            pub fn wiremock(&self) -> &wiremock::MockServer {
                &self.server
            }

            #(#methods)*
        }
    }
}

fn method(api: &Api, op: &Operation, uses: &mut Uses) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.type_name);
    let (args, names): (Vec<_>, Vec<_>) = arguments(api, op, uses).into_iter().map(|(arg, name, _)| (arg, name)).unzip();
    let (status, body) = first_success(op);
    let status_literal = proc_macro2::Literal::u16_unsuffixed(status);
    let (reply, encode) = match body {
        None => (quote!(()), quote!(support::empty)),
        Some(b) => match b.encoding {
            Encoding::Json => (uses.ty(&b.ty), quote!(support::json)),
            Encoding::Text => (quote!(String), quote!(support::text)),
            Encoding::Bytes | Encoding::Form | Encoding::Multipart => (quote!(Vec<u8>), quote!(support::bytes)),
        },
    };
    let docs = doc_attrs(&format!(
        "Expects {} with these arguments; [`respond`](Mock::respond) answers it with status {status}.",
        method_link(&op.rust_name)
    ));
    let deprecated = if op.deprecated { quote!(#[allow(deprecated)]) } else { quote!() };
    let gate = super::gate::operation(op);
    quote! {
        #docs
        #deprecated
        #gate
        pub fn #name(&self, #(#args),*) -> Mock<'_, crate::operations::#builder<'_>, #reply> {
            let operation = self.client.#name(#(#names),*);
            Mock::new(&self.server, operation, crate::operations::#builder::build_request, #status_literal, #encode)
        }
    }
}
