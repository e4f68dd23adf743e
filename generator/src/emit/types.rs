//! The `types` module: one struct, enum or alias per named type.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::escape::{code, doc_attrs, method_link, or_else};
use super::rust_type::Uses;
use crate::ident::ident;
use crate::ir::{Api, Field, StatusMatch, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};

/// What a run of type definitions needs imported.
#[derive(Default)]
pub struct TypesNeeds {
    uses: Uses,
    has_enum: bool,
    has_union: bool,
    /// A union that is sent, so it implements `ToParam`.
    has_sent_union: bool,
}

impl TypesNeeds {
    /// Adds what another run needs.
    pub fn merge(&mut self, other: TypesNeeds) {
        self.uses.merge(other.uses);
        self.has_enum |= other.has_enum;
        self.has_union |= other.has_union;
        self.has_sent_union |= other.has_sent_union;
    }
}

/// The items of the `types` module for `defs`, a run of `api.types`. The
/// module is made of runs so that they can be formatted in parallel; its
/// imports come last, from what all runs need ([`types_header`]).
pub fn types_items(defs: &[&TypeDef], defaults: &BTreeSet<String>, places: &Places) -> (TokenStream, TypesNeeds) {
    let mut needs = TypesNeeds::default();
    let mut items = TokenStream::new();
    for def in defs {
        let gate = type_gate(def);
        items.extend(match &def.kind {
            TypeKind::Struct { fields } => {
                struct_def(def, fields, defaults.contains(&def.rust_name), &mut needs.uses, places)
            }
            TypeKind::Enum { variants } => {
                needs.has_enum = true;
                enum_def(def, variants, places, &gate)
            }
            TypeKind::Alias(target) => {
                let name = ident(&def.rust_name);
                let docs = doc_attrs(&type_doc(def, places));
                let target = needs.uses.ty(target);
                quote! { #docs #gate pub type #name = #target; }
            }
            TypeKind::Union { variants, discriminator } => {
                needs.has_union = true;
                needs.has_sent_union |= def.reach.sent;
                union_def(def, variants, discriminator.as_deref(), &mut needs.uses, places)
            }
        });
    }
    (items, needs)
}

/// The module doc and imports of the `types` module.
pub fn types_header(mut needs: TypesNeeds, allow_unused: TokenStream, modules: &[&crate::ir::Feature]) -> TokenStream {
    if needs.has_union {
        // Unions keep unknown values as JSON.
        needs.uses.value = true;
    }
    let std_imports = needs.uses.std_imports();
    // Structs and unions derive by path; the enums' own impls import.
    let serde_import = if needs.has_enum { quote!(use serde::{Deserialize, Serialize};) } else { quote!() };
    let enum_imports = if needs.has_enum {
        quote! {
            use std::fmt;
            use serde::{Deserializer, Serializer};
        }
    } else {
        quote!()
    };
    // A feature's own types are in a module of their own, seen from here.
    let submodules = modules.iter().map(|f| {
        let module = ident(&f.module);
        let name = &f.name;
        quote! {
            #[cfg(feature = #name)]
            mod #module;
            #[cfg(feature = #name)]
            pub use #module::*;
        }
    });
    let enum_imports =
        if needs.has_enum || needs.has_sent_union { quote!(#enum_imports use crate::runtime::ToParam;) } else { enum_imports };
    quote! {
        //! Models: the request and response bodies and the enums they use.
        #allow_unused
        #std_imports
        #enum_imports
        #serde_import
        #(#submodules)*
    }
}

/// The head of the file of a feature's own types: its module doc, and the
/// `types` module's names, imports included.
pub fn module_header(feature: &crate::ir::Feature) -> TokenStream {
    let doc = format!(" The types only the `{}` feature compiles; re-exported by [`types`](super).", feature.name);
    quote! {
        #![doc = #doc]
        #![allow(unused_imports)]
        use super::*;
    }
}

/// Where each named type is first used, in words, for the docs of a type
/// the spec does not describe.
pub type Places = BTreeMap<String, String>;

/// The first use of each named type: an operation's request body, reply or
/// parameter, else a field of another type, in spec order.
pub fn places(api: &Api) -> Places {
    let mut places = Places::new();
    let named = |ty: &TypeRef| ty.named().map(str::to_string);
    for op in &api.operations {
        let method = method_link(&op.rust_name);
        if let Some(n) = op.body.as_ref().and_then(|b| named(&b.ty)) {
            places.entry(n).or_insert_with(|| format!("The request body of {method}."));
        }
        for r in &op.responses {
            let Some(n) = r.body.as_ref().and_then(|b| named(&b.ty)) else { continue };
            let status = match r.status {
                StatusMatch::Code(c) => format!("`{c}` reply"),
                StatusMatch::Range(d) => format!("`{d}XX` replies"),
                StatusMatch::Default => "replies of undocumented statuses".to_string(),
            };
            places.entry(n).or_insert_with(|| format!("The body of {method}'s {status}."));
        }
        for p in &op.params {
            if let Some(n) = named(&p.ty) {
                places.entry(n).or_insert_with(|| format!("The {} parameter of {method}.", code(&p.api_name)));
            }
        }
    }
    for def in &api.types {
        let TypeKind::Struct { fields } = &def.kind else { continue };
        for f in fields {
            if let Some(n) = named(&f.ty) {
                // `struct@`: a type may be named like a prelude macro (`Default`).
                places.entry(n).or_insert_with(|| format!("The {} field of [`{1}`](struct@{1}).", code(&f.api_name), def.rust_name));
            }
        }
    }
    places
}

fn type_doc(def: &TypeDef, places: &Places) -> String {
    or_else(def.description.as_deref(), || match places.get(&def.rust_name) {
        Some(place) => place.clone(),
        None => format!("The spec's {} schema.", code(&def.api_name)),
    })
}

fn struct_def(def: &TypeDef, fields: &[Field], default: bool, uses: &mut Uses, places: &Places) -> TokenStream {
    let name = ident(&def.rust_name);
    let docs = doc_attrs(&type_doc(def, places));
    let gate = type_gate(def);
    // Decoding is the runtime's `Object`, not serde's derive: see
    // `deserialize_impl`.
    let serde = Serde::of(def, false);
    let (serde_derives, serde_all) = (&serde.on, serde.serde_all());
    let derive_default = if default { quote!(Default,) } else { quote!() };
    let constructor = constructor(fields, uses);
    let deserialize = deserialize_impl(def, fields, uses);
    let fields = fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let mut ty = field_type(f, uses);
        let optional = !f.required || f.nullable;
        let mut attrs = TokenStream::new();
        if f.rust_name.trim_start_matches("r#") != f.api_name && !f.rest {
            let api = &f.api_name;
            attrs.extend(serde.attr(quote!(rename = #api)));
        }
        if f.rest {
            // Its entries are members of the object itself; `None` writes none.
            attrs.extend(serde.attr(quote!(flatten)));
        } else if f.send_null {
            attrs.extend(serde.attr(quote!(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")));
        } else if !f.required {
            attrs.extend(serde.attr(quote!(default, skip_serializing_if = "Option::is_none")));
        } else if f.nullable {
            attrs.extend(serde.attr(quote!(default)));
        }
        if optional {
            ty = quote!(Option<#ty>);
        }
        if f.send_null {
            ty = quote!(Option<#ty>);
        }
        if f.deprecated {
            attrs.extend(quote!(#[deprecated]));
        }
        let mut text = or_else(f.description.as_deref(), || format!("{}: {}.", code(&f.api_name), super::escape::kind_phrase(&f.ty)));
        if f.required && f.nullable {
            text.push_str("\n\nRequired, but may be `null`.");
        }
        if f.send_null {
            text.push_str("\n\n`None` leaves it out; `Some(None)` sends `null`.");
        }
        let docs = doc_attrs(&text);
        quote! { #docs #attrs pub #fname: #ty, }
    });
    quote! {
        #docs
        #gate
        #[derive(Clone, Debug, #derive_default PartialEq, #(#serde_derives),*)]
        #serde_all
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #gate
        impl #name { #constructor }

        #deserialize
    }
}

/// `Deserialize` for a struct through the runtime's `Object`: where field
/// `i` goes and how the struct is made, with the walk of the JSON object
/// written once in the runtime. serde's derive writes seven functions per
/// struct, which were most of a huge API's compile time and memory.
/// Compiled where the struct is received, else with `serde-all`.
fn deserialize_impl(def: &TypeDef, fields: &[Field], uses: &mut Uses) -> TokenStream {
    let name = ident(&def.rust_name);
    let gate = type_gate(def);
    let only = if def.reach.received { quote!() } else { quote!(#[cfg(feature = "serde-all")]) };
    let api_name = def.rust_name.trim_start_matches("r#");
    let mut slot_types = Vec::new();
    let mut sets = Vec::new();
    let mut inits = Vec::new();
    // The map of members no field names, if the struct keeps them.
    let mut rest = None;
    for (i, f) in fields.iter().enumerate() {
        let fname = ident(&f.rust_name);
        let ty = field_type(f, uses);
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let slot = quote!(slots.#index);
        let member = &f.api_name;
        if f.rest {
            slot_types.push(quote!(Option<#ty>));
            inits.push(quote!(#fname: #slot));
            rest = Some(slot);
            continue;
        }
        // What the member's value decodes as, and how the field is made
        // from the slot: a required member must be there; `null` in a
        // member that can send it is `Some(None)`.
        let (slot_ty, set, init) = if f.send_null {
            (quote!(Option<Option<#ty>>), quote!(#slot = Some(map.next_value()?)), quote!(#slot))
        } else if f.required && !f.nullable {
            (quote!(Option<#ty>), quote!(#slot = Some(map.next_value()?)), quote!(crate::runtime::object::required(#slot, #member)?))
        } else {
            (quote!(Option<#ty>), quote!(#slot = map.next_value()?), quote!(#slot))
        };
        slot_types.push(slot_ty);
        sets.push(set);
        inits.push(quote!(#fname: #init));
    }
    let nones = fields.iter().map(|_| quote!(None));
    let members = fields.iter().filter(|f| !f.rest).map(|f| f.api_name.as_str());
    let allow = if fields.iter().any(|f| f.deprecated) { quote!(#[allow(deprecated)]) } else { quote!() };
    // A tuple of one is `(T,)`.
    let comma = if fields.len() == 1 { quote!(,) } else { quote!() };
    // One field needs no `match` (`clippy::match_single_binding`); the
    // last field takes `_`.
    let (set_fn, map_arg) = match sets.split_last() {
        None => (quote!(), quote!(_map)),
        Some((last, [])) => (quote!(#last;), quote!(map)),
        Some((last, others)) => {
            let indexes = (0..others.len()).map(proc_macro2::Literal::usize_unsuffixed);
            (quote!(match field { #(#indexes => #others,)* _ => #last, }), quote!(map))
        }
    };
    let rest_fn = match &rest {
        Some(slot) => quote! {
            const REST: bool = true;
            #[inline]
            fn rest<'de, A: serde::de::MapAccess<'de>>(slots: &mut Self::Slots, key: String, map: &mut A) -> Result<(), A::Error> {
                #slot.get_or_insert_with(Default::default).insert(key, map.next_value()?);
                Ok(())
            }
        },
        None => quote!(),
    };
    // No fields: the slots are `()`, an empty body's value.
    let slots_value = if fields.is_empty() { quote!() } else { quote!((#(#nones),* #comma)) };
    let field_arg = if sets.len() < 2 { quote!(_field) } else { quote!(field) };
    let set_slots_arg = if sets.is_empty() { quote!(_slots) } else { quote!(slots) };
    let slots_arg = if fields.is_empty() { quote!(_slots) } else { quote!(slots) };
    quote! {
        #gate
        #only
        impl<'de> serde::Deserialize<'de> for #name {
            #[inline]
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::object::deserialize(deserializer)
            }
        }

        #gate
        #only
        #allow
        impl crate::runtime::object::Object for #name {
            type Slots = (#(#slot_types),* #comma);
            const NAME: &'static str = #api_name;
            const FIELDS: &'static [&'static str] = &[#(#members),*];
            #[inline]
            fn slots() -> Self::Slots {
                #slots_value
            }
            #[inline]
            fn set<'de, A: serde::de::MapAccess<'de>>(#set_slots_arg: &mut Self::Slots, #field_arg: usize, #map_arg: &mut A) -> Result<(), A::Error> {
                #set_fn
                Ok(())
            }
            #rest_fn
            #[inline]
            fn finish<E: serde::de::Error>(#slots_arg: Self::Slots) -> Result<Self, E> {
                Ok(#name { #(#inits),* })
            }
        }
    }
}

/// The serde derives of a struct or union: `Serialize` where the type is
/// sent, a derived `Deserialize` (unless decoded by hand) where it is
/// received, the others under the `serde-all` feature (serde's derives are
/// most of a huge API's compile time).
struct Serde {
    /// Always derived.
    on: Vec<TokenStream>,
    /// Derived with `serde-all`.
    off: Vec<TokenStream>,
}

impl Serde {
    fn of(def: &TypeDef, derive_deserialize: bool) -> Self {
        let mut serde = Serde { on: Vec::new(), off: Vec::new() };
        let mut wanted = vec![(def.reach.sent, quote!(serde::Serialize))];
        if derive_deserialize {
            wanted.push((def.reach.received, quote!(serde::Deserialize)));
        }
        for (travels, derive) in wanted {
            if travels { serde.on.push(derive) } else { serde.off.push(derive) }
        }
        serde
    }

    /// The derives `serde-all` adds.
    fn serde_all(&self) -> TokenStream {
        let off = &self.off;
        if off.is_empty() { quote!() } else { quote!(#[cfg_attr(feature = "serde-all", derive(#(#off),*))]) }
    }

    /// `#[serde(args)]`, under `serde-all` too when only `serde-all` derives
    /// anything that reads it.
    fn attr(&self, args: TokenStream) -> TokenStream {
        if self.on.is_empty() { quote!(#[cfg_attr(feature = "serde-all", serde(#args))]) } else { quote!(#[serde(#args)]) }
    }
}

/// A field's type as decoded, boxed where it holds its own struct.
fn field_type(f: &Field, uses: &mut Uses) -> TokenStream {
    let ty = uses.ty(&f.ty);
    if f.boxed { quote!(Box<#ty>) } else { ty }
}

/// `new`, which takes the required fields in order and leaves the optional
/// ones `None`. The struct is `#[non_exhaustive]`, so a field the spec adds
/// later breaks no caller: callers build it with `new` (or `default`) and
/// set optional fields on the value.
fn constructor(fields: &[Field], uses: &mut Uses) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let name = ident(&f.rust_name);
        if !f.required {
            inits.push(quote!(#name: None));
            continue;
        }
        let ty = uses.ty(&f.ty);
        // `None` where the argument is the value: shorthand then
        // (`clippy::redundant_field_names`).
        let (arg, value) = match (&f.ty, f.nullable, f.boxed) {
            (_, true, true) => (quote!(Option<#ty>), Some(quote!(#name.map(Box::new)))),
            (_, true, false) => (quote!(Option<#ty>), None),
            (TypeRef::String, false, _) => (quote!(impl Into<String>), Some(quote!(#name.into()))),
            (_, false, true) => (ty, Some(quote!(Box::new(#name)))),
            (_, false, false) => (ty, None),
        };
        args.push(quote!(#name: #arg));
        inits.push(match value {
            Some(value) => quote!(#name: #value),
            None => quote!(#name),
        });
    }
    let mut allows = Vec::new();
    if args.len() > 7 {
        allows.push(quote!(clippy::too_many_arguments));
    }
    if fields.iter().any(|f| f.deprecated) {
        allows.push(quote!(deprecated));
    }
    let allow = if allows.is_empty() { quote!() } else { quote!(#[allow(#(#allows),*)]) };
    quote! {
        /// Makes a value from the required fields, in the spec's order; the
        /// optional fields start as `None`, to be set on the value.
        #[inline]
        #allow
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn enum_def(def: &TypeDef, variants: &[Variant], places: &Places, gate: &TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(crate::reserved::CATCH_ALL);
    let docs = doc_attrs(&format!(
        "{}\n\nValues this client does not know decode into `{}` instead of failing.",
        type_doc(def, places),
        crate::reserved::CATCH_ALL
    ));
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.api_name.as_str()).collect();
    let variant_docs = values.iter().map(|v| doc_attrs(&code(v)));
    quote! {
        #docs
        #gate
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the client does not know, kept as sent.
            #unknown(String),
        }

        #gate
        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::#unknown(value) => value,
                }
            }
        }

        #gate
        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    other => #name::#unknown(other.to_string()),
                }
            }
        }

        #gate
        impl From<String> for #name {
            #[inline]
            fn from(value: String) -> Self {
                #name::from(value.as_str())
            }
        }

        #gate
        impl fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(#name::from)
            }
        }

        #gate
        impl ToParam for #name {
            #[inline]
            fn to_param(&self) -> String {
                self.as_str().to_string()
            }
        }
    }
}

/// Structs whose fields all have a default, so `Default` can be derived.
pub(super) fn types_with_default(api: &Api) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.rust_name.as_str(), t)).collect();
    let mut result = BTreeSet::new();
    // Iterate to a fixed point: a struct qualifies once all its field types do.
    loop {
        let before = result.len();
        for def in &api.types {
            if result.contains(&def.rust_name) {
                continue;
            }
            let ok = match &def.kind {
                TypeKind::Struct { fields } => fields
                    .iter()
                    .all(|f| !f.required || f.nullable || has_default(&f.ty, &by_name, &result)),
                TypeKind::Alias(t) => has_default(t, &by_name, &result),
                TypeKind::Enum { .. } | TypeKind::Union { .. } => false,
            };
            if ok {
                result.insert(def.rust_name.clone());
            }
        }
        if result.len() == before {
            return result;
        }
    }
}

fn has_default(ty: &TypeRef, by_name: &BTreeMap<&str, &TypeDef>, known: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(n) => known.contains(n) && by_name.contains_key(n.as_str()),
        _ => true,
    }
}

/// A union: untagged alternatives tried in order, or dispatched on a
/// discriminator property; anything else is kept as JSON in `Unknown`.
fn union_def(
    def: &TypeDef,
    variants: &[UnionVariant],
    discriminator: Option<&str>,
    uses: &mut Uses,
    places: &Places,
) -> TokenStream {
    let name = ident(&def.rust_name);
    let gate = type_gate(def);
    let how = match discriminator {
        Some(tag) => format!("Which alternative is chosen by the {} property; a value of another kind is kept in `Unknown`.", code(tag)),
        None => "The first alternative the value decodes as is chosen; a value of none is kept in `Unknown`.".to_string(),
    };
    let docs = doc_attrs(&format!("{}\n\n{how}", type_doc(def, places)));
    let mut arms = Vec::new();
    let decls: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let vname = ident(&v.rust_name);
            let mut ty = uses.ty(&v.ty);
            if v.boxed {
                ty = quote!(Box<#ty>);
            }
            let tags = &v.tags;
            let doc = if tags.is_empty() {
                format!("A `{}`.", v.rust_name)
            } else {
                format!("{} is {}.", code(discriminator.unwrap_or_default()), tags.iter().map(|t| code(t)).collect::<Vec<_>>().join(" or "))
            };
            let vdocs = doc_attrs(&doc);
            if !tags.is_empty() {
                arms.push(quote!(Some(#(#tags)|*) => serde_json::from_value(value).map(#name::#vname).map_err(D::Error::custom),));
            }
            quote!(#vdocs #vname(#ty),)
        })
        .collect();
    let other = quote! {
        /// A value of none of the documented kinds, as received.
        Unknown(Value),
    };
    // A union can be a parameter, which is sent: it is written as its JSON
    // value.
    let to_param = if def.reach.sent {
        quote! {
            #gate
            impl ToParam for #name {
                #[inline]
                fn to_param(&self) -> String {
                    serde_json::to_value(self).map(|v| v.to_param()).unwrap_or_default()
                }
            }
        }
    } else {
        quote!()
    };
    // A tagged union is dispatched by hand: no derived `Deserialize`.
    let serde = Serde::of(def, discriminator.is_none());
    let (serde_derives, serde_all, untagged) = (&serde.on, serde.serde_all(), serde.attr(quote!(untagged)));
    let deserialize = match discriminator {
        None => quote!(),
        Some(tag) => {
            let only = if def.reach.received { quote!() } else { quote!(#[cfg(feature = "serde-all")]) };
            quote! {
                #gate
                #only
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        use serde::de::Error as _;
                        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
                        match value.get(#tag).and_then(Value::as_str) {
                            #(#arms)*
                            _ => Ok(#name::Unknown(value)),
                        }
                    }
                }
            }
        }
    };
    quote! {
        #docs
        #gate
        #[derive(Clone, Debug, PartialEq, #(#serde_derives),*)]
        #serde_all
        #untagged
        #[non_exhaustive]
        pub enum #name { #(#decls)* #other }

        #deserialize
        #to_param
    }
}

/// The `cfg` of a type's items. A type that one feature alone compiles is
/// in that feature's module, whose `mod` item has the `cfg`.
fn type_gate(def: &TypeDef) -> TokenStream {
    match def.reach.features.as_slice() {
        [_] => TokenStream::new(),
        gate => super::gate::cfg(gate),
    }
}
