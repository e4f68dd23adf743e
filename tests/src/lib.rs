//! Workspace tests: snapshot tests of the generator, and tests of the
//! generated clients against local HTTP servers (wiremock, Prism). The tests
//! live in `tests/`; this library provides the tools they install.

pub mod tools;
