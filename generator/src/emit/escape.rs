//! The one way spec text reaches a generated crate's docs, README and
//! manifest. Spec text is untrusted: whatever it holds, the Markdown made
//! here opens no code block of any form (so rustdoc never compiles or runs
//! it), no raw HTML, no link but to `http`, `https`, `mailto` or `#` targets, and
//! no control or bidirectional-override characters; an inline value never
//! spans lines. The generator's own examples are the only code blocks a
//! crate's docs contain.
//!
//! - [`prose`]: a description, as Markdown with its code blocks shown as
//!   `text` and everything else that could open a block or a tag escaped.
//! - [`line`]: the same on one line (summaries, titles).
//! - [`code`]: a value (an enum member, a path, a name) as inline code.
//! - [`cell`]: Markdown made fit for a table cell.
//! - [`comment`]: text for a `//` or `#` comment line.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, one per line. Spec text in it must come
/// from the functions of this module; the generator's own text may link items.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Joins paragraphs of spec text, escaped, skipping empty ones.
pub fn paragraphs<'s>(parts: impl IntoIterator<Item = Option<&'s str>>) -> String {
    parts.into_iter().flatten().map(prose).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// A link to a client method, by its path from the crate root so that it
/// resolves in any module; rustdoc cannot resolve raw identifiers, so those
/// are named without a link.
pub fn method_link(rust_name: &str) -> String {
    match rust_name.strip_prefix("r#") {
        Some(plain) => format!("`Client::{plain}`"),
        None => format!("[`Client::{rust_name}`](crate::Client::{rust_name})"),
    }
}

/// What a value of `ty` is, in words, for an element the spec leaves
/// undescribed: its format where that says more than the Rust type (a
/// date-time is RFC 3339), a named type by name (unlinked: the field's or
/// argument's type beside it links it already). No spec text but type names,
/// which are identifiers.
pub fn kind_phrase(ty: &crate::ir::TypeRef) -> String {
    use crate::ir::TypeRef;
    match ty {
        TypeRef::String => "text".into(),
        TypeRef::Bool => "true or false".into(),
        TypeRef::I32 => "a 32-bit integer".into(),
        TypeRef::I64 => "an integer".into(),
        TypeRef::F32 | TypeRef::F64 => "a number".into(),
        TypeRef::DateTime => "an RFC 3339 date-time".into(),
        TypeRef::Date => "a date (`YYYY-MM-DD`)".into(),
        TypeRef::Json => "any JSON value".into(),
        TypeRef::JsonObject => "a JSON object".into(),
        TypeRef::Bytes => "raw bytes".into(),
        TypeRef::Upload => "a file or other raw bytes".into(),
        TypeRef::Named(n) => format!("a `{}`", n.trim_start_matches("r#")),
        TypeRef::Array(item) => format!("a list of {}", plural(item)),
        TypeRef::Map(value) => format!("a map from names to {}", plural(value)),
        TypeRef::Nullable(inner) => format!("{} or null", kind_phrase(inner)),
    }
}

fn plural(ty: &crate::ir::TypeRef) -> String {
    use crate::ir::TypeRef;
    match ty {
        TypeRef::String => "strings".into(),
        TypeRef::Bool => "booleans".into(),
        TypeRef::I32 | TypeRef::I64 => "integers".into(),
        TypeRef::F32 | TypeRef::F64 => "numbers".into(),
        TypeRef::DateTime => "RFC 3339 date-times".into(),
        TypeRef::Date => "dates (`YYYY-MM-DD`)".into(),
        TypeRef::Json => "JSON values".into(),
        TypeRef::JsonObject => "JSON objects".into(),
        TypeRef::Bytes | TypeRef::Upload => "files".into(),
        TypeRef::Named(n) => format!("`{}` values", n.trim_start_matches("r#")),
        TypeRef::Array(_) => "lists".into(),
        TypeRef::Map(_) => "maps".into(),
        TypeRef::Nullable(inner) => format!("{} or nulls", plural(inner)),
    }
}

/// Escaped spec text, or `fallback` when the spec says nothing.
pub fn or_else(text: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match text.map(prose) {
        Some(t) if !t.trim().is_empty() => t,
        _ => fallback(),
    }
}

/// Characters dropped from all spec text: C0 and C1 controls other than
/// line breaks, and the bidirectional controls that can make text read other
/// than it parses (rustc rejects them in string literals).
fn dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || crate::diagnostic::is_bidi_control(c)
}

