//! Schemas to types: component schemas keep their names, inline schemas are
//! named after the place they stand in.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::{unescape_token, Lowerer};
use crate::diagnostic::escape_token;
use crate::ident::{camel, snake, Namespace};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};

/// A schema as written: a reference or an inline definition.
#[derive(Clone, Copy)]
pub(super) enum Src<'s> {
    Ref(&'s str),
    Inline(&'s Schema),
}

impl<'s> Src<'s> {
    pub(super) fn of(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Src::Ref(reference),
            ReferenceOr::Item(s) => Src::Inline(s),
        }
    }

    pub(super) fn of_boxed(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Src::Ref(reference),
            ReferenceOr::Item(s) => Src::Inline(s),
        }
    }
}

/// The types a schema may name (OpenAPI 3.0; 3.1's `null` is normalized away).
const KNOWN_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// What a schema amounts to before it gets a name.
pub(super) enum Shape {
    Type(TypeRef),
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
    Union(Vec<UnionVariant>, Option<String>),
}

impl<'a> Lowerer<'a> {
    /// The Rust name of `components/schemas/{name}`, lowering it on first use.
    pub(super) fn component_schema(&mut self, name: &str) -> Option<String> {
        if let Some(rust) = self.component_types.get(name) {
            return Some(rust.clone());
        }
        let doc = self.doc;
        let schema = doc.components.as_ref()?.schemas.get(name)?;
        let rust = self.type_names.claim(&camel(name));
        // Registered before lowering, so a schema that refers to itself finds its name.
        self.component_types.insert(name.to_string(), rust.clone());
        let pointer = format!("/components/schemas/{}", escape_token(name));
        if !self.enter_schema(&pointer) {
            self.types.insert(rust.clone(), TypeDef { rust_name: rust.clone(), api_name: name.to_string(), description: None, kind: TypeKind::Alias(TypeRef::Json), reach: Default::default() });
            return Some(rust);
        }
        let (description, shape) = match Src::of(schema) {
            Src::Ref(r) => (None, Shape::Type(self.type_of(Src::Ref(r), &pointer, name))),
            Src::Inline(s) => (s.schema_data.description.clone(), self.shape(s, &pointer, &rust)),
        };
        self.depth -= 1;
        let kind = match shape {
            Shape::Type(t) => TypeKind::Alias(t),
            Shape::Struct(fields) => TypeKind::Struct { fields },
            Shape::Enum(variants) => TypeKind::Enum { variants },
            Shape::Union(variants, discriminator) => TypeKind::Union { variants, discriminator },
        };
        self.types.insert(
            rust.clone(),
            TypeDef { rust_name: rust.clone(), api_name: name.to_string(), description, kind, reach: Default::default() },
        );
        Some(rust)
    }

