//! Reading a [`FieldPath`] out of a decoded body. Leading required fields are
//! plain field accesses; from the first optional one on, an `Option` chain.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::FieldPath;

/// An expression of type `Option<&T>` for the field at `path` in `root` (a reference).
pub fn by_ref(root: TokenStream, path: &FieldPath) -> TokenStream {
    let mut direct = root;
    let mut chain: Option<TokenStream> = None;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        chain = Some(match (chain.take(), step.optional, step.boxed) {
            (None, false, false) => {
                direct = quote!(#direct.#field);
                continue;
            }
            (None, false, true) => {
                direct = quote!((*#direct.#field));
                continue;
            }
            (None, true, false) => quote!(#direct.#field.as_ref()),
            (None, true, true) => quote!(#direct.#field.as_deref()),
            (Some(c), true, false) => quote!(#c.and_then(|v| v.#field.as_ref())),
            (Some(c), true, true) => quote!(#c.and_then(|v| v.#field.as_deref())),
            (Some(c), false, false) => quote!(#c.map(|v| &v.#field)),
            (Some(c), false, true) => quote!(#c.map(|v| &*v.#field)),
        });
    }
    chain.unwrap_or_else(|| quote!(Some(&#direct)))
}

/// An expression of type `Option<T>` taking the field at `path` out of `root` (a value).
pub fn by_value(root: TokenStream, path: &FieldPath) -> TokenStream {
    let mut direct = root;
    let mut chain: Option<TokenStream> = None;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        chain = Some(match (chain.take(), step.optional, step.boxed) {
            (None, false, false) => {
                direct = quote!(#direct.#field);
                continue;
            }
            (None, false, true) => {
                direct = quote!((*#direct.#field));
                continue;
            }
            (None, true, false) => quote!(#direct.#field),
            (None, true, true) => quote!(#direct.#field.map(|b| *b)),
            (Some(c), true, false) => quote!(#c.and_then(|v| v.#field)),
            (Some(c), true, true) => quote!(#c.and_then(|v| v.#field).map(|b| *b)),
            (Some(c), false, false) => quote!(#c.map(|v| v.#field)),
            (Some(c), false, true) => quote!(#c.map(|v| *v.#field)),
        });
    }
    chain.unwrap_or_else(|| quote!(Some(#direct)))
}