/// Line breaks made `\n` (CR LF, bare CR and the Unicode separators), tabs
/// made spaces, and the [`dropped`] characters removed.
fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Spec Markdown made safe for rustdoc and a README that is doctested.
///
/// Fenced code blocks (backticks or tildes, any info string) become `text`
/// blocks, which rustdoc never compiles. Every other line keeps at most
/// three leading spaces and no run of spaces, so no indented code block can
/// form, at the top level or inside a list or quote. Backslashes, `<`, `>`, tildes,
/// unpaired backticks and brackets are escaped; bare URLs become autolinks.
pub fn prose(text: &str) -> String {
    let text = sanitize(text);
    let lines: Vec<&str> = text.trim().lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((fence_char, fence_len)) = fence_opener(lines[i]) {
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !closes_fence(lines[i], fence_char, fence_len) {
                body.push(lines[i]);
                i += 1;
            }
            i += 1; // the closing fence, if any
            out.push(text_block(&body));
            continue;
        }
        out.push(inline(&collapse_spaces(lines[i]), true));
        i += 1;
    }
    out.join("\n")
}

/// Spec text on one line: [`prose`] with line breaks made spaces and code
/// blocks flattened.
pub fn line(text: &str) -> String {
    let text = sanitize(text);
    inline(&collapse_spaces(text.replace('\n', " ").trim()), true)
}

/// A value from the spec as inline code. A value holding a backtick, which
/// could end the span, is written as escaped plain text instead.
pub fn code(value: &str) -> String {
    let value = sanitize(value).replace('\n', " ");
    if value.is_empty() {
        return "`\"\"`".into();
    }
    if value.contains('`') {
        return escape_all(&value);
    }
    if value.starts_with(' ') || value.ends_with(' ') {
        // A code span drops one space at each end when both are present.
        return format!("` {value} `");
    }
    format!("`{value}`")
}

/// One-line Markdown (from [`line`], [`code`] or the generator) made fit for
/// a table cell: a `|` would end the cell, even inside a code span.
pub fn cell(markdown: &str) -> String {
    markdown.trim().replace('\n', " ").replace('|', "\\|")
}

/// Text for one comment line (`//` or `#`): no line break can end the
/// comment early.
pub fn comment(text: &str) -> String {
    sanitize(text).replace('\n', " ")
}

/// A line that opens a fenced code block, after any indentation: three or
/// more backticks or tildes. Returns the fence character and length.
fn fence_opener(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start();
    let first = trimmed.chars().next()?;
    if first != '`' && first != '~' {
        return None;
    }
    let len = trimmed.chars().take_while(|&c| c == first).count();
    (len >= 3).then_some((first, len))
}

fn closes_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let trimmed = line.trim();
    let len = trimmed.chars().take_while(|&c| c == fence_char).count();
    len >= fence_len && len == trimmed.chars().count()
}

/// A `text` block holding `body` verbatim, its fence longer than any run of
/// backticks inside, so nothing in the body can close it.
fn text_block(body: &[&str]) -> String {
    let longest = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let mut out = format!("{fence}text\n");
    for l in body {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&fence);
    out
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// At most three leading spaces, and no run of two or more after them. An
/// indented code block needs four columns more than the content of its
/// container, so none can form, at the top level or in a list or quote;
/// lists keep their continuation lines (up to `1. `).
fn collapse_spaces(line: &str) -> String {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut out = " ".repeat(indent.min(3));
    let mut first = true;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(word);
    }
    out
}

/// Escapes one line of Markdown. Code spans whose closing backticks are on
/// the same line stay as written; with `links`, `[text](url)` to an allowed
/// target stays a link.
fn inline(line: &str, links: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let rest = &line[i..];
        match c {
            '`' => {
                let run = rest.chars().take_while(|&c| c == '`').count();
                let after = &rest[run..];
                let close = if run <= 2 { find_run(after, run) } else { None };
                match close {
                    Some(end) if !after[..end].trim().is_empty() => {
                        // A code span is literal: nothing inside is markup.
                        out.push_str(&rest[..run + end + run]);
                        i += run + end + run;
                    }
                    _ => {
                        out.push_str(&"\\`".repeat(run));
                        i += run;
                    }
                }
                continue;
            }
            '[' if links => {
                if let Some((text, target, len)) = markdown_link(rest) {
                    out.push('[');
                    out.push_str(&inline(text, false));
                    out.push_str("](");
                    out.push_str(target);
                    out.push(')');
                    i += len;
                    continue;
                }
                out.push_str("\\[");
            }
            'h' if rest.starts_with("http://") || rest.starts_with("https://") => {
                let end = rest.find(|ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '<' | '>' | '`' | '\\')).unwrap_or(rest.len());
                // Trailing punctuation ends the sentence, not the URL.
                let url = rest[..end].trim_end_matches(['.', ',', ')', ';', ':', '*', '_', ']', '!', '?']);
                if url.len() > "https://".len() {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                    i += url.len();
                    continue;
                }
                out.push(c);
            }
            '!' if rest[1..].starts_with('[') => out.push_str("\\!"),
            '~' if rest[1..].starts_with('~') || out.ends_with('~') => out.push_str("\\~"),
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// Where the next run of exactly `n` backticks starts in `text`.
fn find_run(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `[text](target)` at the start of `rest`, with a target that is a plain
/// `http`, `https` or `mailto` URL or an anchor: the text, the target and the
/// length of the whole.
fn markdown_link(rest: &str) -> Option<(&str, &str, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            '`' => return None,
            _ => {}
        }
    }
    let close = close?;
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let target = &after[..end];
    let allowed = ["http://", "https://", "mailto:", "#"].iter().any(|p| target.starts_with(p));
    let plain = !target.contains(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | '>' | '"' | '\'' | '`' | '\\'));
    (allowed && plain && close > 1).then(|| (&rest[1..close], target, close + 2 + end + 1))
}