    /// Counts one more schema lowered inside the others; past
    /// [`super::MAX_SCHEMA_DEPTH`], reports it once and refuses.
    fn enter_schema(&mut self, pointer: &str) -> bool {
        if self.depth >= super::MAX_SCHEMA_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.error(
                    pointer,
                    format!("schemas nest more than {} levels deep through `$ref`s here", super::MAX_SCHEMA_DEPTH),
                    "a chain this long is not a real API; shorten it, or make the types it builds up independent",
                );
            }
            return false;
        }
        self.depth += 1;
        true
    }

    /// A schema `$ref` to anywhere in the document outside
    /// `components/schemas` (such as another operation's inline schema):
    /// read from the raw document and lowered once, named after its place.
    fn pointer_schema(&mut self, target: &str, reference: &str, pointer: &str) -> TypeRef {
        if let Some(rust) = self.pointer_types.get(target) {
            return TypeRef::Named(rust.clone());
        }
        let Some(node) = self.raw.pointer(target) else {
            self.error(pointer, format!("`$ref: {reference}` points to nothing"), "correct the JSON pointer");
            return TypeRef::Json;
        };
        let schema: Schema = match serde_json::from_value(node.clone()) {
            Ok(schema) => schema,
            Err(e) => {
                self.error(pointer, format!("`$ref: {reference}` does not point to a schema: {e}"), "point the reference at a schema object");
                return TypeRef::Json;
            }
        };
        // Named after the meaningful parts of its place: `/paths/~1accounts/get/...` gives `AccountsGet`.
        const STRUCTURE: &[&str] =
            &["paths", "components", "schemas", "responses", "content", "schema", "properties", "items", "parameters", "requestBody"];
        let words: Vec<String> = target
            .split('/')
            .skip(1)
            .map(unescape_token)
            .filter(|t| !STRUCTURE.contains(&t.as_str()) && !t.contains("json") && !t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        let hint = if words.is_empty() { "Referenced".to_string() } else { words.join(" ") };
        let rust = self.type_names.claim(&camel(&hint));
        // Registered before lowering, so a schema that refers to itself finds its name.
        self.pointer_types.insert(target.to_string(), rust.clone());
        if !self.enter_schema(pointer) {
            return TypeRef::Json;
        }
        let shape = self.shape(&schema, target, &rust);
        self.depth -= 1;
        let kind = match shape {
            Shape::Type(t) => TypeKind::Alias(t),
            Shape::Struct(fields) => TypeKind::Struct { fields },
            Shape::Enum(variants) => TypeKind::Enum { variants },
            Shape::Union(variants, discriminator) => TypeKind::Union { variants, discriminator },
        };
        let description = schema.schema_data.description.clone();
        self.types.insert(rust.clone(), TypeDef { rust_name: rust.clone(), api_name: hint, description, kind, reach: Default::default() });
        TypeRef::Named(rust)
    }

    /// The type a schema `$ref` names: a component schema by name, or any
    /// other place of the document by JSON pointer (a schema's nested
    /// `definitions`, another operation's inline schema).
    fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let decoded = super::decoded_fragment(reference);
        match decoded.strip_prefix("#/components/schemas/") {
            Some(name) if name.contains('/') => self.pointer_schema(&decoded["#".len()..], reference, pointer),
            Some(name) => {
                let name = unescape_token(name);
                match self.component_schema(&name) {
                    Some(rust) => TypeRef::Named(rust),
                    None => {
                        self.error(
                            pointer,
                            format!("`$ref: {reference}` points to nothing: there is no `{name}` under `components/schemas`"),
                            format!("define `components/schemas/{name}` or correct the reference"),
                        );
                        TypeRef::Json
                    }
                }
            }
            None => match decoded.strip_prefix('#') {
                Some(target) if target.starts_with('/') => self.pointer_schema(target, reference, pointer),
                _ => {
                    self.error(
                        pointer,
                        format!("`$ref: {reference}` points into another document"),
                        "generate from the file with `apigen generate`, which reads referenced files, or bundle the spec",
                    );
                    TypeRef::Json
                }
            },
        }
    }

    /// The type of a schema used at `pointer`; an inline struct or enum is
    /// defined under a name made from `hint`.
    pub(super) fn type_of(&mut self, src: Src<'_>, pointer: &str, hint: &str) -> TypeRef {
        match src {
            Src::Ref(reference) => self.schema_ref(reference, pointer),
            Src::Inline(schema) => {
                if let Some(rust) = self.pointer_types.get(pointer) {
                    // Lowered already through a `$ref` to this place.
                    return TypeRef::Named(rust.clone());
                }
                let rust_hint = camel(hint);
                match self.shape(schema, pointer, &rust_hint) {
                    Shape::Type(t) => t,
                    shape => {
                        let rust = self.type_names.claim(&rust_hint);
                        self.pointer_types.insert(pointer.to_string(), rust.clone());
                        let kind = match shape {
                            Shape::Struct(fields) => TypeKind::Struct { fields },
                            Shape::Enum(variants) => TypeKind::Enum { variants },
                            Shape::Union(variants, discriminator) => TypeKind::Union { variants, discriminator },
                            Shape::Type(_) => unreachable!("handled above"),
                        };
                        self.types.insert(
                            rust.clone(),
                            TypeDef {
                                rust_name: rust.clone(),
                                api_name: hint.to_string(),
                                description: schema.schema_data.description.clone(),
                                kind,
                                reach: Default::default(),
                            },
                        );
                        TypeRef::Named(rust)
                    }
                }
            }
        }
    }

    fn shape(&mut self, schema: &Schema, pointer: &str, name: &str) -> Shape {
        if let Some(shape) = self.composed(schema, pointer, name) {
            return shape;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                if !values.is_empty() {
                    let names: Vec<String> = schema
                        .schema_data
                        .extensions
                        .get("x-enum-varnames")
                        .and_then(|n| n.as_array())
                        .map(|n| n.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                        .unwrap_or_default();
                    return Shape::Enum(variants_named(&values, &names));
                }
                Shape::Type(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(i)) => Shape::Type(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Shape::Type(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Type(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.element_of(Src::of_boxed(items), &format!("{pointer}/items"), &format!("{name}Item")),
                    None => TypeRef::Json,
                };
                Shape::Type(TypeRef::Array(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, o.additional_properties.as_ref(), pointer, name)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() || any.typ.as_deref() == Some("object") => {
                self.object(&any.properties, &any.required, any.additional_properties.as_ref(), pointer, name)
            }
            // Every `allOf` is composed (`compose.rs`) before this match;
            // one that is not would be typed as JSON, and says so.
            SchemaKind::AllOf { .. } => {
                self.loss(pointer, "this `allOf` could not be read as a whole; it is typed as `serde_json::Value`", crate::diagnostic::INTERNAL_ERROR_HINT);
                Shape::Type(TypeRef::Json)
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let which = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.union(members, schema.schema_data.discriminator.as_ref(), &format!("{pointer}/{which}"), name)
            }
            SchemaKind::Not { .. } => {
                self.loss(
                    pointer,
                    "`not` schemas are not supported; this value is typed as `serde_json::Value`",
                    "the client still works; describe what the value is rather than what it is not",
                );
                Shape::Type(TypeRef::Json)
            }
            SchemaKind::Any(any) => {
                if let Some(typ) = any.typ.as_deref().filter(|t| !KNOWN_TYPES.contains(t)) {
                    self.error(
                        &format!("{pointer}/type"),
                        format!("`{typ}` is not a type"),
                        format!("use one of {}", KNOWN_TYPES.join(", ")),
                    );
                }
                Shape::Type(TypeRef::Json)
            }
        }
    }

    pub(super) fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        name: &str,
    ) -> Shape {
        if properties.is_empty() {
            return Shape::Type(match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let value = self.element_of(Src::of(s), &format!("{pointer}/additionalProperties"), &format!("{name}Value"));
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::JsonObject,
            });
        }
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for (api_name, prop) in properties {
            let field_pointer = format!("{pointer}/properties/{}", escape_token(api_name));
            let src = Src::of_boxed(prop);
            let ty = self.type_of(src, &field_pointer, &format!("{name}{}", camel(api_name)));
            let (description, nullable, deprecated, example, one_way) = match src {
                Src::Inline(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.nullable,
                    s.schema_data.deprecated,
                    s.schema_data.example.clone(),
                    if s.schema_data.read_only {
                        Some("Read-only: the server sends it, a request leaves it out.")
                    } else if s.schema_data.write_only {
                        Some("Write-only: a request sends it, the server leaves it out.")
                    } else {
                        None
                    },
                ),
                // A member whose schema is a nullable one takes `null` too.
                Src::Ref(reference) => (None, self.ref_nullable(reference), false, None, None),
            };
            // A read-only or write-only field is absent in one direction, so
            // it is optional even when `required`.
            let description = match (one_way, description) {
                (Some(note), Some(d)) => Some(format!("{}\n\n{note}", d.trim())),
                (Some(note), None) => Some(note.to_string()),
                (None, d) => d,
            };
            fields.push(Field {
                rust_name: names.claim(&snake(api_name)),
                api_name: api_name.clone(),
                ty,
                required: required.contains(api_name) && one_way.is_none(),
                nullable,
                send_null: false,
                boxed: false,
                description,
                deprecated,
                example,
                rest: false,
            });
        }
        // Members beyond the named ones, when the spec types them: kept in
        // a map of their own, so that none is lost.
        if let Some(AdditionalProperties::Schema(extra)) = additional {
            let extra = extra.as_ref();
            if !is_annotation_only(extra) {
                let value = self.element_of(Src::of(extra), &format!("{pointer}/additionalProperties"), &format!("{name}Value"));
                fields.push(Field {
                    rust_name: names.claim("additional_properties"),
                    api_name: "additionalProperties".into(),
                    ty: TypeRef::Map(Box::new(value)),
                    required: false,
                    nullable: false,
                    send_null: false,
                    boxed: false,
                    description: Some("The members beyond the named properties, by name.".into()),
                    deprecated: false,
                    example: None,
                    rest: true,
                });
            }
        }
        for name in required {
            if !properties.contains_key(name) {
                self.warning(
                    &format!("{pointer}/required"),
                    format!("`{name}` is listed as required but is not a property"),
                    format!("add `{name}` under `properties` or remove it from `required`"),
                );
            }
        }
        Shape::Struct(fields)
    }

    /// The type of a list's items or a map's values: `Option` of it when
    /// their schema allows `null`, so that a `null` among them decodes
    /// (JSON takes `null` already).
    fn element_of(&mut self, src: Src<'_>, pointer: &str, hint: &str) -> TypeRef {
        let ty = self.type_of(src, pointer, hint);
        let nullable = match src {
            Src::Inline(s) => s.schema_data.nullable,
            Src::Ref(reference) => self.ref_nullable(reference),
        };
        if nullable && ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Whether a `$ref` leads to a schema that allows `null`, through
    /// `$ref`s and one-part `allOf`s (a bounded number of steps).
    fn ref_nullable(&self, reference: &str) -> bool {
        let mut reference = super::decoded_fragment(reference).into_owned();
        for _ in 0..32 {
            let Some(node) = reference.strip_prefix('#').and_then(|p| self.raw.pointer(p)) else { return false };
            if node.get("nullable").is_some_and(|n| n == true) {
                return true;
            }
            let next = node.get("$ref").or_else(|| match node.get("allOf").and_then(|a| a.as_array()).map(Vec::as_slice) {
                Some([only]) => only.get("$ref"),
                _ => None,
            });
            match next.and_then(|r| r.as_str()) {
                Some(r) => reference = super::decoded_fragment(r).into_owned(),
                None => return false,
            }
        }
        false
    }

    /// `oneOf` / `anyOf`: an enum with one variant per member.
    pub(super) fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        pointer: &str,
        name: &str,
    ) -> Shape {
        // Members that repeat a type are one alternative; `members` keeps
        // only the first of each, so that it stays aligned with `types`.
        let mut types = Vec::new();
        let mut kept = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let ty = self.type_of(Src::of(member), &format!("{pointer}/{i}"), &format!("{name}Variant{i}"));
            if !types.contains(&ty) {
                types.push(ty);
                kept.push(member);
            }
        }
        let members = kept;
        match types.len() {
            0 => return Shape::Type(TypeRef::Json),
            1 => return Shape::Type(types.remove(0)),
            _ => {}
        }
        // A discriminator applies when every member is a named schema.
        let tagged = discriminator.filter(|_| members.iter().all(|m| matches!(m, ReferenceOr::Reference { .. })));
        let mut names = Namespace::with_reserved(&[crate::reserved::CATCH_ALL]);
        let variants = members
            .iter()
            .zip(&types)
            .map(|(member, ty)| {
                let mut tags = Vec::new();
                if let (Some(d), ReferenceOr::Reference { reference }) = (tagged, member) {
                    tags.extend(d.mapping.iter().filter(|(_, target)| *target == reference).map(|(tag, _)| tag.clone()));
                    if tags.is_empty() {
                        tags.push(reference.rsplit('/').next().unwrap_or(reference).to_string());
                    }
                }
                UnionVariant { rust_name: names.claim(&variant_name(ty)), ty: ty.clone(), tags, boxed: false }
            })
            .collect();
        Shape::Union(variants, tagged.map(|d| d.property_name.clone()))
    }
}

