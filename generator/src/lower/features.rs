//! How operations use the named types, decided once all are lowered: which
//! way each type travels (so it is only serialized or deserialized as it
//! must be), and the Cargo features that compile it.
//!
//! Each operation's first tag is a feature; an untagged operation goes by
//! the first path segment after the ones every path shares (`/v1/customers`
//! in a spec whose paths all start with `/v1` gives `customers`). A type is
//! compiled when any feature that reaches it is on, and always when every
//! feature reaches it. A spec whose operations form one group gets no
//! features: there would be nothing to leave out.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use crate::ident::Namespace;
use crate::ir::{Feature, FeatureSource, Operation, TypeDef, TypeKind, TypeRef};

/// Sets each operation's feature, each type's [`Reach`](crate::ir::Reach)
/// and `send_null` of the fields of sent types, and gives the crate's
/// features, sorted by name.
pub(super) fn assign(operations: &mut [Operation], types: &mut BTreeMap<String, TypeDef>) -> Vec<Feature> {
    let (sent, received) = travel(operations, types);
    // A type no operation uses may travel either way, and so may the types
    // inside it.
    let unused: Vec<String> = types.keys().filter(|n| !sent.contains(*n) && !received.contains(*n)).cloned().collect();
    let either_way = closure(unused, types);
    for (name, def) in types.iter_mut() {
        // Optional and nullable members of what is sent can be sent as `null`.
        if let (true, TypeKind::Struct { fields }) = (sent.contains(name), &mut def.kind) {
            for f in fields.iter_mut() {
                f.send_null = !f.required && f.nullable;
            }
        }
        def.reach.sent = sent.contains(name) || either_way.contains(name);
        def.reach.received = received.contains(name) || either_way.contains(name);
    }

    let sources = sources(operations);
    let mut distinct: Vec<&FeatureSource> = Vec::new();
    for source in &sources {
        if !distinct.contains(&source) {
            distinct.push(source);
        }
    }
    if distinct.len() < 2 {
        return Vec::new();
    }
    // Names are claimed in spec order, so a later group takes the suffix.
    let mut names = Namespace::with_reserved(crate::reserved::FEATURES);
    let mut named: Vec<(FeatureSource, String)> = Vec::new();
    // Claimed last, and kept only if some type needs it.
    distinct.push(&FeatureSource::Unreferenced);
    for source in distinct {
        let text = match source {
            FeatureSource::Tag(t) | FeatureSource::PathSegment(t) => t.as_str(),
            FeatureSource::Unreferenced => "unreferenced-types",
        };
        named.push((source.clone(), names.claim(&feature_name(text))));
    }
    let name_of = |source: &FeatureSource| named.iter().find(|(s, _)| s == source).map(|(_, n)| n.clone());
    for (op, source) in operations.iter_mut().zip(&sources) {
        op.feature = name_of(source);
    }

    // Which features reach each type.
    let mut reached: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut by_feature: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in operations.iter() {
        by_feature.entry(op.feature.as_deref().unwrap_or_default()).or_default().push(op);
    }
    for (feature, ops) in &by_feature {
        let mut roots = Vec::new();
        for op in ops {
            roots.extend(roots_of(op, true, true));
        }
        for name in closure(roots, types) {
            if let Some((key, _)) = types.get_key_value(name.as_str()) {
                reached.entry(key.as_str()).or_default().insert(feature.to_string());
            }
        }
    }
    let operation_features = by_feature.len();
    // Types no operation uses, and what they use in turn.
    let unused: Vec<String> = types.keys().filter(|n| !reached.contains_key(n.as_str())).cloned().collect();
    let unreferenced = !unused.is_empty();
    let unreferenced_name = name_of(&FeatureSource::Unreferenced).unwrap_or_default();
    let for_unused = closure(unused, types);
    let mut gates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in types.keys() {
        let mut gate: Vec<String> = match reached.get(name.as_str()) {
            Some(set) if set.len() == operation_features => {
                gates.insert(name.clone(), Vec::new());
                continue;
            }
            Some(set) => set.iter().cloned().collect(),
            None => Vec::new(),
        };
        if for_unused.contains(name) {
            gate.push(unreferenced_name.clone());
        }
        gates.insert(name.clone(), gate);
    }
    let mut features: Vec<Feature> = named
        .into_iter()
        .filter(|(source, _)| *source != FeatureSource::Unreferenced || unreferenced)
        .map(|(source, name)| Feature { name, module: String::new(), source, requires: Vec::new() })
        .collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    // Modules of `types`, beside its types (UpperCamelCase, so no clash).
    let mut modules = Namespace::with_reserved(&[]);
    for feature in &mut features {
        feature.module = modules.claim(&crate::ident::snake(&feature.name));
    }
    // Order each type's gate as the features are ordered.
    let order: BTreeMap<&str, usize> = features.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    for (name, mut gate) in gates {
        gate.sort_by_key(|f| order.get(f.as_str()).copied().unwrap_or(usize::MAX));
        if let Some(def) = types.get_mut(&name) {
            def.reach.features = gate;
        }
    }
    // An operation that polls another needs the other's feature.
    let feature_of: BTreeMap<&str, &str> =
        operations.iter().filter_map(|op| Some((op.rust_name.as_str(), op.feature.as_deref()?))).collect();
    for op in operations.iter() {
        let (Some(own), Some(poll)) = (op.feature.as_deref(), op.poll.as_ref()) else { continue };
        let Some(&target) = feature_of.get(poll.operation.as_str()) else { continue };
        if target != own {
            if let Some(f) = features.iter_mut().find(|f| f.name == own) {
                if !f.requires.iter().any(|r| r == target) {
                    f.requires.push(target.to_string());
                    f.requires.sort();
                }
            }
        }
    }
    features
}

