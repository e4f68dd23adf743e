//! One file per operation: its request builder, its error enum and, when it
//! has several kinds of success, its success enum.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::escape::{code, doc_attrs, line, method_link, or_else, prose};
use super::rust_type::Uses;
use crate::ident::ident;
use crate::ir::{Api, Encoding, Operation, Param, ParamLocation, PathPart, QueryStyle, Response, StatusMatch, TypeKind, TypeRef};

/// How an argument or setter takes a value of `ty`: strings and enums
/// through `Into`, so `"text"` and `String` both work; lists as any
/// `IntoIterator` (of such items), so an array, a `Vec` or an iterator all
/// do. Gives the parameter's type and the expression turning `value` into
/// the field's type.
pub fn argument_type(ty: &TypeRef, api: &crate::ir::Api, uses: &mut Uses, value: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let rust = uses.ty(ty);
    match ty {
        _ if takes_into(ty, api) => (quote!(impl Into<#rust>), quote!(#value.into())),
        TypeRef::Array(item) if takes_into(item, api) => {
            let item = uses.ty(item);
            (quote!(impl IntoIterator<Item = impl Into<#item>>), quote!(#value.into_iter().map(Into::into).collect()))
        }
        TypeRef::Array(item) => {
            let item = uses.ty(item);
            (quote!(impl IntoIterator<Item = #item>), quote!(#value.into_iter().collect()))
        }
        _ => (rust, quote!(#value)),
    }
}

fn takes_into(ty: &TypeRef, api: &crate::ir::Api) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Upload)
        || matches!(ty, TypeRef::Named(n) if api.types.iter().any(|t| &t.rust_name == n && matches!(t.kind, crate::ir::TypeKind::Enum { .. })))
}

/// The success type of an operation.
pub enum Success<'o> {
    /// No documented body.
    Empty,
    /// One body type for every success.
    One(&'o TypeRef),
    /// Several: an enum named `{Op}Response`.
    Several(Vec<&'o Response>),
}

pub fn success(op: &Operation) -> Success<'_> {
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.success).collect();
    let first = successes.first().map(|r| r.body.as_ref().map(|b| &b.ty));
    if successes.iter().all(|r| Some(r.body.as_ref().map(|b| &b.ty)) == first) {
        match first.flatten() {
            Some(ty) => Success::One(ty),
            None => Success::Empty,
        }
    } else {
        Success::Several(successes)
    }
}

pub fn operation_file(api: &crate::ir::Api, op: &Operation, operation_names: &std::sync::Arc<std::collections::BTreeSet<String>>) -> TokenStream {
    let mut uses = Uses::qualifying(operation_names, crate::reserved::OPERATION_FILE_TYPES);
    let builder = ident(&op.type_name);
    let error_enum = ident(&op.error_name);
    let method = format_ident!("{}", op.method.as_str());

    // Builder fields: required ones set by `new`, optional ones by setters.
    let mut fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.rust_name);
        let ty = uses.ty(&p.ty);
        if p.required {
            fields.push(quote!(#name: #ty));
            new_args.push(quote!(#name: #ty));
            new_inits.push(quote!(#name));
        } else {
            fields.push(quote!(#name: Option<#ty>));
            new_inits.push(quote!(#name: None));
            let docs = doc_attrs(&param_doc(p));
            let deprecated = if p.deprecated { quote!(#[deprecated]) } else { quote!() };
            let (arg, value) = argument_type(&p.ty, api, &mut uses, &format_ident!("value"));
            setters.push(quote! {
                #docs
                #deprecated
                #[inline]
                pub fn #name(mut self, value: #arg) -> Self {
                    self.#name = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let ty = uses.ty(&body.ty);
        if body.required {
            fields.push(quote!(body: #ty));
            new_args.push(quote!(body: #ty));
            new_inits.push(quote!(body));
        } else {
            fields.push(quote!(body: Option<#ty>));
            new_inits.push(quote!(body: None));
            let docs = doc_attrs(&or_else(body.description.as_deref(), || "The request body.".into()));
            let (arg, value) = argument_type(&body.ty, api, &mut uses, &format_ident!("value"));
            setters.push(quote! {
                #docs
                #[inline]
                pub fn body(mut self, value: #arg) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }

    let path = path_code(op);
    let op_id = &op.api_name;
    let path_template = &op.path;
    let params_code: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !matches!(p.location, ParamLocation::Path | ParamLocation::Part))
        .map(|p| param_code(api, p))
        .collect();
    // A multipart body's fields.
    let parts: Vec<TokenStream> = op.params.iter().filter(|p| p.location == ParamLocation::Part).map(|p| param_code(api, p)).collect();
    let form_code = if parts.is_empty() {
        quote!()
    } else {
        quote! {
            let mut form = runtime::Multipart::default();
            #(#parts)*
            request.multipart_body(form);
        }
    };
    let body_code = match &op.body {
        Some(b) => {
            let mt = &b.media_type;
            let write = |reference: TokenStream| match b.encoding {
                Encoding::Json => quote!(request.json_body(#mt, #reference)?;),
                Encoding::Form => {
                    let fields = form_fields(&b.form_fields);
                    quote!(request.form_body(#mt, #reference, &[#(#fields),*])?;)
                }
                Encoding::Text => quote!(request.text_body(#mt, #reference);),
                Encoding::Bytes => quote!(request.upload_body(#mt, #reference);),
                // Its fields are parameters.
                Encoding::Multipart => quote!(),
            };
            if b.required {
                write(quote!(&self.body))
            } else {
                let inner = write(quote!(body));
                quote!(if let Some(body) = &self.body { #inner })
            }
        }
        None => quote!(),
    };
    let accept = accept_header(op);
    let success = success(op);
    let streams = matches!(success, Success::One(TypeRef::Bytes));
    let request_binding = if accept.is_some() || !params_code.is_empty() || op.body.is_some() || !parts.is_empty() || streams {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let mut accept_code = match accept {
        Some(a) => quote!(request.accept = Some(#a);),
        None => quote!(),
    };
    if streams {
        // The reply's body is the caller's to read, as it arrives.
        accept_code.extend(quote!(request.stream_reply = true;));
    }

    // Success type and the match arms that decode each documented status.
    let success_enum_name = ident(&op.response_name);
    let (ok_ty, success_enum) = match &success {
        Success::Empty => (quote!(()), quote!()),
        Success::One(TypeRef::Bytes) => (quote!(crate::ByteStream), quote!()),
        Success::One(ty) => (uses.ty(ty), quote!()),
        Success::Several(responses) => {
            let variants = responses.iter().map(|r| {
                let v = ident(&r.variant_name);
                let docs = doc_attrs(&response_doc(r));
                match &r.body {
                    Some(b) => {
                        let t = uses.ty(&b.ty);
                        quote!(#docs #v(#t),)
                    }
                    None => quote!(#docs #v,),
                }
            });
            let docs = doc_attrs(&format!("Successful replies of {}, by status.", method_link(&op.rust_name)));
            (
                quote!(#success_enum_name),
                quote! {
                    #docs
                    #[derive(Clone, Debug, PartialEq)]
                    #[non_exhaustive]
                    pub enum #success_enum_name { #(#variants)* }
                },
            )
        }
    };
    let error_variants = op.responses.iter().filter(|r| !r.success).map(|r| {
        let v = ident(&r.variant_name);
        let docs = doc_attrs(&response_doc(r));
        match &r.body {
            Some(b) => {
                let t = uses.ty(&b.ty);
                quote!(#docs #v(#t),)
            }
            None => quote!(#docs #v,),
        }
    }).collect::<Vec<_>>();
    let arms = dispatch_arms(op, &success, &success_enum_name, &error_enum);
    let has_catch_all = op.responses.iter().any(|r| r.status == StatusMatch::Default);
    // One catch-all arm needs no match at all.
    let dispatch = if op.responses.len() == 1 && has_catch_all {
        let only = &op.responses[0];
        response_handling(only, &success, &success_enum_name, &error_enum)
    } else {
        quote!(match response.status() { #(#arms)* })
    };

    let summary = match op.summary.as_deref() {
        Some(s) => line(s),
        None => code(&op.api_name),
    };
    let request = code(&format!("{} {}", op.method.as_str(), op.path));
    let builder_doc = doc_attrs(&format!(
        "Request builder for {}: {summary}\n\nSet optional parameters with its methods, then call [`send`](Self::send).",
        method_link(&op.rust_name)
    ));
    let error_doc = doc_attrs(&format!(
        "Documented error replies of {}, one variant per status.",
        method_link(&op.rust_name)
    ));
    let send_doc = doc_attrs(&format!("Sends {request} and decodes the reply."));
    let module_doc = format!(" {request}: {summary}");

    let (pagination, poll_method) = (pagination_code(op, &builder, &error_enum, &mut uses), poll_code(op, &error_enum, &mut uses));
    let stream_import = if op.pagination.is_some() { quote!(use futures_util::Stream;) } else { quote!() };
    let runtime_extra = if op.poll.is_some() { quote!(, PollError, PollOptions) } else { quote!() };
    let extra_imports = match &op.poll {
        Some(poll) => {
            let target_error = ident(&poll.operation_error);
            quote!(use crate::operations::#target_error;)
        }
        None => quote!(),
    };
    let named_imports = named_imports(&uses);
    let std_imports = uses.std_imports();
    quote! {
        #![doc = #module_doc]
        #std_imports
        use std::future::Future;
        use std::time::Duration;
        #stream_import
        use reqwest::Method;
        #named_imports
        #extra_imports
        use crate::runtime::{self, ApiResponse, Error, Request, RequestOptions, RetryPolicy #runtime_extra};
        use crate::Client;

        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a Client,
            options: RequestOptions,
            #(#fields,)*
        }

        impl<'a> #builder<'a> {
            #[inline]
            pub(crate) fn new(client: &'a Client, #(#new_args),*) -> Self {
                #builder { client, options: RequestOptions::default(), #(#new_inits),* }
            }

            #(#setters)*

            /// Retries this request by `policy` instead of the client's policy.
            #[inline]
            pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Limits each attempt of this request to `timeout` instead of the client's timeout.
            #[inline]
            pub fn with_timeout(mut self, timeout: Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Limits all attempts of this request together, waits between them
            /// included, to `deadline` instead of the client's deadline. A retry
            /// that would start after it is not made; an attempt is cut short at
            /// it, and fails with [`Error::Timeout`](crate::Error::Timeout).
            #[inline]
            pub fn with_deadline(mut self, deadline: Duration) -> Self {
                self.options.deadline = Some(deadline);
                self
            }

            /// Sends the header `name: value` with this request (an idempotency
            /// key, a correlation id, an API version), in place of a header of
            /// that name the client would send. A name or value that is not
            /// valid (a line break in the value), or a header that frames the
            /// request (`Host`, `Content-Length`, `Transfer-Encoding`,
            /// `Connection`), fails the request with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest), unsent.
            #[inline]
            pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            /// The request [`send`](Self::send) sends, built from the
            /// parameters as set.
            #[inline]
            pub(crate) fn build_request(&self) -> Result<Request, runtime::SendError> {
                #path
                #request_binding = Request::new(#op_id, Method::#method, #path_template, path);
                #accept_code
                #(#params_code)*
                #body_code
                #form_code
                Ok(request)
            }

            #send_doc
            #[inline]
            pub fn send(self) -> impl Future<Output = Result<ApiResponse<#ok_ty>, Error<#error_enum>>> + 'a {
                runtime::call(self.client.config(), self.build_request(), self.options, decode)
            }

            #poll_method
        }

        /// The reply, by status. Not `async`: the one `async` function of
        /// every operation is the runtime's `call`, which is made only in
        /// an application that sends the operation.
        #[inline]
        fn decode(response: runtime::RawResponse) -> Result<ApiResponse<#ok_ty>, Error<#error_enum>> {
            #dispatch
        }

        #pagination

        #success_enum

        #error_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #error_enum { #(#error_variants)* }
    }
}

pub fn named_imports(uses: &Uses) -> TokenStream {
    let (qualified, imported): (Vec<&String>, Vec<&String>) =
        uses.named.iter().partition(|n| uses.is_qualified(n));
    let mut out = TokenStream::new();
    if !imported.is_empty() {
        let names = imported.iter().map(|n| ident(n));
        out.extend(quote!(use crate::types::{#(#names),*};));
    }
    if !qualified.is_empty() {
        out.extend(quote!(use crate::types;));
    }
    out
}

/// Statements that build `path`, each parameter percent-encoded into its
/// segment. Plain calls rather than `format!`, so the output formats well.
fn path_code(op: &Operation) -> TokenStream {
    let mut parts = op.path_parts.iter();
    let first = match parts.next() {
        Some(PathPart::Literal(text)) => quote!(let mut path = String::from(#text);),
        Some(PathPart::Param(i)) => {
            let value = segment(&op.params[*i]);
            quote!(let mut path = String::from("/"); path.push_str(&#value);)
        }
        None => quote!(let path = String::new();),
    };
    let rest = parts.map(|part| match part {
        PathPart::Literal(text) => quote!(path.push_str(#text);),
        PathPart::Param(i) => {
            let value = segment(&op.params[*i]);
            quote!(path.push_str(&#value);)
        }
    });
    let rest: Vec<_> = rest.collect();
    if rest.is_empty() && !matches!(op.path_parts.first(), Some(PathPart::Param(_))) {
        // Nothing is appended, so `path` need not be mutable.
        let text = match op.path_parts.first() {
            Some(PathPart::Literal(t)) => t.clone(),
            _ => String::new(),
        };
        return quote!(let path = String::from(#text););
    }
    quote!(#first #(#rest)*)
}

fn segment(p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    match &p.ty {
        TypeRef::Array(_) => quote!(runtime::encode_segment(&runtime::join_simple(&self.#name))),
        _ => quote!(runtime::encode_segment(&self.#name)),
    }
}

/// Whether values of `ty` have the runtime's `ToParam`: scalars, JSON
/// values, and generated enums and unions (not structs, lists or maps).
fn has_to_param(api: &Api, ty: &TypeRef) -> bool {
    let mut ty = ty;
    // Aliases are followed in a loop: a chain of them can be long.
    for _ in 0..=api.types.len() {
        match ty {
            // `types` is sorted by name.
            TypeRef::Named(n) => match api.types.binary_search_by(|t| t.rust_name.as_str().cmp(n)).ok().map(|i| &api.types[i].kind) {
                Some(TypeKind::Enum { .. } | TypeKind::Union { .. }) => return true,
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            },
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::JsonObject | TypeRef::Bytes | TypeRef::Upload => return false,
            _ => return true,
        }
    }
    false
}

fn param_code(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.rust_name);
    let is_array = matches!(p.ty, TypeRef::Array(_));
    // A list of objects (which OpenAPI leaves undefined) goes out as JSON
    // text per item.
    // (A form writes such a list as one JSON field.)
    let as_json = p.location != ParamLocation::Part && matches!(&p.ty, TypeRef::Array(item) if !has_to_param(api, item));
    let api_types = api;
    let api = &p.api_name;
    let write = |value: TokenStream| match p.location {
        ParamLocation::Query if p.style == QueryStyle::ObjectExploded => quote!(request.query.push_object(#api, #value, false)?;),
        ParamLocation::Query if p.style == QueryStyle::DeepObject => quote!(request.query.push_object(#api, #value, true)?;),
        ParamLocation::Query if p.style == QueryStyle::ObjectComma => quote!(request.query.push_object_joined(#api, #value)?;),
        ParamLocation::Query if is_array => match p.style {
            QueryStyle::FormComma => quote!(request.query.push_joined(#api, #value, ",");),
            QueryStyle::SpaceDelimited => quote!(request.query.push_joined(#api, #value, " ");),
            QueryStyle::PipeDelimited => quote!(request.query.push_joined(#api, #value, "|");),
            _ => quote!(request.query.push_each(#api, #value);),
        },
        ParamLocation::Query => quote!(request.query.push(#api, #value);),
        ParamLocation::Cookie if is_array => quote!(request.cookies.push((#api, runtime::join_simple(#value)));),
        ParamLocation::Cookie => quote!(request.cookies.push((#api, runtime::ToParam::to_param(#value)));),
        ParamLocation::Header if is_array => quote!(request.headers.push((#api, runtime::join_simple(#value)));),
        ParamLocation::Header => quote!(request.headers.push((#api, runtime::ToParam::to_param(#value)));),
        ParamLocation::Path => quote!(),
        ParamLocation::Part => {
            let content_type = match &p.content_type {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            match &p.ty {
                TypeRef::Upload => quote!(form.file(#api, #value, #content_type);),
                TypeRef::Array(item) if **item == TypeRef::Upload => quote!(form.file_each(#api, #value, #content_type);),
                TypeRef::Array(item) if has_to_param(api_types, item) => quote!(form.text_each(#api, #value, #content_type);),
                ty if !matches!(ty, TypeRef::Array(_)) && has_to_param(api_types, ty) => quote!(form.text(#api, #value, #content_type);),
                _ => quote!(form.json(#api, #value, #content_type)?;),
            }
        }
    };
    let write = |value: TokenStream| {
        if as_json {
            let inner = write(quote!(&items));
            quote! {
                let items = runtime::json_values(#value)?;
                #inner
            }
        } else {
            write(value)
        }
    };
    if p.required {
        write(quote!(&self.#name))
    } else {
        let inner = write(quote!(value));
        quote!(if let Some(value) = &self.#name { #inner })
    }
}

/// Every media type the operation can answer with, successes first.
pub fn accept_header(op: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    let ordered = op.responses.iter().filter(|r| r.success).chain(op.responses.iter().filter(|r| !r.success));
    for media_type in ordered.flat_map(|r| &r.media_types) {
        if !types.contains(&media_type.as_str()) {
            types.push(media_type);
        }
    }
    if types.is_empty() {
        None
    } else {
        Some(types.join(", "))
    }
}

pub fn param_doc(p: &Param) -> String {
    let mut text = or_else(p.description.as_deref(), || {
        let place = match p.location {
            ParamLocation::Path => "path parameter",
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Part => "form field",
        };
        format!("The {} {place}: {}.", code(&p.api_name), super::escape::kind_phrase(&p.ty))
    });
    if let Some(default) = &p.default {
        text.push_str(&format!("\n\nThe server's default: {}.", code(default)));
    }
    text
}

fn response_doc(r: &Response) -> String {
    let status = match r.status {
        StatusMatch::Code(c) => format!("Status {c}"),
        StatusMatch::Range(d) => format!("Any {d}xx status"),
        StatusMatch::Default => "Any other status".to_string(),
    };
    let description = prose(&r.description);
    if description.is_empty() {
        format!("{status}.")
    } else {
        format!("{status}: {description}")
    }
}

/// `into_pages` and `into_items`, and the `Paginated` impl behind them.
fn pagination_code(op: &Operation, builder: &proc_macro2::Ident, error_enum: &proc_macro2::Ident, uses: &mut Uses) -> TokenStream {
    let Some(p) = &op.pagination else { return quote!() };
    let page = uses.ty(&p.page_ty);
    let item = uses.ty(&p.item_ty);
    let cursor_field = ident(&op.params[p.cursor_param].rust_name);
    let cursor_name = &op.params[p.cursor_param].api_name;
    let next_cursor = match &p.next {
        crate::ir::NextPage::Cursor(path) => {
            let value = super::field_path::by_ref(quote!(page), path);
            quote!(#value.cloned())
        }
        crate::ir::NextPage::Link(path) => {
            let value = super::field_path::by_ref(quote!(page), path);
            quote!(#value.and_then(|url| runtime::query_value(url, #cursor_name)))
        }
    };
    let items = super::field_path::by_value(quote!(page), &p.items);
    let (how, pointer) = match &p.next {
        crate::ir::NextPage::Cursor(path) => ("the cursor at", &path.pointer),
        crate::ir::NextPage::Link(path) => ("the cursor parameter of the link at", &path.pointer),
    };
    let pages_doc = doc_attrs(&format!(
        "Every page, from this request on: each next request sets {} to {how} {} in the reply. \
         Stops after a page without one, or at the first error, which is the stream's last item; a cursor the server \
         gives a second time ends it with [`Error::RepeatedCursor`](crate::Error::RepeatedCursor). \
         `.take(n)` stops after `n` pages.",
        code(cursor_name),
        code(pointer)
    ));
    let items_doc = doc_attrs(&format!("Every item ({}) of every page; see [`into_pages`](Self::into_pages).", code(&p.items.pointer)));
    quote! {
        impl<'a> #builder<'a> {
            #pages_doc
            #[inline]
            pub fn into_pages(self) -> impl Stream<Item = Result<ApiResponse<#page>, Error<#error_enum>>> + 'a {
                runtime::pages(self)
            }

            #items_doc
            #[inline]
            pub fn into_items(self) -> impl Stream<Item = Result<#item, Error<#error_enum>>> + 'a {
                runtime::items(self)
            }
        }

        impl runtime::Paginated for #builder<'_> {
            type Page = #page;
            type Item = #item;
            type Error = #error_enum;

            #[inline]
            async fn send_page(self) -> Result<ApiResponse<#page>, Error<#error_enum>> {
                self.send().await
            }

            #[inline]
            fn next_cursor(page: &#page) -> Option<String> {
                #next_cursor
            }

            #[inline]
            fn with_cursor(mut self, cursor: String) -> Self {
                self.#cursor_field = Some(cursor);
                self
            }

            #[inline]
            fn items(page: #page) -> Vec<#item> {
                #items.unwrap_or_default()
            }
        }
    }
}

/// `send_and_poll`: submit, then poll the operation that reports the status.
fn poll_code(op: &Operation, error_enum: &proc_macro2::Ident, uses: &mut Uses) -> TokenStream {
    let Some(poll) = &op.poll else { return quote!() };
    let result = uses.ty(&poll.result_ty);
    let target = ident(&poll.operation);
    let target_error = ident(&poll.operation_error);
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut args = Vec::new();
    for (i, arg) in poll.args.iter().enumerate() {
        let var = format_ident!("arg{}", i);
        match arg {
            crate::ir::PollArg::RequestParam(index) => {
                let field = ident(&op.params[*index].rust_name);
                before.push(quote!(let #var = self.#field.clone();));
            }
            crate::ir::PollArg::ResponseBody(path) => {
                let value = super::field_path::by_ref(quote!(submitted.body()), path);
                let pointer = &path.pointer;
                after.push(quote!(let #var = #value.cloned().ok_or(PollError::MissingId(#pointer))?;));
            }
        }
        args.push(quote!(#var.clone()));
    }
    let status = super::field_path::by_ref(quote!(body), &poll.status);
    let done = &poll.done;
    let failed = &poll.failed;
    let docs = doc_attrs(&format!(
        "Sends this request, then calls {} with growing waits until {} is {} (success) or {} (failure), \
         or `options`' deadline passes.",
        method_link(&poll.operation),
        code(&poll.status.pointer),
        poll.done.iter().map(|d| code(d)).collect::<Vec<_>>().join(" or "),
        if poll.failed.is_empty() { "never".to_string() } else { poll.failed.iter().map(|d| code(d)).collect::<Vec<_>>().join(" or ") },
    ));
    quote! {
        #docs
        #[inline]
        pub async fn send_and_poll(
            self,
            options: PollOptions,
        ) -> Result<ApiResponse<#result>, PollError<#error_enum, #target_error, #result>> {
            let client = self.client;
            #(#before)*
            let submitted = self.send().await.map_err(PollError::Submit)?;
            #(#after)*
            runtime::poll(
                &options,
                || client.#target(#(#args),*).send(),
                |body| runtime::poll_state(#status.map(|s| s.as_str()), &[#(#done),*], &[#(#failed),*]),
            )
            .await
        }
    }
}

/// How one documented response is decoded: by its encoding, into the success
/// type (or its variant of the success enum) or the operation's error enum.
/// The pattern of a status match.
fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(d) => {
            let lo = Literal::u16_unsuffixed(d as u16 * 100);
            let hi = Literal::u16_unsuffixed(d as u16 * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// Whether some status matches both.
fn overlap(a: StatusMatch, b: StatusMatch) -> bool {
    match (a, b) {
        (StatusMatch::Default, _) | (_, StatusMatch::Default) => true,
        (StatusMatch::Code(x), StatusMatch::Code(y)) => x == y,
        (StatusMatch::Range(d), StatusMatch::Range(e)) => d == e,
        (StatusMatch::Code(c), StatusMatch::Range(d)) | (StatusMatch::Range(d), StatusMatch::Code(c)) => c / 100 == u16::from(d),
    }
}

/// The arms of the match on a reply's status. Documented errors whose bodies
/// decode the same way share one arm, which decodes once and picks the
/// variant by status: one decoding routine per body type instead of one per
/// status. A member joins its group's arm (at the group's last place) only
/// when no arm left in between could take one of its statuses, so every
/// status still reaches the response it did.
fn dispatch_arms(op: &Operation, success: &Success<'_>, success_enum: &proc_macro2::Ident, error_enum: &proc_macro2::Ident) -> Vec<TokenStream> {
    let key = |r: &Response| r.body.as_ref().filter(|_| !r.success).map(|b| (b.encoding, b.ty.clone()));
    let n = op.responses.len();
    // For each response, the index of the arm that handles it.
    let mut home: Vec<usize> = (0..n).collect();
    for (i, r) in op.responses.iter().enumerate() {
        let Some(k) = key(r) else { continue };
        let Some(last) = (i..n).rev().find(|&j| key(&op.responses[j]).as_ref() == Some(&k)) else { continue };
        if last > i {
            home[i] = last;
        }
    }
    // A member passing a same-kind response that stays in place and could
    // take one of its statuses stays in place too; until nothing changes.
    loop {
        let stuck = (0..n).find(|&i| {
            home[i] != i && (i + 1..home[i]).any(|j| home[j] != home[i] && overlap(op.responses[j].status, op.responses[i].status))
        });
        match stuck {
            Some(i) => home[i] = i,
            None => break,
        }
    }
    let mut arms = Vec::new();
    for (place, r) in op.responses.iter().enumerate() {
        let members: Vec<&Response> = (0..n).filter(|&i| home[i] == place).map(|i| &op.responses[i]).collect();
        if members.is_empty() {
            continue;
        }
        if members.len() == 1 {
            let pattern = status_pattern(r.status);
            let handling = response_handling(r, success, success_enum, error_enum);
            arms.push(quote!(#pattern => #handling,));
            continue;
        }
        let any_default = members.iter().any(|m| m.status == StatusMatch::Default);
        let patterns: Vec<TokenStream> = members.iter().map(|m| status_pattern(m.status)).collect();
        let outer = if any_default { quote!(_) } else { quote!(#(#patterns)|*) };
        let (last, rest) = members.split_last().expect("two or more");
        let inner_arms = rest.iter().map(|m| {
            let p = status_pattern(m.status);
            let v = ident(&m.variant_name);
            quote!(#p => #error_enum::#v(body),)
        });
        let last_variant = ident(&last.variant_name);
        let decode = format_ident!("api_error_{}", decoder(last));
        arms.push(quote! {
            #outer => {
                let status = response.status();
                Err(response.#decode(|body| match status {
                    #(#inner_arms)*
                    _ => #error_enum::#last_variant(body),
                }))
            }
        });
    }
    if !op.responses.iter().any(|r| r.status == StatusMatch::Default) {
        arms.push(quote!(_ => Err(response.unexpected()),));
    }
    arms
}

/// How a reply's body is read: the runtime's `json`, `text`, `bytes` or
/// `empty` (`api_error_` and the same for an error).
fn decoder(r: &Response) -> &'static str {
    match r.body.as_ref().map(|b| b.encoding) {
        None => "empty",
        Some(Encoding::Json) => "json",
        Some(Encoding::Text) => "text",
        Some(Encoding::Bytes | Encoding::Form | Encoding::Multipart) => "bytes",
    }
}

fn response_handling(
    r: &Response,
    success: &Success<'_>,
    success_enum: &proc_macro2::Ident,
    error_enum: &proc_macro2::Ident,
) -> TokenStream {
    let v = ident(&r.variant_name);
    let decode = match success {
        Success::One(TypeRef::Bytes) if r.success => format_ident!("stream"),
        _ => format_ident!("{}", decoder(r)),
    };
    if r.success {
        match (success, &r.body) {
            (Success::Several(_), Some(_)) => quote!(response.#decode().map(|r| r.map(#success_enum::#v))),
            (Success::Several(_), None) => quote!(response.empty().map(|r| r.map(|()| #success_enum::#v))),
            _ => quote!(response.#decode()),
        }
    } else if r.body.is_some() {
        let decode_error = format_ident!("api_error_{}", decoder(r));
        quote!(Err(response.#decode_error(#error_enum::#v)))
    } else {
        quote!(Err(response.api_error_empty(#error_enum::#v)))
    }
}

/// The runtime's entries of a URL-encoded form's `encoding` object.
fn form_fields(fields: &[crate::ir::FormField]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let name = &f.name;
            let style = match f.style {
                crate::ir::FormStyle::Form => quote!(Form),
                crate::ir::FormStyle::SpaceDelimited => quote!(SpaceDelimited),
                crate::ir::FormStyle::PipeDelimited => quote!(PipeDelimited),
                crate::ir::FormStyle::DeepObject => quote!(DeepObject),
            };
            let (explode, allow_reserved, json) = (f.explode, f.allow_reserved, f.json);
            quote!(runtime::FormField { name: #name, style: runtime::FormStyle::#style, explode: #explode, allow_reserved: #allow_reserved, json: #json })
        })
        .collect()
}