/// Enum variants with distinct names, in spec order, named from
/// `x-enum-varnames` where given; duplicate values dropped.
pub(super) fn variants_named(values: &[&str], names_given: &[String]) -> Vec<Variant> {
    let mut names = Namespace::with_reserved(&[crate::reserved::CATCH_ALL]);
    let mut seen = BTreeSet::new();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(i, v)| {
            let wanted = names_given.get(i).map(|n| camel(n)).unwrap_or_else(|| camel(v));
            Variant { api_name: v.to_string(), rust_name: names.claim(&wanted) }
        })
        .collect()
}

/// Schemas that are only `$ref`s to each other, which define nothing.
pub(super) fn alias_cycles(types: &BTreeMap<String, TypeDef>) -> Vec<String> {
    // Each alias has one target, so the aliases form a functional graph:
    // walking from each unvisited name, a name met again on the same walk
    // starts a cycle. Every name is walked through once: linear in all.
    let mut walked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cyclic = Vec::new();
    for (walk, start) in types.keys().enumerate() {
        let mut path: Vec<&str> = Vec::new();
        let mut current = start.as_str();
        loop {
            match walked.get(current) {
                Some(&w) if w == walk => {
                    let from = path.iter().position(|n| *n == current).unwrap_or(0);
                    cyclic.extend(path[from..].iter().map(|n| n.to_string()));
                    break;
                }
                Some(_) => break,
                None => {}
            }
            walked.insert(current, walk);
            path.push(current);
            match types.get(current).map(|d| &d.kind) {
                Some(TypeKind::Alias(TypeRef::Named(target))) => current = target,
                _ => break,
            }
        }
    }
    cyclic.sort();
    cyclic
}

