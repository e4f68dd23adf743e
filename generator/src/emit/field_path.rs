//! Reading a [`FieldPath`] out of a decoded body. Leading required fields are
//! plain field accesses; from the first optional one on, an `Option` chain.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::FieldPath;

/// An expression of type `Option<&T>` for the field at `path` in `root` (a reference).
pub fn by_ref(root: TokenStream, path: &FieldPath) -> TokenStream {
    read(root, path, true)
}

/// An expression of type `Option<T>` taking the field at `path` out of `root` (a value).
pub fn by_value(root: TokenStream, path: &FieldPath) -> TokenStream {
    read(root, path, false)
}

fn read(root: TokenStream, path: &FieldPath, by_ref: bool) -> TokenStream {
    let mut direct = root;
    let mut chain: Option<TokenStream> = None;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        let Some(c) = chain.take() else {
            match (step.optional, step.boxed, by_ref) {
                (false, false, _) => direct = quote!(#direct.#field),
                (false, true, _) => direct = quote!((*#direct.#field)),
                (true, false, true) => chain = Some(quote!(#direct.#field.as_ref())),
                (true, true, true) => chain = Some(quote!(#direct.#field.as_deref())),
                (true, false, false) => chain = Some(quote!(#direct.#field)),
                (true, true, false) => chain = Some(quote!(#direct.#field.map(|b| *b))),
            }
            continue;
        };
        chain = Some(match (step.optional, step.boxed, by_ref) {
            (true, false, true) => quote!(#c.and_then(|v| v.#field.as_ref())),
            (true, true, true) => quote!(#c.and_then(|v| v.#field.as_deref())),
            (false, false, true) => quote!(#c.map(|v| &v.#field)),
            (false, true, true) => quote!(#c.map(|v| &*v.#field)),
            (true, false, false) => quote!(#c.and_then(|v| v.#field)),
            (true, true, false) => quote!(#c.and_then(|v| v.#field).map(|b| *b)),
            (false, false, false) => quote!(#c.map(|v| v.#field)),
            (false, true, false) => quote!(#c.map(|v| *v.#field)),
        });
    }
    match (chain, by_ref) {
        (Some(c), _) => c,
        (None, true) => quote!(Some(&#direct)),
        (None, false) => quote!(Some(#direct)),
    }
}