/// A Cargo feature name for a tag or path segment: kebab case, ASCII
/// letters, digits and `-` only, starting with a letter or digit.
pub fn feature_name(text: &str) -> String {
    let ascii: String = text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut name = ascii.to_kebab_case();
    if name.is_empty() {
        name = "other".into();
    }
    // Keep names readable; the namespace makes a cut name distinct.
    if name.len() > 40 {
        name.truncate(40);
        name = name.trim_end_matches('-').to_string();
    }
    name
}

/// Each operation's group: its first tag, else its first path segment after
/// the ones all paths share.
fn sources(operations: &[Operation]) -> Vec<FeatureSource> {
    let segments = |path: &str| path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let all: Vec<Vec<String>> = operations.iter().map(|op| segments(&op.path)).collect();
    let mut shared = all.first().cloned().unwrap_or_default();
    for segs in &all {
        let common = shared.iter().zip(segs).take_while(|(a, b)| a == b).count();
        shared.truncate(common);
    }
    // A template segment shared by all is not a name; stop before it.
    let shared = shared.iter().take_while(|s| !s.starts_with('{')).count();
    operations
        .iter()
        .zip(&all)
        .map(|(op, segs)| match op.tags.first() {
            Some(tag) if !tag.trim().is_empty() => FeatureSource::Tag(tag.clone()),
            _ => FeatureSource::PathSegment(
                segs.iter().skip(shared).find(|s| !s.starts_with('{')).cloned().unwrap_or_else(|| "root".into()),
            ),
        })
        .collect()
}

/// The named types an operation sends (`send`) or receives (`receive`).
fn roots_of(op: &Operation, send: bool, receive: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |ty: &TypeRef| out.extend(ty.named().map(str::to_string));
    if send {
        if let Some(body) = &op.body {
            add(&body.ty);
        }
        for p in &op.params {
            add(&p.ty);
        }
    }
    if receive {
        for r in &op.responses {
            if let Some(body) = &r.body {
                add(&body.ty);
            }
        }
    }
    out
}

/// Which named types are sent and which are received, by any operation.
fn travel(operations: &[Operation], types: &BTreeMap<String, TypeDef>) -> (BTreeSet<String>, BTreeSet<String>) {
    let sent = closure(operations.iter().flat_map(|op| roots_of(op, true, false)).collect(), types);
    let received = closure(operations.iter().flat_map(|op| roots_of(op, false, true)).collect(), types);
    (sent, received)
}

/// `roots` and every named type inside them.
fn closure(mut stack: Vec<String>, types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let named = |ty: &TypeRef, stack: &mut Vec<String>| stack.extend(ty.named().map(str::to_string));
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match types.get(&name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields }) => fields.iter().for_each(|f| named(&f.ty, &mut stack)),
            Some(TypeKind::Union { variants, .. }) => variants.iter().for_each(|v| named(&v.ty, &mut stack)),
            Some(TypeKind::Alias(t)) => named(t, &mut stack),
            _ => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_are_cargo_names() {
        assert_eq!(feature_name("code-scanning"), "code-scanning");
        assert_eq!(feature_name("Usage Reports"), "usage-reports");
        assert_eq!(feature_name("enterpriseTeams"), "enterprise-teams");
        assert_eq!(feature_name("test_helpers"), "test-helpers");
        assert_eq!(feature_name("日本"), "other");
        assert_eq!(feature_name("../x"), "x");
    }
}
