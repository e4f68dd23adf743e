//! Spec text to rustdoc: the spec's Markdown, made safe for `cargo doc -D
//! warnings` (no doctested code fences, no bare URLs, no stray `[links]` or
//! HTML tags).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, one per line. Text from the spec must
/// pass through [`clean`] first; the generator's own text may link items.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Joins paragraphs of spec text, cleaned, skipping empty ones.
pub fn paragraphs<'s>(parts: impl IntoIterator<Item = Option<&'s str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(clean)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A link to a client method; rustdoc cannot resolve raw identifiers, so
/// those are named without a link.
pub fn method_link(rust_name: &str) -> String {
    match rust_name.strip_prefix("r#") {
        Some(plain) => format!("`Client::{plain}`"),
        None => format!("[`Client::{rust_name}`]"),
    }
}

/// Cleaned spec text, or `fallback` when the spec says nothing.
pub fn or_else(text: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match text.map(clean) {
        Some(t) if !t.trim().is_empty() => t,
        _ => fallback(),
    }
}

/// Makes Markdown from the spec safe for rustdoc.
pub fn clean(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_string());
            } else {
                in_fence = true;
                // Spec examples are not Rust; rustdoc would compile them.
                let lang = if lang.trim().is_empty() || lang.trim() == "rust" { "text" } else { lang.trim() };
                out.push(format!("```{lang}"));
            }
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            out.push(clean_line(line.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let rest = &line[i..];
        if c == '`' {
            in_code = !in_code;
        } else if in_code {
            // Code spans stay as written.
        } else if (rest.starts_with("http://") || rest.starts_with("https://")) && !preceded_by_link_syntax(&out) {
            let end = rest.find(|ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '<' | '>' | '`')).unwrap_or(rest.len());
            // Trailing punctuation ends the sentence, not the URL.
            let url = rest[..end].trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        } else {
            match c {
                '[' if !is_markdown_link(rest) => out.push_str("\\["),
                ']' if !rest[1..].starts_with('(') => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
            i += c.len_utf8();
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn preceded_by_link_syntax(out: &str) -> bool {
    out.ends_with('(') || out.ends_with('<')
}

/// `[text](target)` on one line; `text` starts with the `[`.
fn is_markdown_link(text: &str) -> bool {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return text[i + 1..].starts_with('(');
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn makes_text_safe() {
        assert_eq!(clean("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(clean("[optional] and [a](https://b)"), "\\[optional\\] and [a](https://b)");
        assert_eq!(clean("a <b> `<c>`"), "a &lt;b&gt; `<c>`");
        assert_eq!(clean("```\nx\n```"), "```text\nx\n```");
        assert_eq!(
            clean(r#"<a href="https://x.io/?a=b"><img src="https://x.io/i.png"></a>"#),
            r#"&lt;a href="<https://x.io/?a=b>"&gt;&lt;img src="<https://x.io/i.png>"&gt;&lt;/a&gt;"#
        );
    }
}
