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

/// An optional field of `receiver` as an `Option` of the value (by
/// value) or of a reference to it: unboxed, and `Option<Option<_>>` flattened.
fn optional(receiver: TokenStream, step: &crate::ir::FieldStep, by_ref: bool) -> TokenStream {
    let field = ident(&step.rust_name);
    match (step.double, step.boxed, by_ref) {
        (false, false, true) => quote!(#receiver.#field.as_ref()),
        (false, true, true) => quote!(#receiver.#field.as_deref()),
        (true, false, true) => quote!(#receiver.#field.as_ref().and_then(|o| o.as_ref())),
        (true, true, true) => quote!(#receiver.#field.as_ref().and_then(|o| o.as_deref())),
        (false, false, false) => quote!(#receiver.#field),
        (false, true, false) => quote!(#receiver.#field.map(|b| *b)),
        (true, false, false) => quote!(#receiver.#field.flatten()),
        (true, true, false) => quote!(#receiver.#field.flatten().map(|b| *b)),
    }
}

fn read(root: TokenStream, path: &FieldPath, by_ref: bool) -> TokenStream {
    let mut direct = root;
    let mut chain: Option<TokenStream> = None;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        let Some(c) = chain.take() else {
            match (step.optional, step.boxed) {
                (false, false) => direct = quote!(#direct.#field),
                (false, true) => direct = quote!((*#direct.#field)),
                (true, _) => chain = Some(optional(direct.clone(), step, by_ref)),
            }
            continue;
        };
        chain = Some(match (step.optional, step.boxed, by_ref) {
            (true, _, _) => {
                let inner = optional(quote!(v), step, by_ref);
                quote!(#c.and_then(|v| #inner))
            }
            (false, false, true) => quote!(#c.map(|v| &v.#field)),
            (false, true, true) => quote!(#c.map(|v| &*v.#field)),
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
