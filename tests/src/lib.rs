//! Workspace tests: snapshot tests of the generator, and integration tests
//! of the generated clients against local HTTP servers. Everything is in
//! `tests/`; this library is empty.
