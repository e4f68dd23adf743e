//! The `x-apigen-*` extensions: behaviour OpenAPI has no word for, declared
//! in the spec so the generator understands it for any API.
//!
//! - `x-apigen-pagination` on an operation: `cursor-param` (an optional
//!   query parameter), `next-cursor` or `next-link` (a JSON pointer into the
//!   reply to the next cursor, or to the next page's URL), `items` (a JSON
//!   pointer to the page's array).
//! - `x-apigen-poll` on an operation: `operationId` of the operation to poll,
//!   `parameters` (its required parameters, as OpenAPI link expressions:
//!   `$response.body#/pointer`, `$request.path.name`, `$request.query.name`),
//!   `status` (JSON pointer to the status field), `done` and `failed` (values).

use serde_json::Value;

use super::Lowerer;
use crate::ir::{FieldPath, FieldStep, NextPage, Operation, Pagination, ParamLocation, Poll, PollArg, TypeKind, TypeRef};

impl<'a> Lowerer<'a> {
    /// Follows a JSON pointer through the fields of `root`.
    pub(super) fn field_path(&mut self, root: &TypeRef, pointer: &str, at: &str) -> Option<FieldPath> {
        let mut ty = root.clone();
        let mut steps = Vec::new();
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let owner = match &ty {
                TypeRef::Named(name) => name.clone(),
                _ => String::new(),
            };
            let fields = match self.struct_fields(&ty) {
                Some(fields) => fields,
                None => {
                    self.error(at, format!("`{pointer}` goes into `{token}`, but the value there is not an object"), "point at a field of the reply's object schema");
                    return None;
                }
            };
            let Some(field) = fields.into_iter().find(|f| f.api_name == token) else {
                self.error(at, format!("`{pointer}`: there is no field `{token}`"), "point at a field the reply's schema defines");
                return None;
            };
            // `double` and `boxed` are known only once all types are:
            // `schema::finish_field_paths` sets them.
            steps.push(FieldStep {
                owner,
                rust_name: field.rust_name.clone(),
                optional: !field.required || field.nullable,
                double: false,
                boxed: false,
            });
            ty = field.ty.clone();
        }
        Some(FieldPath { pointer: pointer.to_string(), steps, ty })
    }

    /// `x-apigen-pagination` of one operation, once its responses are lowered.
    pub(super) fn pagination(&mut self, op: &Operation, ext: &Value, pointer: &str) -> Option<Pagination> {
        let at = format!("{pointer}/x-apigen-pagination");
        let Some(page_ty) = op.single_success_type().cloned() else {
            self.error(&at, "pagination needs one JSON success type", "document one 2xx response with a JSON object body");
            return None;
        };
        let field = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
        let Some(cursor_name) = field("cursor-param") else {
            self.error(&at, "`cursor-param` is missing", "name the query parameter that takes the cursor");
            return None;
        };
        let Some(cursor_param) = op
            .params
            .iter()
            .position(|p| p.api_name == cursor_name && p.location == ParamLocation::Query && !p.required && p.ty == TypeRef::String)
        else {
            self.error(&at, format!("`cursor-param: {cursor_name}` is not an optional string query parameter of the operation"), "add the parameter or correct the name");
            return None;
        };
        let next = match (field("next-cursor"), field("next-link")) {
            (Some(p), None) => NextPage::Cursor(self.field_path(&page_ty, &p, &at)?),
            (None, Some(p)) => NextPage::Link(self.field_path(&page_ty, &p, &at)?),
            _ => {
                self.error(&at, "give exactly one of `next-cursor` and `next-link`", "`next-cursor` points at the cursor, `next-link` at the next page's URL");
                return None;
            }
        };
        let (NextPage::Cursor(path) | NextPage::Link(path)) = &next;
        if path.ty != TypeRef::String {
            self.error(&at, format!("`{}` is not a string", path.pointer), "point at a string field");
            return None;
        }
        let Some(items_pointer) = field("items") else {
            self.error(&at, "`items` is missing", "point at the array of the page's items");
            return None;
        };
        let items = self.field_path(&page_ty, &items_pointer, &at)?;
        let TypeRef::Array(item_ty) = &items.ty else {
            self.error(&at, format!("`{items_pointer}` is not an array"), "point at the array of the page's items");
            return None;
        };
        let item_ty = (**item_ty).clone();
        Some(Pagination { cursor_param, next, items, item_ty, page_ty })
    }

    /// `x-apigen-poll`, once every operation is lowered.
    pub(super) fn poll(&mut self, ops: &[Operation], index: usize, ext: &Value, pointer: &str) -> Option<Poll> {
        let at = format!("{pointer}/x-apigen-poll");
        let op = &ops[index];
        let target_id = ext.get("operationId").and_then(Value::as_str).unwrap_or_default();
        let Some(target) = ops.iter().find(|o| o.api_name == target_id) else {
            self.error(&at, format!("`operationId: {target_id}` names no operation of the spec"), "name the operation that reports the status");
            return None;
        };
        let (Some(submit_ty), Some(result_ty)) = (op.single_success_type().cloned(), target.single_success_type().cloned()) else {
            self.error(&at, "polling needs one JSON success type on both operations", "document one 2xx JSON response on each");
            return None;
        };
        let empty = serde_json::Map::new();
        let given = ext.get("parameters").and_then(Value::as_object).unwrap_or(&empty);
        let mut args = Vec::new();
        for p in target.params.iter().filter(|p| p.required) {
            let Some(expr) = given.get(&p.api_name).and_then(Value::as_str) else {
                self.error(&at, format!("`parameters` does not say where `{}` of `{target_id}` comes from", p.api_name), "map it to `$response.body#/pointer` or `$request.path.name`");
                return None;
            };
            if let Some(ptr) = expr.strip_prefix("$response.body#") {
                let path = self.field_path(&submit_ty, ptr, &at)?;
                if path.ty != p.ty {
                    self.error(&at, format!("`{expr}` does not have the type of `{}`", p.api_name), "point at a field of the same type");
                    return None;
                }
                args.push(PollArg::ResponseBody(path));
            } else if let Some((place, name)) = expr.strip_prefix("$request.").and_then(|r| r.split_once('.')) {
                let location = match place {
                    "path" => ParamLocation::Path,
                    "query" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    _ => ParamLocation::Path,
                };
                let Some(i) = op.params.iter().position(|q| q.api_name == name && q.location == location && q.required) else {
                    self.error(&at, format!("`{expr}` is not a required parameter of the operation"), "use a required parameter of the submitting operation");
                    return None;
                };
                args.push(PollArg::RequestParam(i));
            } else {
                self.error(&at, format!("`{expr}` is not a supported link expression"), "use `$response.body#/pointer` or `$request.path.name`");
                return None;
            }
        }
        let status_pointer = ext.get("status").and_then(Value::as_str).unwrap_or_default();
        let status = self.field_path(&result_ty, status_pointer, &at)?;
        let is_text = match &status.ty {
            TypeRef::String => true,
            TypeRef::Named(n) => matches!(self.types.get(n).map(|t| &t.kind), Some(TypeKind::Enum { .. })),
            _ => false,
        };
        if !is_text {
            self.error(&at, format!("`status: {status_pointer}` is not a string or string enum"), "point at the status field");
            return None;
        }
        let list = |key: &str| -> Vec<String> {
            ext.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
        };
        let (done, failed) = (list("done"), list("failed"));
        if done.is_empty() {
            self.error(&at, "`done` lists no status value", "list the values that mean the operation finished");
            return None;
        }
        Some(Poll {
            operation: target.rust_name.clone(),
            operation_error: target.error_name.clone(),
            args,
            status,
            done,
            failed,
            result_ty,
        })
    }
}