/// Marks fields whose type contains their own struct without indirection,
/// which Rust can only hold in a `Box`.
pub(super) fn mark_boxed_fields(types: &mut BTreeMap<String, TypeDef>) {
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }
    // Edges that need no indirection: struct fields and aliases naming a type.
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Struct { fields } => fields.iter().filter_map(|f| direct(&f.ty)).map(str::to_string).collect(),
                TypeKind::Alias(t) => direct(t).map(str::to_string).into_iter().collect(),
                TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| direct(&v.ty)).map(str::to_string).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (name, def) in types.iter() {
        let targets: Vec<Option<&str>> = match &def.kind {
            TypeKind::Struct { fields } => fields.iter().map(|f| direct(&f.ty)).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| direct(&v.ty)).collect(),
            _ => Vec::new(),
        };
        for (i, target) in targets.into_iter().enumerate() {
            if target.is_some_and(|t| reaches(t, name)) {
                to_box.push((name.clone(), i));
            }
        }
    }
    for (name, i) in to_box {
        match types.get_mut(&name).map(|t| &mut t.kind) {
            Some(TypeKind::Struct { fields }) => fields[i].boxed = true,
            Some(TypeKind::Union { variants, .. }) => variants[i].boxed = true,
            _ => {}
        }
    }
}

