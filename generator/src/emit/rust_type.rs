//! IR types to Rust type tokens, recording which imports a file needs.

use std::collections::BTreeSet;
use std::sync::Arc;

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
    /// item of that name in scope: the file's own names...
    pub qualify: BTreeSet<String>,
    /// ...and every operation's types, shared by all files of a crate.
    pub operation_names: Arc<BTreeSet<String>>,
    /// Every named type is written `types::Name`: in a file whose items
    /// are gated by feature, so that no import names a type left out.
    pub qualify_all: bool,
}

impl Uses {
    /// The names of every operation's own types, built once per crate.
    pub fn operation_names(api: &crate::ir::Api) -> Arc<BTreeSet<String>> {
        let mut names = BTreeSet::new();
        for op in &api.operations {
            names.insert(op.type_name.clone());
            names.insert(op.error_name.clone());
            names.insert(op.response_name.clone());
        }
        Arc::new(names)
    }

    /// For a file that has `in_scope` and every operation's own types in scope.
    pub fn qualifying(operation_names: &Arc<BTreeSet<String>>, in_scope: &[&str]) -> Self {
        let qualify = in_scope.iter().map(|s| s.to_string()).collect();
        Uses { qualify, operation_names: operation_names.clone(), ..Uses::default() }
    }

    /// Adds the imports another part of the same file needs.
    pub fn merge(&mut self, other: Uses) {
        self.date_time |= other.date_time;
        self.date |= other.date;
        self.value |= other.value;
        self.json_map |= other.json_map;
        self.btree_map |= other.btree_map;
        self.named.extend(other.named);
        self.qualify.extend(other.qualify);
    }

    /// Whether `name` must be written as `types::name` in this file.
    pub fn is_qualified(&self, name: &str) -> bool {
        self.qualify_all || self.qualify.contains(name) || self.operation_names.contains(name)
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
            TypeRef::Upload => quote!(crate::Upload),
            TypeRef::Named(name) => {
                self.named.insert(name.clone());
                let id = ident(name);
                if self.is_qualified(name) {
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
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
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
