//! Maps JSON pointers to the lines of the spec file they come from.
//!
//! serde gives values without positions, so the source is parsed a second time
//! as a YAML event stream (JSON is read the same way) and every node's pointer
//! is recorded with its line.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::Event;

use crate::diagnostic::{escape_token, Diagnostic};

/// The spec's text, kept to find the line of a JSON pointer on demand.
///
/// Nothing is indexed up front: a large spec has millions of nodes, and most
/// runs need the lines of a handful of diagnostics, if any. [`locate`] finds
/// every requested line in one pass.
///
/// [`locate`]: SourceLines::locate
#[derive(Debug, Default)]
pub struct SourceLines {
    source: String,
}

impl SourceLines {
    /// Keeps `source` for later lookups.
    pub fn new(source: &str) -> Self {
        SourceLines { source: source.to_string() }
    }

    /// The line of the node at `pointer`, or of its nearest ancestor in the source.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        self.lines_of(&[pointer]).into_iter().next().flatten()
    }

    /// Sets the line of each diagnostic that has none, in one pass over the source.
    pub fn locate(&self, diags: &mut [Diagnostic]) {
        let wanted: Vec<&str> = diags.iter().filter(|d| d.line.is_none()).map(|d| d.pointer.as_str()).collect();
        if wanted.is_empty() {
            return;
        }
        let mut lines = self.lines_of(&wanted).into_iter();
        for d in diags.iter_mut().filter(|d| d.line.is_none()) {
            d.line = lines.next().flatten();
        }
    }

    fn lines_of(&self, pointers: &[&str]) -> Vec<Option<usize>> {
        // A pointer may name a node the source does not have (a default, a
        // missing field); its nearest ancestor is what the reader should see.
        let mut builder = Builder::wanting(pointers);
        if self.source.trim_start().starts_with('{') {
            scan_json(&self.source, &mut builder);
        } else {
            let mut parser = Parser::new_from_str(&self.source);
            // A parse error leaves what was found so far, which is still useful.
            let _ = parser.load(&mut builder, false);
        }
        pointers.iter().map(|p| nearest(&builder.lines, p)).collect()
    }
}

fn nearest(lines: &HashMap<String, usize>, pointer: &str) -> Option<usize> {
    let mut p = pointer;
    loop {
        if let Some(line) = lines.get(p) {
            return Some(*line);
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return None,
        }
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

/// A position in the event stream: where the next node goes.
enum Next {
    /// A node at this pointer.
    Node(String),
    /// A node inside a part of the document no wanted pointer reaches.
    Skipped,
    /// The key of a complex mapping key (YAML only), which has no pointer.
    ComplexKey,
}

#[derive(Default)]
struct Builder {
    /// The pointers to record (those asked for and their ancestors).
    wanted: HashSet<String>,
    lines: HashMap<String, usize>,
    /// Open collections, with their pointer when it is wanted; below an
    /// unwanted one nothing is wanted, so no pointer is built there.
    stack: Vec<(Frame, Option<String>)>,
}

impl Builder {
    /// A builder that records `pointers` and their ancestors.
    fn wanting(pointers: &[&str]) -> Self {
        let mut wanted = HashSet::new();
        for p in pointers {
            let mut p = *p;
            loop {
                wanted.insert(p.to_string());
                match p.rfind('/') {
                    Some(i) => p = &p[..i],
                    None => break,
                }
            }
        }
        Builder { wanted, ..Builder::default() }
    }

    /// The pointer of the node that starts now, advancing the parent.
    fn next_pointer(&mut self) -> Next {
        match self.stack.last_mut() {
            None => Next::Node(String::new()),
            Some((Frame::Seq { index }, base)) => {
                let next = match base {
                    Some(base) => Next::Node(format!("{base}/{index}")),
                    None => Next::Skipped,
                };
                *index += 1;
                next
            }
            Some((Frame::Map { key }, base)) => match (key.take(), base) {
                (None, _) => Next::ComplexKey,
                (Some(k), Some(base)) => Next::Node(format!("{base}/{}", escape_token(&k))),
                (Some(_), None) => Next::Skipped,
            },
        }
    }

    /// Records the line of `pointer` if it is wanted, and says whether it was.
    fn record(&mut self, pointer: &str, line: usize) -> bool {
        if self.wanted.contains(pointer) {
            self.lines.entry(pointer.to_string()).or_insert(line);
            true
        } else {
            false
        }
    }

    /// In a mapping, a scalar with no pending key is the next key.
    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some((Frame::Map { key: None }, _)))
    }
}

