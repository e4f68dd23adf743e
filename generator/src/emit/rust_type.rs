//! IR types to Rust type tokens, recording which imports a file needs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::TypeRef;

/// Names a generated file refers to, so it imports exactly those.
#[derive(Default)]
pub struct Uses {
    pub date_time: bool,
    pub date: bool,
    pub value: bool,
    pub json_map: bool,
    pub btree_map: bool,
    /// Named types of the `types` module.
    pub named: BTreeSet<String>,
    /// Named types to write as `types::Name` because the file has another
    /// item of that name in scope.
    pub qualify: BTreeSet<String>,
}

impl Uses {
    /// For a file that has `in_scope` and every operation's own types in scope.
    pub fn qualifying(api: &crate::ir::Api, in_scope: &[&str]) -> Self {
        let mut qualify: BTreeSet<String> = in_scope.iter().map(|s| s.to_string()).collect();
        for op in &api.operations {
            qualify.insert(op.type_name.clone());
            qualify.insert(format!("{}Error", op.type_name));
            qualify.insert(format!("{}Response", op.type_name));
        }
        Uses { qualify, ..Uses::default() }
    }

    /// The Rust type for `ty`.
    pub fn ty(&mut self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String),
            TypeRef::Bool => quote!(bool),
            TypeRef::I32 => quote!(i32),
            TypeRef::I64 => quote!(i64),
            TypeRef::F32 => quote!(f32),
            TypeRef::F64 => quote!(f64),
            TypeRef::DateTime => {
                self.date_time = true;
                quote!(DateTime<Utc>)
            }
            TypeRef::Date => {
                self.date = true;
                quote!(NaiveDate)
            }
            TypeRef::Json => {
                self.value = true;
                quote!(Value)
            }
            TypeRef::JsonObject => {
                self.value = true;
                self.json_map = true;
                quote!(Map<String, Value>)
            }
            TypeRef::Bytes => quote!(Vec<u8>),
            TypeRef::Named(name) => {
                self.named.insert(name.clone());
                let id = ident(name);
                if self.qualify.contains(name) {
                    quote!(types::#id)
                } else {
                    quote!(#id)
                }
            }
            TypeRef::Array(item) => {
                let item = self.ty(item);
                quote!(Vec<#item>)
            }
            TypeRef::Map(value) => {
                self.btree_map = true;
                let value = self.ty(value);
                quote!(BTreeMap<String, #value>)
            }
        }
    }

    /// `use` items for everything recorded except named types.
    pub fn std_imports(&self) -> TokenStream {
        let mut out = TokenStream::new();
        if self.btree_map {
            out.extend(quote!(use std::collections::BTreeMap;));
        }
        match (self.date_time, self.date) {
            (true, true) => out.extend(quote!(use chrono::{DateTime, NaiveDate, Utc};)),
            (true, false) => out.extend(quote!(use chrono::{DateTime, Utc};)),
            (false, true) => out.extend(quote!(use chrono::NaiveDate;)),
            (false, false) => {}
        }
        match (self.json_map, self.value) {
            (true, _) => out.extend(quote!(use serde_json::{Map, Value};)),
            (false, true) => out.extend(quote!(use serde_json::Value;)),
            (false, false) => {}
        }
        out
    }
}