/// Every character that Markdown could read as markup, escaped.
fn escape_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() && c != '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_markdown_readable() {
        assert_eq!(prose("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(prose("[optional] and [a](https://b)"), "\\[optional\\] and [a](https://b)");
        assert_eq!(prose("a <b> `<c>`"), "a &lt;b&gt; `<c>`");
        assert_eq!(prose("```\nx\n```"), "```text\nx\n```");
        assert_eq!(prose("- one\n- two"), "- one\n- two");
        assert_eq!(
            prose(r#"<a href="https://x.io/?a=b"><img src="https://x.io/i.png"></a>"#),
            r#"&lt;a href="<https://x.io/?a=b>"&gt;&lt;img src="<https://x.io/i.png>"&gt;&lt;/a&gt;"#
        );
    }

    #[test]
    fn opens_no_code_block() {
        // Every way CommonMark opens a code block, each made text.
        for (input, expected) in [
            ("~~~\nrun()\n~~~", "```text\nrun()\n```"),
            ("````rust\nrun()\n````", "```text\nrun()\n```"),
            ("```should_panic\nrun()\n```", "```text\nrun()\n```"),
            ("   ```rust,edition2021\nrun()", "```text\nrun()\n```"),
            ("```\nx ```` y\n```", "`````text\nx ```` y\n`````"),
            ("para\n\n    run()", "para\n\n   run()"),
            ("para\n\n \t  run()", "para\n\n   run()"),
            ("- item\n\n      run()", "- item\n\n   run()"),
            ("-     run()", "- run()"),
            (">     run()", "&gt; run()"),
            ("> ```\n> run()\n> ```", "&gt; \\`\\`\\`\n&gt; run()\n&gt; \\`\\`\\`"),
            ("1. ~~~\n   run()", "1. \\~\\~\\~\n   run()"),
        ] {
            assert_eq!(prose(input), expected, "{input:?}");
        }
    }

    #[test]
    fn opens_no_html_and_no_script_link() {
        assert_eq!(prose("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(prose("[a](javascript:alert(1))"), "\\[a\\](javascript:alert(1))");
        assert_eq!(prose("![i](https://t.io/p.png)"), "\\![i](https://t.io/p.png)");
        // An unpaired backtick cannot hide a tag from the escaping.
        assert_eq!(prose("a ` <b>"), "a \\` &lt;b&gt;");
        // A backslash cannot escape the backtick that opens a span.
        assert_eq!(prose("\\`<b>`"), "\\\\`<b>`");
        // Brackets in a kept link's text cannot end it early.
        assert_eq!(prose("[[x](javascript:y)](https://ok)"), "[\\[x\\](javascript:y)](https://ok)");
    }

    #[test]
    fn removes_controls_and_bidi() {
        assert_eq!(prose("a\rb\u{202E}c\u{0}d\u{2066}"), "a\nbcd");
        assert_eq!(code("a\n```\nb"), "a \\`\\`\\` b");
        assert_eq!(code("x\ny"), "`x y`");
        assert_eq!(comment("x\ny\rz"), "x y z");
        assert_eq!(line("a\n\n```\nb"), "a \\`\\`\\` b");
    }

    #[test]
    fn code_values_stay_on_one_line() {
        assert_eq!(code("/users/{id}"), "`/users/{id}`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a`b"), "a\\`b");
        assert_eq!(cell(&code("a|b")), "`a\\|b`");
    }
}
