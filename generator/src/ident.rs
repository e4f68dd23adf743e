//! Every Rust identifier the generator writes is made here: case conversion,
//! keywords, leading digits, characters Rust does not allow, and collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words that cannot be identifiers, even raw.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keywords of Rust 2021 (strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];


/// Replaces what cannot stand in an identifier, keeping word boundaries.
fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            // Non-ASCII letters become their code point, so distinct names stay distinct.
            out.push_str(&format!("_u{:x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

/// Identifiers longer than this are shortened: operation names become file
/// names, and file systems cap those at 255 bytes.
const MAX_LEN: usize = 64;

/// `s` itself, or its first characters and a hash of the whole, so distinct
/// long names stay distinct.
fn shorten(s: String, separator: &str) -> String {
    if s.len() <= MAX_LEN {
        return s;
    }
    let hash = fnv1a(s.as_bytes());
    let head: String = s.chars().take(MAX_LEN - 17).collect();
    // A head ending in `_` and the separator would make `__`, which is not
    // snake case (`non_snake_case` warns; found in GitHub's crate).
    let head = head.trim_end_matches('_');
    format!("{head}{separator}{:016x}", hash).chars().take(MAX_LEN + 8).collect()
}

/// FNV-1a, 64 bits: stable across runs and platforms, unlike the std
/// hasher. Tells names (and versions of a spec) apart; protects nothing.
pub(crate) fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// A snake_case identifier for a field, parameter or method.
pub fn snake(name: &str) -> String {
    let mut s = shorten(sanitize(name).to_snake_case(), "_");
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    escape_keyword(s)
}

/// An UpperCamelCase identifier for a type or variant.
pub fn camel(name: &str) -> String {
    let mut s = shorten(sanitize(name).to_upper_camel_case(), "H");
    if s.is_empty() {
        s = "Value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    // `Self` cannot be a type name even raw; a word keeps it UpperCamelCase.
    if s == "Self" {
        return "SelfValue".into();
    }
    escape_keyword(s)
}

/// Whether `s` is a Rust keyword (strict, reserved, or one that cannot be raw).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s) || NOT_RAW.contains(&s)
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Turns a name made by this module into a token.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A set of names in one scope; hands out distinct ones.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// `candidate`, or `candidate2`, `candidate3`, ... if taken.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_string()) {
            return candidate.to_string();
        }
        let base = candidate.strip_prefix("r#").unwrap_or(candidate);
        let mut n = 2;
        loop {
            let name = format!("{base}{n}");
            if self.taken.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_keywords() {
        assert_eq!(snake("projectOrProductUID"), "project_or_product_uid");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake("+++"), "value");
        assert_eq!(camel("enterprise-agent"), "EnterpriseAgent");
        assert_eq!(camel("mypurecloud.com"), "MypurecloudCom");
        assert_eq!(camel("200"), "V200");
        assert_eq!(camel("Self"), "SelfValue");
        assert_eq!(camel(""), "Value");
        assert_ne!(camel("é"), camel("è"));
        assert_eq!(ident("r#type").to_string(), "r#type");
        let long = "a".repeat(600);
        assert!(snake(&long).len() <= 72 && camel(&long).len() <= 72);
        assert_ne!(snake(&format!("{long}x")), snake(&format!("{long}y")));
        // GitHub's `actions/list-selected-repositories-self-hosted-runners-organization`:
        // the 47th character is a `_`, and no `__` may follow.
        let cut = snake("actions/list-selected-repositories-self-hosted-runners-organization");
        assert!(!cut.contains("__"), "{cut}");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("links"), "links");
        assert_eq!(ns.claim("links"), "links2");
        assert_eq!(ns.claim("r#type"), "r#type");
        assert_eq!(ns.claim("r#type"), "type2");
    }
}
