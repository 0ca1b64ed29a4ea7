//! What reading a body can fail with, shared by `lex` (the document) and
//! `string` (its literals).

/// Why the bytes are not a valid request document. Where exactly is left
/// to `strict`, which words the client's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexError {
    Syntax,
    DuplicateKey,
}

pub type Lex<T> = Result<T, LexError>;
