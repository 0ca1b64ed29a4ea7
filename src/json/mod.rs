//! Reading and editing a request body in place. `lex` checks JSON without
//! building it, `doc` outlines a body's top-level members (and the items of
//! its arrays, each checked and scanned on its own so a resent message can
//! be recognised), `string` checks and decodes string literals, `splice`
//! edits the original bytes; `strict` builds a `Value` where one is needed,
//! refusing repeated keys.

pub mod doc;
mod error;
pub mod lex;
pub mod splice;
pub mod strict;
pub mod string;

pub use doc::{outline, outline_with, Doc, Member, Piece};
pub use lex::{LexError, MAX_DEPTH};
pub use splice::Edit;

#[cfg(test)]
mod tests;
