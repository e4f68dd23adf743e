//! Operations: parameters, bodies and responses.

use std::collections::HashMap;

use openapiv3::{
    Operation as OaOperation, Parameter, ParameterSchemaOrContent, QueryStyle as OaQueryStyle, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type,
};

use super::schema::Src;
use super::Lowerer;
use crate::diagnostic::{escape_token, Diagnostic};
use crate::ident::{camel, snake, Namespace};
use crate::ir::{
    Body, Encoding, Method, Operation, ParamLocation, Param, PathPart, Permissions, QueryStyle, Response, ResponseBody,
    StatusMatch, TypeRef,
};

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let doc = self.doc;
        let mut operations = Vec::new();
        let mut method_names = Namespace::with_reserved(crate::reserved::CLIENT_METHODS);
        let mut type_names = Namespace::with_reserved(crate::reserved::OPERATION_TYPES);
        // Builders are imported beside the model types and the prelude.
        for reserved in crate::reserved::TYPES_MODULE {
            type_names.claim(reserved);
        }
        let mut first_seen: HashMap<String, String> = HashMap::new();
        let mut polls = Vec::new();
        for (path, item) in doc.paths.iter() {
            let path_pointer = format!("/paths/{}", escape_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(&path_pointer, "a path item given as a `$ref` is not supported", "write the path item in place");
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                let api_name = op.operation_id.clone().unwrap_or_else(|| derived_operation_id(method, path));
                if let Some(other) = first_seen.get(&api_name) {
                    self.error(
                        &format!("{pointer}/operationId"),
                        format!("operationId `{api_name}` is already used at {other}"),
                        "give every operation a distinct operationId",
                    );
                    continue;
                }
                first_seen.insert(api_name.clone(), pointer.clone());
                let rust_name = method_names.claim(&snake(&api_name));
                let type_name = type_names.claim(&camel(&api_name));
                // The operation's other types, claimed here so that no other
                // operation's builder can take their names (`getPet` and
                // `getPetError`).
                let stem = type_name.trim_start_matches("r#").to_string();
                let error_name = type_names.claim(&format!("{stem}Error"));
                let response_name = type_names.claim(&format!("{stem}Response"));
                let lowered =
                    self.lower_operation(op, &item.parameters, method, path, &pointer, api_name.clone(), rust_name, type_name);
                if !self.unsupported.is_empty() {
                    // Leave this operation out, keep the rest of the API.
                    let reasons = std::mem::take(&mut self.unsupported);
                    let first = reasons[0].message.clone();
                    self.diags.push(
                        Diagnostic::warning(pointer.clone(), format!("operation `{api_name}` is left out: {first}"))
                            .with_hint(reasons[0].hint.clone().unwrap_or_default()),
                    );
                    self.diags.items.extend(reasons.into_iter().skip(1));
                    continue;
                }
                if let Some(mut lowered) = lowered {
                    lowered.error_name = error_name;
                    lowered.response_name = response_name;
                    if let Some(ext) = op.extensions.get("x-apigen-poll") {
                        polls.push((operations.len(), ext, pointer.clone()));
                    }
                    operations.push(lowered);
                }
            }
        }
        // Polling names other operations, so it is resolved once all exist.
        for (index, ext, pointer) in polls {
            let poll = self.poll(&operations, index, ext, &pointer);
            operations[index].poll = poll;
        }
        operations
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        op: &OaOperation,
        path_params: &[ReferenceOr<Parameter>],
        method: &str,
        path: &str,
        pointer: &str,
        api_name: String,
        rust_name: String,
        type_name: String,
    ) -> Option<Operation> {
        let method = match method {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };

        // Operation parameters override path-item ones with the same name and place.
        let mut raw: Vec<(String, &ReferenceOr<Parameter>)> = Vec::new();
        let path_pointer = pointer.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
        for (i, p) in path_params.iter().enumerate() {
            raw.push((format!("{path_pointer}/parameters/{i}"), p));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            raw.push((format!("{pointer}/parameters/{i}"), p));
        }
        let mut resolved: Vec<(String, Option<String>, &Parameter)> = Vec::new();
        for (ptr, p) in raw {
            let Some((component, param)) = self.resolve(p, &ptr, "parameters", |c| &c.parameters) else { continue };
            let key = (param.parameter_data_ref().name.clone(), std::mem::discriminant(param));
            resolved.retain(|(_, _, q)| (q.parameter_data_ref().name.clone(), std::mem::discriminant(*q)) != key);
            resolved.push((ptr, component, param));
        }

        let mut names = Namespace::with_reserved(crate::reserved::OPERATION_BUILDER_METHODS);
        let mut params = Vec::new();
        for (ptr, component, param) in resolved {
            if let Some(p) = self.lower_param(param, component.as_deref(), &ptr, &type_name, &mut names) {
                params.push(p);
            }
        }
        let path_parts = self.path_parts(path, pointer, &mut params);

        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let (body, parts) = self.lower_body(rb, &format!("{pointer}/requestBody"), &type_name, &mut names);
                params.extend(parts);
                body
            }
        };
        let responses = self.lower_responses(op, pointer, &type_name);
        let security: Vec<String> = op
            .security
            .as_ref()
            .or(self.doc.security.as_ref())
            .map(|reqs| reqs.iter().flat_map(|r| r.keys().cloned()).collect())
            .unwrap_or_default();
        let defined = self.doc.components.as_ref().map(|c| &c.security_schemes);
        for name in &security {
            if !defined.is_some_and(|d| d.contains_key(name)) {
                self.warning(
                    pointer,
                    format!("security scheme `{name}` is not defined under `components/securitySchemes`"),
                    "define the scheme or correct the name",
                );
            }
        }
        let permissions = op.extensions.get("x-inin-requires-permissions").and_then(|v| {
            Some(Permissions {
                kind: v.get("type")?.as_str()?.to_string(),
                names: v.get("permissions")?.as_array()?.iter().filter_map(|p| p.as_str().map(str::to_string)).collect(),
            })
        });

        let mut lowered = Operation {
            api_name,
            rust_name,
            type_name,
            error_name: String::new(),
            response_name: String::new(),
            method,
            path: path.to_string(),
            path_parts,
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            permissions,
            params,
            body,
            responses,
            security,
            pagination: None,
            poll: None,
            feature: None,
        };
        if let Some(ext) = op.extensions.get("x-apigen-pagination") {
            lowered.pagination = self.pagination(&lowered, ext, pointer);
        }
        Some(lowered)
    }

    fn lower_param(
        &mut self,
        param: &Parameter,
        component: Option<&str>,
        pointer: &str,
        op_type: &str,
        names: &mut Namespace,
    ) -> Option<Param> {
        let data = param.parameter_data_ref();
        let (location, style) = match param {
            Parameter::Path { .. } => (ParamLocation::Path, QueryStyle::FormExploded),
            Parameter::Header { .. } => (ParamLocation::Header, QueryStyle::FormComma),
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, OaQueryStyle::Form));
                let style = match style {
                    OaQueryStyle::Form if explode => QueryStyle::FormExploded,
                    OaQueryStyle::Form => QueryStyle::FormComma,
                    OaQueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                    OaQueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                    OaQueryStyle::DeepObject => QueryStyle::DeepObject,
                };
                (ParamLocation::Query, style)
            }
            Parameter::Cookie { .. } => (ParamLocation::Cookie, QueryStyle::FormComma),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                self.unsupported(
                    pointer,
                    format!("parameter `{}` is described with `content`, which is not supported yet", data.name),
                    "describe the parameter with `schema` instead",
                );
                return None;
            }
        };
        // A shared parameter yields one type for every operation that uses it.
        let hint = match component {
            Some(name) => name.to_string(),
            None => format!("{op_type}{}", camel(&data.name)),
        };
        let schema_pointer = match component {
            Some(name) => format!("/components/parameters/{}/schema", escape_token(name)),
            None => format!("{pointer}/schema"),
        };
        let ty = self.shared_type(component.map(|c| format!("parameters/{c}")), Src::of(schema), &schema_pointer, &hint);
        let ty = without_null_elements(ty);
        let is_object = match &ty {
            TypeRef::Map(_) | TypeRef::JsonObject => true,
            TypeRef::Named(n) => matches!(self.types.get(n).map(|t| &t.kind), Some(crate::ir::TypeKind::Struct { .. })),
            _ => false,
        };
        let style = match (location, is_object, style) {
            (ParamLocation::Query, true, QueryStyle::DeepObject) => QueryStyle::DeepObject,
            (ParamLocation::Query, true, QueryStyle::FormExploded) => QueryStyle::ObjectExploded,
            (ParamLocation::Query, true, QueryStyle::FormComma) => QueryStyle::ObjectComma,
            (_, true, _) => {
                self.unsupported(
                    pointer,
                    format!("parameter `{}` is an object, which is supported only in a query with `style: form` or `deepObject`", data.name),
                    "use scalar or array parameters, or an exploded form or deepObject query parameter",
                );
                return None;
            }
            (ParamLocation::Query, false, QueryStyle::DeepObject) => QueryStyle::FormExploded,
            (_, false, style) => style,
        };
        let (default, schema_example) = match schema {
            ReferenceOr::Item(s) => (s.schema_data.default.as_ref().map(|v| v.to_string()), s.schema_data.example.clone()),
            ReferenceOr::Reference { .. } => (None, None),
        };
        let required = data.required || location == ParamLocation::Path;
        if location == ParamLocation::Path && !data.required {
            self.warning(
                pointer,
                format!("path parameter `{}` is not marked `required: true`", data.name),
                "OpenAPI requires path parameters to be required; it is treated as required",
            );
        }
        Some(Param {
            api_name: data.name.clone(),
            rust_name: names.claim(&snake(&data.name)),
            location,
            required,
            ty,
            style,
            description: data.description.clone(),
            default,
            example: data.example.clone().or(schema_example),
            deprecated: data.deprecated.unwrap_or(false),
            content_type: None,
        })
    }

    /// Splits the template into literal text and references to the path
    /// parameters, reporting parameters missing from either side. Parameters
    /// keep their spec order, which is the order of the method's arguments.
    fn path_parts(&mut self, path: &str, pointer: &str, params: &mut [Param]) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut used = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            if start > 0 {
                parts.push(PathPart::Literal(rest[..start].to_string()));
            }
            let name = &rest[start + 1..start + len];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.api_name == name) {
                Some(i) => {
                    parts.push(PathPart::Param(i));
                    used.push(i);
                }
                None => self.error(
                    pointer,
                    format!("the path `{path}` has `{{{name}}}` but the operation has no path parameter `{name}`"),
                    format!("add a parameter with `name: {name}` and `in: path`"),
                ),
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.error(
                    pointer,
                    format!("path parameter `{}` does not appear in the path `{path}`", p.api_name),
                    format!("add `{{{}}}` to the path or change the parameter's `in`", p.api_name),
                );
            }
        }
        parts
    }

    /// The body, or for a `multipart/form-data` body its fields as
    /// parameters.
    fn lower_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        op_type: &str,
        names: &mut Namespace,
    ) -> (Option<Body>, Vec<Param>) {
        let Some((component, rb)) = self.resolve(body, pointer, "requestBodies", |c| &c.request_bodies) else {
            return (None, Vec::new());
        };
        let Some((media_type, encoding)) = choose_media_type(rb.content.keys(), true) else {
            let kinds: Vec<&str> = rb.content.keys().map(String::as_str).collect();
            let message = if kinds.is_empty() {
                "the request body documents no media type".to_string()
            } else {
                format!("request bodies of type {} are not supported yet", kinds.join(", "))
            };
            self.unsupported(
                pointer,
                message,
                "describe the body as JSON, a form, multipart/form-data, text or `application/octet-stream`",
            );
            return (None, Vec::new());
        };
        let media = &rb.content[media_type];
        // Where the body is written: its component, if it is one.
        let body_pointer = match &component {
            Some(name) => format!("/components/requestBodies/{}", escape_token(name)),
            None => pointer.to_string(),
        };
        let media_pointer = format!("{body_pointer}/content/{}", escape_token(media_type));
        let ty = match encoding {
            Encoding::Multipart => {
                let parts = self.form_parts(media, rb.required, &media_pointer, op_type, names);
                return (None, parts);
            }
            Encoding::Text => TypeRef::String,
            Encoding::Bytes => TypeRef::Upload,
            Encoding::Json | Encoding::Form => {
                let schema_pointer = format!("{media_pointer}/schema");
                match &media.schema {
                    Some(s) => {
                        let hint = component.clone().unwrap_or_else(|| format!("{op_type}Request"));
                        self.shared_type(component.map(|c| format!("requestBodies/{c}")), Src::of(s), &schema_pointer, &hint)
                    }
                    None => TypeRef::Json,
                }
            }
        };
        if encoding == Encoding::Form && !matches!(ty, TypeRef::Named(_) | TypeRef::JsonObject | TypeRef::Map(_)) {
            self.error(pointer, "a form body must be an object", "describe the form's fields as an object schema");
            return (None, Vec::new());
        }
        let form_fields = if encoding == Encoding::Form { self.form_fields(media, &media_pointer) } else { Vec::new() };
        let body = Body { media_type: media_type.clone(), encoding, ty, required: rb.required, description: rb.description.clone(), form_fields };
        (Some(body), Vec::new())
    }

    /// The fields of a `multipart/form-data` body: one per property of its
    /// object schema, required where the body and the schema both require
    /// it. A binary string (`format: binary`, or 3.1's `contentMediaType`)
    /// is a file; an object or a list of objects goes as JSON.
    fn form_parts(
        &mut self,
        media: &openapiv3::MediaType,
        body_required: bool,
        pointer: &str,
        op_type: &str,
        names: &mut Namespace,
    ) -> Vec<Param> {
        let Some((schema, schema_pointer)) = media.schema.as_ref().and_then(|s| self.local_schema(s, format!("{pointer}/schema")))
        else {
            self.unsupported(
                pointer,
                "a multipart body needs an object schema whose properties are its fields",
                "describe the form's fields as the properties of an object schema",
            );
            return Vec::new();
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(any) if !any.properties.is_empty() => (&any.properties, &any.required),
            _ => {
                self.unsupported(
                    &schema_pointer,
                    "a multipart body must be an object with properties",
                    "describe the form's fields as the properties of an object schema",
                );
                return Vec::new();
            }
        };
        let mut parts = Vec::new();
        for (name, property) in properties {
            let property_pointer = format!("{schema_pointer}/properties/{}", escape_token(name));
            let ty = match self.binary_shape(property, &property_pointer) {
                Some(ty) => ty,
                None => without_null_elements(self.type_of(Src::of_boxed(property), &property_pointer, &format!("{op_type}{}", camel(name)))),
            };
            let data = match property {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            parts.push(Param {
                api_name: name.clone(),
                rust_name: names.claim(&snake(name)),
                location: ParamLocation::Part,
                required: body_required && required.contains(name),
                ty,
                style: QueryStyle::FormExploded,
                description: data.and_then(|d| d.description.clone()),
                default: data.and_then(|d| d.default.as_ref()).map(|v| v.to_string()),
                example: data.and_then(|d| d.example.clone()),
                deprecated: data.is_some_and(|d| d.deprecated),
                content_type: media.encoding.get(name).and_then(|e| e.content_type.clone()),
            });
        }
        parts
    }

    /// `Upload` for a binary string, a list of them for a list of binary
    /// strings; `None` for anything else.
    fn binary_shape(&self, schema: &ReferenceOr<Box<Schema>>, pointer: &str) -> Option<TypeRef> {
        let binary = |raw: Option<&serde_json::Value>| {
            raw.is_some_and(|s| {
                s.get("format").and_then(|f| f.as_str()) == Some("binary") || s.get("contentMediaType").is_some()
            })
        };
        // The text as written, so 3.1's keywords count as 3.0's do.
        let raw = self.raw.pointer(pointer);
        if binary(raw) {
            return Some(TypeRef::Upload);
        }
        if let ReferenceOr::Item(s) = schema {
            if let SchemaKind::Type(Type::Array(_)) = &s.schema_kind {
                if binary(raw.and_then(|r| r.get("items"))) {
                    return Some(TypeRef::Array(Box::new(TypeRef::Upload)));
                }
            }
        }
        None
    }

    /// A schema, following `$ref`s to `components/schemas`, with the pointer
    /// of where it is written.
    fn local_schema(&self, schema: &'a ReferenceOr<Schema>, pointer: String) -> Option<(&'a Schema, String)> {
        let doc = self.doc;
        let (mut schema, mut pointer) = (schema, pointer);
        // Far more than any real spec chains; a cycle ends here too.
        for _ in 0..64 {
            match schema {
                ReferenceOr::Item(s) => return Some((s, pointer)),
                ReferenceOr::Reference { reference } => {
                    let decoded = super::decoded_fragment(reference);
                    let name = super::unescape_token(decoded.strip_prefix("#/components/schemas/")?);
                    schema = doc.components.as_ref()?.schemas.get(&name)?;
                    pointer = format!("/components/schemas/{}", escape_token(&name));
                }
            }
        }
        None
    }

    fn lower_responses(&mut self, op: &OaOperation, pointer: &str, op_type: &str) -> Vec<Response> {
        let mut entries: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let (status, token) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r as u8), format!("{r}XX")),
            };
            entries.push((status, format!("{pointer}/responses/{token}"), r));
        }
        if let Some(r) = &op.responses.default {
            entries.push((StatusMatch::Default, format!("{pointer}/responses/default"), r));
        }
        // Keys as written, some of which `openapiv3` drops or reads as any
        // number: HTTP statuses are `100` to `599` or `1XX` to `5XX`, as the
        // OpenAPI schema's pattern says.
        let written = self.raw.pointer(&format!("{pointer}/responses")).and_then(|v| v.as_object());
        for key in written.into_iter().flat_map(|m| m.keys()) {
            let bytes = key.as_bytes();
            let status = bytes.len() == 3
                && (b'1'..=b'5').contains(&bytes[0])
                && (bytes[1..].iter().all(u8::is_ascii_digit) || &bytes[1..] == b"XX");
            if !status && key != "default" && !key.starts_with("x-") {
                self.error(
                    &format!("{pointer}/responses/{}", escape_token(key)),
                    format!("`{key}` is not an HTTP status"),
                    "use a status from 100 to 599, a range such as `4XX`, or `default`",
                );
            }
        }
        entries.sort_by_key(|(s, _, _)| *s);
        let has_success = entries.iter().any(|(s, _, _)| is_success(*s));
        let several = entries.len() > 1;

        let mut variant_names = Namespace::with_reserved(&[crate::reserved::CATCH_ALL]);
        let mut responses = Vec::new();
        for (status, ptr, r) in entries {
            let Some((component, response)) = self.resolve(r, &ptr, "responses", |c| &c.responses) else { continue };
            let success = is_success(status) || (status == StatusMatch::Default && !has_success);
            let body = match choose_media_type(response.content.keys(), false) {
                None => None,
                Some((media_type, encoding)) => {
                    let ty = match encoding {
                        Encoding::Text => TypeRef::String,
                        Encoding::Bytes | Encoding::Form | Encoding::Multipart => TypeRef::Bytes,
                        Encoding::Json => {
                            let schema_pointer = format!("{ptr}/content/{}/schema", escape_token(media_type));
                            match &response.content[media_type].schema {
                                Some(s) => {
                                    let suffix = if several { status_suffix(status) } else { String::new() };
                                    let hint = component.clone().unwrap_or_else(|| format!("{op_type}Response{suffix}"));
                                    let key = component.clone().map(|c| format!("responses/{c}"));
                                    self.shared_type(key, Src::of(s), &schema_pointer, &hint)
                                }
                                None => TypeRef::Json,
                            }
                        }
                    };
                    let encoding = if encoding == Encoding::Form { Encoding::Bytes } else { encoding };
                    Some(ResponseBody { media_type: media_type.clone(), encoding, ty })
                }
            };
            responses.push(Response {
                status,
                success,
                description: response.description.clone(),
                body,
                media_types: response.content.keys().cloned().collect(),
                variant_name: variant_names.claim(&variant_name(status)),
            });
        }
        if !responses.iter().any(|r| r.success) && !op.responses.responses.is_empty() {
            self.warning(
                &format!("{pointer}/responses"),
                "the operation documents no success response; a 2xx reply is returned without a body",
                "document the 2xx response",
            );
        }
        responses
    }

    /// The entries of a URL-encoded form's `encoding` object, in spec order.
    fn form_fields(&self, media: &openapiv3::MediaType, pointer: &str) -> Vec<crate::ir::FormField> {
        use crate::ir::{FormField, FormStyle};
        let field = |(name, e): (&String, &openapiv3::Encoding)| {
            let style = match e.style {
                Some(openapiv3::QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
                Some(openapiv3::QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
                Some(openapiv3::QueryStyle::DeepObject) => FormStyle::DeepObject,
                Some(openapiv3::QueryStyle::Form) | None => FormStyle::Form,
            };
            // OpenAPI: `explode` is true by default for `form`, false for
            // the other styles; `openapiv3` reads an absent one as false,
            // so the document says whether it was given.
            let explode = self.raw.pointer(&format!("{pointer}/encoding/{}/explode", escape_token(name))).and_then(serde_json::Value::as_bool);
            FormField {
                name: name.clone(),
                style,
                explode: explode.unwrap_or(style == FormStyle::Form),
                allow_reserved: e.allow_reserved,
                json: e.content_type.as_deref().is_some_and(|c| is_json(&essence(c))),
            }
        };
        media.encoding.iter().map(field).collect()
    }

    /// The type of a schema inside a shared component, computed once.
    fn shared_type(&mut self, key: Option<String>, src: Src<'_>, pointer: &str, hint: &str) -> TypeRef {
        match key {
            Some(key) => {
                if let Some(t) = self.shared_types.get(&key) {
                    return t.clone();
                }
                let t = self.type_of(src, pointer, hint);
                self.shared_types.insert(key, t.clone());
                t
            }
            None => self.type_of(src, pointer, hint),
        }
    }
}

/// A parameter's or a form part's type with the `null` taken out of its
/// items or values: no parameter style and no part spells a `null` item,
/// so the value is sent without it.
fn without_null_elements(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Array(item) => TypeRef::Array(Box::new(item.non_null().clone())),
        TypeRef::Map(value) => TypeRef::Map(Box::new(value.non_null().clone())),
        other => other,
    }
}