impl Builder {
    /// A scalar; `text` is read only when the scalar is a mapping key.
    fn scalar(&mut self, text: impl FnOnce() -> String, line: usize) {
        if self.is_key_position() {
            if let Some((Frame::Map { key }, base)) = self.stack.last_mut() {
                let value = text();
                let pointer = base.as_ref().map(|base| format!("{base}/{}", escape_token(&value)));
                *key = Some(value);
                if let Some(pointer) = pointer {
                    self.record(&pointer, line);
                }
            }
        } else if let Next::Node(p) = self.next_pointer() {
            self.record(&p, line);
        }
    }

    fn start(&mut self, is_map: bool, line: usize) {
        let frame = if is_map { Frame::Map { key: None } } else { Frame::Seq { index: 0 } };
        match self.next_pointer() {
            Next::Node(p) => {
                let base = self.record(&p, line).then_some(p);
                self.stack.push((frame, base));
            }
            Next::Skipped => self.stack.push((frame, None)),
            // Track a complex key's collection so the stack stays balanced.
            Next::ComplexKey => self.stack.push((Frame::Seq { index: 0 }, None)),
        }
    }

    fn end(&mut self) {
        self.stack.pop();
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => self.scalar(|| value, mark.line()),
            Event::Alias(_) => {
                self.next_pointer();
            }
            Event::MappingStart(..) => self.start(true, mark.line()),
            Event::SequenceStart(..) => self.start(false, mark.line()),
            Event::MappingEnd | Event::SequenceEnd => self.end(),
            _ => {}
        }
    }
}

/// Feeds a JSON document to `builder`: the YAML parser reads JSON too, but
/// this is an order of magnitude faster on the multi-megabyte JSON specs of
/// large APIs. It stops quietly at anything that is not JSON.
fn scan_json(source: &str, builder: &mut Builder) {
    let bytes = source.as_bytes();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b' ' | b'\t' | b'\r' | b',' | b':' => {}
            b'{' => builder.start(true, line),
            b'[' => builder.start(false, line),
            b'}' | b']' => builder.end(),
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let Some(literal) = source.get(start..=i) else { return };
                builder.scalar(
                    || {
                        if escaped {
                            serde_json::from_str(literal).unwrap_or_default()
                        } else {
                            literal[1..literal.len() - 1].to_string()
                        }
                    },
                    line,
                );
            }
            _ => {
                // A number, `true`, `false` or `null`.
                while i + 1 < bytes.len() && !matches!(bytes[i + 1], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    i += 1;
                }
                builder.scalar(String::new, line);
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_of_nested_nodes() {
        let src = "openapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n        - name: y\n";
        let index = SourceLines::new(src);
        assert_eq!(index.line("/openapi"), Some(1));
        assert_eq!(index.line("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/1/name"), Some(7));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/1/missing"), Some(7));
    }

    #[test]
    fn reads_json_too() {
        let src = "{\n  \"info\": {\n    \"title\": \"t\"\n  }\n}\n";
        assert_eq!(SourceLines::new(src).line("/info/title"), Some(3));
    }

    #[test]
    fn json_scanner_agrees_with_the_yaml_parser() {
        let src = "{\n \"a\": [1, -2.5e3, true, null,\n  {\"b~/c\": \"x\\\"y\"}],\n \"d\\u00e9\": {\n  \"e\": [[], {}]\n }\n}\n";
        let pointers = ["/a/3", "/a/4/b~0~1c", "/d\u{e9}/e/1", "/a/9", "/nope/deeper"];
        let mut by_yaml = Builder::wanting(&pointers);
        let _ = Parser::new_from_str(src).load(&mut by_yaml, false);
        let lines = SourceLines::new(src);
        for p in pointers {
            assert_eq!(lines.line(p), nearest(&by_yaml.lines, p), "{p}");
        }
        assert_eq!(lines.line("/a/4/b~0~1c"), Some(3));
        assert_eq!(lines.line("/d\u{e9}/e/1"), Some(5));
    }
}
