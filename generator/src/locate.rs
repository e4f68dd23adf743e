//! Maps JSON pointers to the lines of the spec file they come from.
//!
//! serde gives values without positions, so the source is parsed a second time
//! as a YAML event stream (JSON is read the same way) and every node's pointer
//! is recorded with its line.

use std::collections::HashMap;

use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::Event;

use crate::diagnostic::escape_token;

/// Line of every node in a spec, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Indexes `source`; a source that does not parse gives an empty index.
    pub fn new(source: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(source);
        // A parse error leaves what was indexed so far, which is still useful.
        let _ = parser.load(&mut builder, false);
        LineIndex { lines: builder.lines }
    }

    /// The line of the node at `pointer`, or of its nearest indexed ancestor.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(line) = self.lines.get(p) {
                return Some(*line);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

#[derive(Default)]
struct Builder {
    lines: HashMap<String, usize>,
    stack: Vec<(Frame, String)>,
}

impl Builder {
    /// The pointer of the node that starts now, advancing the parent.
    fn next_pointer(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some((Frame::Seq { index }, base)) => {
                let p = format!("{base}/{index}");
                *index += 1;
                Some(p)
            }
            Some((Frame::Map { key }, base)) => key.take().map(|k| format!("{base}/{}", escape_token(&k))),
        }
    }

    /// In a mapping, a scalar with no pending key is the next key.
    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some((Frame::Map { key: None }, _)))
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if self.is_key_position() {
                    if let Some((Frame::Map { key }, base)) = self.stack.last_mut() {
                        let p = format!("{base}/{}", escape_token(&value));
                        self.lines.entry(p).or_insert(mark.line());
                        *key = Some(value);
                    }
                } else if let Some(p) = self.next_pointer() {
                    self.lines.entry(p).or_insert(mark.line());
                }
            }
            Event::Alias(_) => {
                self.next_pointer();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if let Some(p) = self.next_pointer() {
                    self.lines.entry(p.clone()).or_insert(mark.line());
                    let frame = if is_map { Frame::Map { key: None } } else { Frame::Seq { index: 0 } };
                    self.stack.push((frame, p));
                } else {
                    // A complex mapping key: track it so the stack stays balanced.
                    self.stack.push((Frame::Seq { index: 0 }, "/?".into()));
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_of_nested_nodes() {
        let src = "openapi: 3.0.3\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n        - name: y\n";
        let index = LineIndex::new(src);
        assert_eq!(index.line("/openapi"), Some(1));
        assert_eq!(index.line("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/1/name"), Some(7));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/1/missing"), Some(7));
    }

    #[test]
    fn reads_json_too() {
        let src = "{\n  \"info\": {\n    \"title\": \"t\"\n  }\n}\n";
        assert_eq!(LineIndex::new(src).line("/info/title"), Some(3));
    }
}
