//! `#[cfg]` attributes for the crate's features: an operation compiles with
//! its feature, a type with any feature that uses it.

use proc_macro2::TokenStream;
use quote::quote;

/// The attribute that compiles an item only with one of `features`; nothing
/// for an item always compiled.
pub fn cfg(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The attribute for an operation's items.
pub fn operation(op: &crate::ir::Operation) -> TokenStream {
    cfg(op.feature.as_slice())
}

/// Files whose items are gated one by one import what only some of them
/// use; under a partial set of features an import can go unused.
pub fn allow_unused_imports(api: &crate::ir::Api) -> TokenStream {
    if api.features.is_empty() {
        quote!()
    } else {
        quote!(#![allow(unused_imports)])
    }
}