/// Brings each field path's steps in line with their fields, once boxing
/// and `send_null` are final.
pub(super) fn finish_field_paths(types: &BTreeMap<String, TypeDef>, operations: &mut [crate::ir::Operation]) {
    let finish = |path: &mut crate::ir::FieldPath| {
        for step in &mut path.steps {
            let Some(TypeKind::Struct { fields }) = types.get(&step.owner).map(|t| &t.kind) else { continue };
            if let Some(f) = fields.iter().find(|f| f.rust_name == step.rust_name) {
                step.boxed = f.boxed;
                step.double = f.send_null;
            }
        }
    };
    for op in operations {
        if let Some(p) = &mut op.pagination {
            match &mut p.next {
                crate::ir::NextPage::Cursor(path) | crate::ir::NextPage::Link(path) => finish(path),
            }
            finish(&mut p.items);
        }
        if let Some(poll) = &mut op.poll {
            finish(&mut poll.status);
            for arg in &mut poll.args {
                if let crate::ir::PollArg::ResponseBody(path) = arg {
                    finish(path);
                }
            }
        }
    }
}

/// A variant name for a union member: its type's name or kind.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json | TypeRef::JsonObject => "Object".into(),
        TypeRef::Bytes | TypeRef::Upload => "Bytes".into(),
        TypeRef::Array(item) => format!("{}List", variant_name(item)),
        TypeRef::Map(value) => format!("{}Map", variant_name(value)),
        TypeRef::Nullable(inner) => format!("Optional{}", variant_name(inner)),
    }
}

/// A schema that only annotates: a description, title, example or the like,
/// with nothing that shapes a value.
pub(super) fn is_annotation_only(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                a.typ.is_none()
                    && a.properties.is_empty()
                    && a.items.is_none()
                    && a.additional_properties.is_none()
                    && a.enumeration.is_empty()
                    && a.one_of.is_empty()
                    && a.all_of.is_empty()
                    && a.any_of.is_empty()
                    && a.not.is_none()
                    && a.format.is_none()
            }
            _ => false,
        },
    }
}