/// A media type without its parameters, in lower case.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type's essence is JSON (`application/json`, `*+json`).
fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// The media type the client uses among those documented, and how: JSON
/// first, then (for requests) URL-encoded and multipart forms, then text,
/// then anything as bytes. A multipart reply is read as bytes.
fn choose_media_type<'m>(types: impl Iterator<Item = &'m String>, request: bool) -> Option<(&'m String, Encoding)> {
    let types: Vec<&String> = types.collect();
    let rank = |m: &str| -> Option<(u8, Encoding)> {
        let e = essence(m);
        if is_json(&e) || e == "*/*" || e == "application/*" {
            Some((0, Encoding::Json))
        } else if request && e == "application/x-www-form-urlencoded" {
            Some((1, Encoding::Form))
        } else if request && e == "multipart/form-data" {
            Some((2, Encoding::Multipart))
        } else if e.starts_with("text/") {
            Some((3, Encoding::Text))
        } else if e.starts_with("multipart/") {
            if request { None } else { Some((5, Encoding::Bytes)) }
        } else {
            Some((4, Encoding::Bytes))
        }
    };
    types.into_iter().filter_map(|m| rank(m).map(|(r, e)| (r, m, e))).min_by_key(|(r, _, _)| *r).map(|(_, m, e)| (m, e))
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(r) => r == 2,
        StatusMatch::Default => false,
    }
}

fn status_suffix(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "Default".into(),
    }
}

/// A readable variant name: the reason phrase where HTTP has one.
fn variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match reason_phrase(c) {
            Some(reason) => camel(reason),
            None => format!("Status{c}"),
        },
        StatusMatch::Range(1) => "Informational".into(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// A stable operationId for an operation without one: method and path.
fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}
