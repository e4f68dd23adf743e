//! Composition as real specs write it: an object's own `properties` beside
//! `allOf`, `oneOf` or `anyOf`, several of these at once, `allOf` with a
//! union part, and a base schema whose `discriminator` its subtypes extend.
//!
//! `openapiv3` reads a schema as one kind (a type, `allOf`, `oneOf`, ...)
//! and drops the keywords of every other kind, so `properties` beside
//! `allOf`, or `oneOf` beside `type: object`, never reach it. Such a schema
//! is read again here from the document's JSON, and lowered so that its
//! type holds every property the schema allows: the fields of all `allOf`
//! parts and its own merged into one struct, and a union's alternatives
//! each given those fields too. ARCHITECTURE.md tables what each
//! combination becomes.

use std::borrow::Cow;

use openapiv3::{Discriminator, ReferenceOr, Schema};
use serde_json::{Map, Value};

use super::schema::{is_annotation_only, Shape, Src};
use super::{unescape_token, Lowerer};
use crate::diagnostic::escape_token;
use crate::ident::Namespace;
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, UnionVariant};

/// How many alternatives distributing several unions over each other may
/// make before the value is kept as JSON instead.
const MAX_DISTRIBUTED: usize = 64;

/// What one part of a composed schema adds to its value.
enum Part {
    /// Members of an object.
    Fields(Vec<Field>),
    /// Alternatives, one of which the value also is.
    Sum(Vec<UnionVariant>, Option<String>),
    /// A value that is not an object (a string, a list).
    Other(TypeRef),
    /// Nothing that shapes the value (a free-form object, a map).
    Nothing,
    /// A schema still being defined that this one extends: its fields
    /// cannot be known here.
    Unresolved,
}

