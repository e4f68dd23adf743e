//! Workspace tests: snapshot tests of the generator, and tests of the
//! generated clients against local HTTP servers (wiremock, Prism). The tests
//! live in `tests/`; this library provides the tools they install and the
//! scratch workspaces they build generated crates in, and the conformance
//! check that `cargo xtask corpus` runs too.

pub mod conformance;
pub mod requests;
pub mod scratch;
pub mod tools;
