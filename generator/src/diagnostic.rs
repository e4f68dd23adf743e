//! Problems found in a spec, each tied to the place in the spec it concerns.
//!
//! Every stage reports through [`Diagnostics`] instead of failing on the first
//! problem, so a maintainer sees all of them in one run.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on with a conservative fallback.
    Warning,
    /// Generation stops; nothing is written.
    Error,
}

/// One problem at one place in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether generation can go on.
    pub severity: Severity,
    /// JSON pointer into the spec (`/paths/~1usage/get`); empty for the whole document.
    pub pointer: String,
    /// 1-based line in the spec file, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// A warning that the client loses something the spec describes: a
    /// value typed as untyped JSON, or a member it cannot hold. Counted
    /// apart, so that no loss goes unseen.
    pub loss: bool,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            line: None,
            message: message.into(),
            hint: None,
            loss: false,
        }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(pointer, message)
        }
    }

    /// A warning that the client loses what the spec describes at `pointer`.
    pub fn loss(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { loss: true, ..Diagnostic::warning(pointer, message) }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Renders the diagnostic for a terminal, naming the spec file.
    pub fn render(&self, file: &str) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning if self.loss => "warning[loss]",
            Severity::Warning => "warning",
        };
        let mut place = terminal_safe(file);
        if let Some(line) = self.line {
            place.push_str(&format!(":{line}"));
        }
        let pointer = if self.pointer.is_empty() { "(document)".to_string() } else { terminal_safe(&self.pointer) };
        let mut out = format!("{level}: {}\n  --> {place} at {pointer}", terminal_safe(&self.message));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  = hint: {}", terminal_safe(hint)));
        }
        out
    }
}

/// The hint of every internal-error diagnostic.
pub const INTERNAL_ERROR_HINT: &str = "this is a bug in apigen; please report it with the spec";

/// All the problems of one run, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics {
    /// Name of the spec file, for rendering.
    pub file: String,
    /// The problems.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list for the spec called `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics { file: file.into(), items: Vec::new() }
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// True when any problem stops generation.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many warnings say the client loses what the spec describes.
    pub fn losses(&self) -> usize {
        self.items.iter().filter(|d| d.loss).count()
    }

    /// True when a problem is the generator's fault (a panic or an emitted
    /// file that does not parse), not the spec's: what fuzzing looks for.
    pub fn has_internal_error(&self) -> bool {
        self.items.iter().any(|d| d.hint.as_deref() == Some(INTERNAL_ERROR_HINT))
    }

}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{}", d.render(&self.file))?;
        }
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = self.items.len() - errors;
        let losses = self.losses();
        write!(f, "{errors} error(s), {warnings} warning(s)")?;
        if losses > 0 {
            write!(f, " ({losses} of them a loss of what the spec describes)")?;
        }
        write!(f, " in {}", terminal_safe(&self.file))
    }
}

/// The bidirectional-override characters, which make text read other than
/// it parses (rustc refuses them in string literals).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Spec text as a terminal shows it: control characters (escape sequences
/// that would move the cursor or recolour the screen, line breaks that would
/// forge a line of output) and bidirectional overrides written as escapes.
pub fn terminal_safe(text: &str) -> String {
    let unsafe_char = |c: char| c.is_control() || is_bidi_control(c);
    if !text.contains(unsafe_char) {
        return text.to_string();
    }
    text.chars().map(|c| if unsafe_char(c) { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins tokens into a JSON pointer.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens.into_iter().map(|t| format!("/{}", escape_token(t.as_ref()))).collect()
}