impl<'a> Lowerer<'a> {
    /// The shape of a schema that combines what `openapiv3` reads apart
    /// (or a base schema its subtypes extend), or `None` when the parsed
    /// schema is the whole of it.
    pub(super) fn composed(&mut self, schema: &Schema, pointer: &str, name: &str) -> Option<Shape> {
        let doc: &'a Value = self.raw;
        let raw: Cow<'_, Map<String, Value>> = match doc.pointer(pointer).and_then(Value::as_object) {
            Some(raw) => Cow::Borrowed(raw),
            // Not a place in the document: the parsed schema is all there is.
            None => Cow::Owned(serde_json::to_value(schema).ok()?.as_object()?.clone()),
        };
        let unions = ["oneOf", "anyOf"].into_iter().filter(|k| raw.get(*k).is_some_and(Value::is_array)).count();
        let all_of = raw.get("allOf").is_some_and(Value::is_array);
        if !all_of && unions == 0 {
            return self.inheritance(&raw, pointer, name);
        }
        if !all_of && unions == 1 && !has_own_object(&raw) {
            // A plain union, which `openapiv3` reads whole.
            return None;
        }
        Some(self.compose(&raw, pointer, name))
    }

    /// `allOf` parts, the schema's own object keywords and its `oneOf` /
    /// `anyOf`, lowered to one type.
    fn compose(&mut self, raw: &Map<String, Value>, pointer: &str, name: &str) -> Shape {
        let all_of = self.members(raw, "allOf", pointer);
        let unions = raw.contains_key("oneOf") || raw.contains_key("anyOf");
        let mut required = required_names(raw);
        for (i, _) in &all_of {
            if let Some(part) = raw["allOf"].get(*i).and_then(Value::as_object) {
                required.extend(required_names(part));
            }
        }
        // `allOf: [$ref]` beside annotations only is the referenced type.
        let shaping: Vec<&(usize, ReferenceOr<Schema>)> = all_of.iter().filter(|(_, p)| !is_annotation_only(p)).collect();
        if !unions && !has_own_object(raw) && required.is_empty() {
            match shaping.as_slice() {
                [] => return Shape::Type(TypeRef::Json),
                [(i, part)] => return Shape::Type(self.type_of(Src::of(part), &format!("{pointer}/allOf/{i}"), name)),
                _ => {}
            }
        }
        let mut parts = Vec::new();
        for (i, part) in shaping {
            parts.push(self.all_of_part(part, &format!("{pointer}/allOf/{i}"), name, *i));
        }
        if has_own_properties(raw) {
            parts.push(Part::Fields(self.own_fields(raw, pointer, name)));
        }
        let mut fields = Vec::new();
        for part in &mut parts {
            if let Part::Fields(f) = part {
                merge_fields(&mut fields, std::mem::take(f));
            }
        }
        for f in &mut fields {
            if required.contains(&f.api_name) {
                f.required = true;
            }
        }
        if unions {
            // Subtypes among the alternatives extend this schema: they take
            // its fields from here, as it is not done yet.
            self.base_fields.insert(name.to_string(), fields.clone());
            let discriminator = self.discriminator(raw, pointer);
            for which in ["oneOf", "anyOf"] {
                if !raw.contains_key(which) {
                    continue;
                }
                let members: Vec<ReferenceOr<Schema>> = self.members(raw, which, pointer).into_iter().map(|(_, m)| m).collect();
                match self.union(&members, discriminator.as_ref(), &format!("{pointer}/{which}"), name) {
                    Shape::Union(variants, tag) => parts.push(Part::Sum(variants, tag)),
                    Shape::Type(ty) => parts.push(self.classify(ty, name)),
                    _ => parts.push(Part::Unresolved),
                }
            }
        }
        let mut sums = Vec::new();
        let mut others: Vec<TypeRef> = Vec::new();
        for part in parts {
            match part {
                Part::Fields(f) => merge_fields(&mut fields, f),
                Part::Sum(variants, tag) => sums.push((variants, tag)),
                Part::Other(ty) => {
                    if !others.contains(&ty) {
                        others.push(ty);
                    }
                }
                Part::Nothing => {}
                Part::Unresolved => {
                    self.loss(
                        pointer,
                        "this schema extends a schema that is still being defined (the two extend each other); its value is typed as `serde_json::Value`",
                        "break the cycle: let one schema refer to the other through a property, not `allOf`",
                    );
                    return Shape::Type(TypeRef::Json);
                }
            }
        }
        if !others.is_empty() {
            if fields.is_empty() && sums.is_empty() && others.len() == 1 {
                return Shape::Type(others.remove(0));
            }
            self.loss(
                pointer,
                "this schema combines an object with a value that is not one, or values of different types; it is typed as `serde_json::Value`",
                "combine object schemas with object schemas, and use `oneOf` for values of different types",
            );
            return Shape::Type(TypeRef::Json);
        }
        if sums.is_empty() {
            if fields.is_empty() {
                return Shape::Type(TypeRef::JsonObject);
            }
            if !unions {
                self.warn_required_missing(&required, &fields, pointer);
            }
            return Shape::Struct(renamed(fields));
        }
        let (mut variants, mut tag) = sums.remove(0);
        for (more, more_tag) in sums {
            if variants.len() * more.len() > MAX_DISTRIBUTED {
                self.loss(
                    pointer,
                    format!("this schema combines unions of more than {MAX_DISTRIBUTED} alternatives in all; it is typed as `serde_json::Value`"),
                    "describe the alternatives in one `oneOf`",
                );
                return Shape::Type(TypeRef::Json);
            }
            variants = self.cross(&variants, &more, name);
            tag = tag.or(more_tag);
        }
        if !fields.is_empty() {
            for v in &mut variants {
                v.ty = self.with_fields(v, &fields, name);
            }
        }
        Shape::Union(variants, tag)
    }

    /// A base schema with a `discriminator` and no `oneOf` that other
    /// component schemas extend with `allOf`: a union of those subtypes,
    /// each of which holds the base's fields and its own. `None` when no
    /// schema extends it.
    fn inheritance(&mut self, raw: &Map<String, Value>, pointer: &str, name: &str) -> Option<Shape> {
        raw.get("discriminator")?;
        let own = unescape_token(pointer.strip_prefix("/components/schemas/").filter(|n| !n.contains('/'))?);
        let discriminator = self.discriminator(raw, pointer)?;
        let doc: &'a Value = self.raw;
        let schemas = doc.pointer("/components/schemas").and_then(Value::as_object)?;
        let component = |reference: &str| -> Option<String> {
            super::decoded_fragment(reference).strip_prefix("#/components/schemas/").filter(|n| !n.contains('/')).map(unescape_token)
        };
        // The subtypes: those the mapping names, then those that extend it.
        let mut mapping = discriminator.clone();
        let mut subtypes: Vec<String> = Vec::new();
        for target in mapping.mapping.values_mut() {
            if !target.contains('/') && schemas.contains_key(target.as_str()) {
                *target = format!("#/components/schemas/{}", escape_token(target));
            }
            if !subtypes.contains(target) && component(target).as_deref() != Some(own.as_str()) {
                subtypes.push(target.clone());
            }
        }
        for (other, schema) in schemas {
            let extends = schema.get("allOf").and_then(Value::as_array).is_some_and(|parts| {
                parts.iter().any(|p| p.get("$ref").and_then(Value::as_str).and_then(component).as_deref() == Some(own.as_str()))
            });
            if extends && *other != own && !subtypes.iter().any(|s| component(s).as_deref() == Some(other.as_str())) {
                subtypes.push(format!("#/components/schemas/{}", escape_token(other)));
            }
        }
        if subtypes.is_empty() {
            return None;
        }
        // The base's own fields first, for its subtypes to take.
        let fields = match self.compose(raw, pointer, name) {
            Shape::Struct(fields) => fields,
            Shape::Type(TypeRef::JsonObject) => Vec::new(),
            other => return Some(other),
        };
        self.base_fields.insert(name.to_string(), fields);
        let members: Vec<ReferenceOr<Schema>> = subtypes.into_iter().map(|reference| ReferenceOr::Reference { reference }).collect();
        Some(self.union(&members, Some(&mapping), pointer, name))
    }

    /// The members of a schema's `allOf`, `oneOf` or `anyOf`, with their
    /// indexes, parsed from the document's JSON.
    fn members(&mut self, raw: &Map<String, Value>, which: &str, pointer: &str) -> Vec<(usize, ReferenceOr<Schema>)> {
        let Some(items) = raw.get(which).and_then(Value::as_array) else { return Vec::new() };
        let mut members = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                Ok(member) => members.push((i, member)),
                Err(e) => self.error(&format!("{pointer}/{which}/{i}"), format!("this is not a schema: {e}"), "write a schema object or a `$ref`"),
            }
        }
        members
    }

    fn discriminator(&mut self, raw: &Map<String, Value>, pointer: &str) -> Option<Discriminator> {
        match serde_json::from_value(raw.get("discriminator")?.clone()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(&format!("{pointer}/discriminator"), format!("this is not a discriminator: {e}"), "give `propertyName` and, optionally, `mapping`");
                None
            }
        }
    }

    /// The fields of the schema's own `properties`.
    fn own_fields(&mut self, raw: &Map<String, Value>, pointer: &str, name: &str) -> Vec<Field> {
        let properties: indexmap::IndexMap<String, ReferenceOr<Box<Schema>>> =
            match serde_json::from_value(raw.get("properties").cloned().unwrap_or_default()) {
                Ok(p) => p,
                Err(e) => {
                    self.error(&format!("{pointer}/properties"), format!("these are not properties: {e}"), "map each property name to a schema");
                    return Vec::new();
                }
            };
        // Names required here that another part defines are applied once
        // the parts are merged.
        let required: Vec<String> = required_names(raw).into_iter().filter(|n| properties.contains_key(n)).collect();
        let additional = raw.get("additionalProperties").and_then(|a| serde_json::from_value(a.clone()).ok());
        match self.object(&properties, &required, additional.as_ref(), pointer, name) {
            Shape::Struct(fields) => fields,
            _ => Vec::new(),
        }
    }

    /// What one `allOf` part adds. An inline object adds its properties as
    /// the schema's own (its inline types named after the schema); any
    /// other part is lowered as a type of its own first.
    fn all_of_part(&mut self, part: &ReferenceOr<Schema>, pointer: &str, name: &str, index: usize) -> Part {
        let doc: &'a Value = self.raw;
        if let (ReferenceOr::Item(_), Some(raw)) = (part, doc.pointer(pointer).and_then(Value::as_object)) {
            let combined = ["allOf", "oneOf", "anyOf"].iter().any(|k| raw.contains_key(*k));
            if has_own_properties(raw) && !combined {
                return Part::Fields(self.own_fields(raw, pointer, name));
            }
        }
        let ty = self.type_of(Src::of(part), pointer, &format!("{name}AllOf{index}"));
        self.classify(ty, name)
    }

    /// What a lowered type adds as a part of the schema `name`.
    fn classify(&mut self, ty: TypeRef, name: &str) -> Part {
        let mut current = ty;
        // Aliases are followed a bounded number of steps (a cycle of them
        // is reported elsewhere).
        for _ in 0..32 {
            let TypeRef::Named(n) = &current else { break };
            match self.types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields }) => return Part::Fields(fields.clone()),
                Some(TypeKind::Alias(target)) => current = target.clone(),
                Some(TypeKind::Union { variants, discriminator }) => {
                    // A base whose alternatives are its subtypes, this one
                    // among them: this schema takes the base's fields.
                    let is_subtype = variants.iter().any(|v| v.ty.named() == Some(name));
                    return match self.base_fields.get(n) {
                        Some(fields) if is_subtype => Part::Fields(fields.clone()),
                        _ => Part::Sum(variants.clone(), discriminator.clone()),
                    };
                }
                Some(TypeKind::Enum { .. }) => return Part::Other(current),
                None => {
                    return match self.base_fields.get(n) {
                        Some(fields) => Part::Fields(fields.clone()),
                        None => Part::Unresolved,
                    }
                }
            }
        }
        match current {
            TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => Part::Nothing,
            TypeRef::Named(_) => Part::Unresolved,
            other => Part::Other(other),
        }
    }

    /// A union alternative's type, given `fields` as well: itself where it
    /// has them all already (a subtype of this schema), else a struct of
    /// both named after the schema and the alternative. An alternative that
    /// is not an object is kept: an object's properties do not apply to it.
    fn with_fields(&mut self, variant: &UnionVariant, fields: &[Field], name: &str) -> TypeRef {
        let Some(own) = self.struct_fields(&variant.ty) else { return variant.ty.clone() };
        if fields.iter().all(|f| own.iter().any(|g| g.api_name == f.api_name)) {
            return variant.ty.clone();
        }
        let mut merged = fields.to_vec();
        merge_fields(&mut merged, own);
        let description = variant.ty.named().and_then(|n| self.types.get(n)).and_then(|d| d.description.clone());
        self.define_struct(&format!("{name}{}", variant.rust_name), description, merged)
    }

    /// Every pair of alternatives of two unions, as one struct each.
    fn cross(&mut self, left: &[UnionVariant], right: &[UnionVariant], name: &str) -> Vec<UnionVariant> {
        let mut names = Namespace::with_reserved(&[crate::reserved::CATCH_ALL]);
        let mut out = Vec::new();
        for l in left {
            for r in right {
                let rust_name = names.claim(&format!("{}{}", l.rust_name, r.rust_name));
                let ty = match (self.struct_fields(&l.ty), self.struct_fields(&r.ty)) {
                    (Some(mut a), Some(b)) => {
                        merge_fields(&mut a, b);
                        self.define_struct(&format!("{name}{rust_name}"), None, a)
                    }
                    _ => TypeRef::Json,
                };
                let tags = if r.tags.is_empty() { l.tags.clone() } else { r.tags.clone() };
                out.push(UnionVariant { rust_name, ty, tags, boxed: false });
            }
        }
        out
    }

    /// The fields of a struct type, through aliases; `None` for any other.
    pub(super) fn struct_fields(&self, ty: &TypeRef) -> Option<Vec<Field>> {
        let mut current = ty;
        for _ in 0..32 {
            let TypeRef::Named(n) = current else { return None };
            match &self.types.get(n)?.kind {
                TypeKind::Struct { fields } => return Some(fields.clone()),
                TypeKind::Alias(target) => current = target,
                _ => return None,
            }
        }
        None
    }

    fn define_struct(&mut self, hint: &str, description: Option<String>, fields: Vec<Field>) -> TypeRef {
        let rust = self.type_names.claim(&crate::ident::camel(hint));
        let def = TypeDef {
            rust_name: rust.clone(),
            api_name: hint.to_string(),
            description,
            kind: TypeKind::Struct { fields: renamed(fields) },
            reach: Default::default(),
        };
        self.types.insert(rust.clone(), def);
        TypeRef::Named(rust)
    }

    fn warn_required_missing(&mut self, required: &[String], fields: &[Field], pointer: &str) {
        for name in required {
            if !fields.iter().any(|f| &f.api_name == name) {
                self.warning(
                    &format!("{pointer}/required"),
                    format!("`{name}` is listed as required but no part of the schema defines it"),
                    format!("add `{name}` under `properties` or remove it from `required`"),
                );
            }
        }
    }
}

/// Appends the fields of `more` that `fields` lacks; a member both have is
/// required if either requires it.
fn merge_fields(fields: &mut Vec<Field>, more: Vec<Field>) {
    for f in more {
        match fields.iter_mut().find(|g| g.api_name == f.api_name && g.rest == f.rest) {
            Some(g) => g.required |= f.required,
            None => fields.push(f),
        }
    }
}

/// Fields named apart again, as parts may each have claimed one name; the
/// map of other members, if any, last.
fn renamed(mut fields: Vec<Field>) -> Vec<Field> {
    fields.sort_by_key(|f| f.rest);
    let mut names = Namespace::default();
    for f in &mut fields {
        f.rust_name = names.claim(&f.rust_name);
    }
    fields
}

fn required_names(raw: &Map<String, Value>) -> Vec<String> {
    raw.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(|n| n.as_str().map(str::to_string)).collect()
}

/// Whether a schema has object members of its own.
fn has_own_properties(raw: &Map<String, Value>) -> bool {
    raw.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
}

/// Whether a schema says it is an object of its own, beside any parts.
fn has_own_object(raw: &Map<String, Value>) -> bool {
    has_own_properties(raw) || raw.get("type").is_some_and(|t| t == "object") || !required_names(raw).is_empty()
}
