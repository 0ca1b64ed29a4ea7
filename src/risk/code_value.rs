//! Is the value of a credential match code or data rather than a literal
//! secret? `literal.rs` judges the value's own characters; this reads the
//! syntax around it in the text, because agents send the source files they
//! read on every turn (issue #27) and code assigns credentials from
//! variables, calls and types: `apiKey: userConf }`, `token =
//! args.token?.trim()`, `comma_token: Option<…>`, `star_token: Token![*]`.
//!
//! The letters-only case is decided from the syntax, not the word: a
//! value made only of letters and `_` that is unquoted is a reference to
//! a variable or a type in code, and a literal in a `.env`, INI or YAML
//! file or in prose (`PASSWORD=SuperSecret`, `password: SuperSecret`). It
//! is taken as code when something only code writes stands after it
//! (`}`, `=`, `&&`, `||`, `??`, a type's `<`), after a declaration keyword
//! (`const`, `let`, `type`…), or when it ends an entry (`,` `;` `)` `]`
//! `|`, or a line that the next line closes with `}` or `)`) of a name
//! standing where code puts one: inside a bracket left open on its line,
//! after `.` or `::`, or indented. A `.env`, INI or YAML line ends with
//! its value and no `}` opens the next line; prose puts a `,` after a name
//! that follows no open bracket: both stay secrets. A letters-only
//! password inside a parenthesis in prose (`(user: admin, password:
//! SuperSecret)`) reads as an argument and is lost.

use super::assigned;

/// Identifier characters of the languages agents read (`$` for JS).
fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// Length of the identifier `s` starts with (0 if it starts with none).
fn ident_len(s: &[u8]) -> usize {
    match s.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c == b'$' => {
            s.iter().take_while(|c| ident_byte(**c)).count()
        }
        _ => 0,
    }
}

/// `s` after its spaces and tabs.
fn skip_blank(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    s.get(n..).unwrap_or(&[])
}

/// The value `text[vs..ve]` of a credential match starting at `start` is
/// code, not a literal: see the module's comment. A quoted value is a
/// literal unless it is the first word of a phrase.
pub fn reads_as_code(text: &str, start: usize, vs: usize, ve: usize) -> bool {
    let b = text.as_bytes();
    let (Some(v), Some(after)) = (b.get(vs..ve), b.get(ve..)) else {
        return false;
    };
    let before = b.get(..vs).unwrap_or(&[]);
    if matches!(before.last(), Some(b'"' | b'\'' | b'`')) {
        return phrase(v, after, before.last().copied());
    }
    // `&Self::Marker`, `Some(Token![::](…))`: the value was cut at a
    // path's `::`
    if before.ends_with(b"::") {
        return true;
    }
    // compared with an unquoted name (`token !== otherId`): a literal
    // compared is quoted (`[ $pw == Hx!vpn ]` in a shell stays one)
    let op = before
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t'))
        .and_then(|i| before.get(..=i))
        .unwrap_or(&[]);
    let n = ident_len(v);
    let reference = n > 0 && matches!(v.get(n), None | Some(b'.' | b')' | b']' | b'(' | b'['));
    if (op.ends_with(b"==") || op.ends_with(b"!=")) && reference {
        return true;
    }
    // a raw pointer type (`user_passwd: *const c_char`)
    if v == b"*const" || v == b"*mut" {
        return true;
    }
    if names_itself(b, start, v) {
        return true;
    }
    // `&TokenTree`, `&'a str`: a reference type
    if let Some(r) = v.strip_prefix(b"&") {
        if ident_len(r) > 0 || r.first() == Some(&b'\'') {
            return true;
        }
    }
    // a regex literal: `/^…`, `/(…`, `/[…`, `/\d…` (a base64 value never
    // holds these after its `/`)
    if v.first() == Some(&b'/') && matches!(v.get(1), Some(b'^' | b'(' | b'[' | b'\\')) {
        return true;
    }
    // a shell's `NAME=value && next` is a literal before an operator
    let shell = op.ends_with(b"=") && op.len() == vs && {
        let name = op.get(..op.len() - 1).unwrap_or(&[]);
        name.last().is_some_and(|c| ident_byte(*c))
    };
    expression(v, if shell { &[] } else { after }) || bare_reference(b, start, v, after)
}

/// The value holds the name it is assigned to (`apiKey: _apiKey`,
/// `authMethod: OAuthAuthMethod`, `refreshToken: refreshToken$1`): a
/// variable or type named after it. A name of two words or more, so
/// `secret: mysecret2024` stays a value.
fn names_itself(b: &[u8], start: usize, v: &[u8]) -> bool {
    let tail = b.get(start..).unwrap_or(&[]);
    let n = tail
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let Some(name) = tail.get(..n).and_then(|s| std::str::from_utf8(s).ok()) else {
        return false;
    };
    assigned::words(name).len() >= 2
        && v.windows(n)
            .any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
}

/// A quoted value that is the first word of a phrase (`"Vendor key not
/// set"`, `` `Tunnel secret` ``): letters only, then a space and
/// a letter, and the quote closes on the same line. A passphrase of
/// capitalised words is lost with it; a password with a digit or a
/// symbol is not.
fn phrase(v: &[u8], after: &[u8], quote: Option<u8>) -> bool {
    let Some(q) = quote else {
        return false;
    };
    v.iter().all(u8::is_ascii_alphabetic)
        && after.first() == Some(&b' ')
        && after.get(1).is_some_and(u8::is_ascii_alphabetic)
        && after
            .iter()
            .take(OPEN_REACH)
            .take_while(|c| **c != b'\n')
            .any(|c| *c == q)
}

/// An identifier that goes on as code does: a member chain with `?.` or
/// closing a bracket, a macro (`quote!(`, `Token![;]`), or an operator
/// only code writes (`&&`, `||`, `??`, `==`, `!=`). A plain call or
/// subscript is `literal::is_code`'s.
fn expression(v: &[u8], after: &[u8]) -> bool {
    let mut rest = v;
    let mut optional = false;
    loop {
        let n = ident_len(rest);
        if n == 0 {
            return false;
        }
        rest = rest.get(n..).unwrap_or(&[]);
        let sep = if rest.starts_with(b"?.") {
            optional = true;
            2
        } else if rest.starts_with(b"::") || rest.starts_with(b"->") {
            2
        } else if rest.starts_with(b".") {
            1
        } else {
            break;
        };
        let next = rest.get(sep..).unwrap_or(&[]);
        // `?.()` and `?.[key]`: an optional call or subscript
        if optional && matches!(next.first(), Some(b'(' | b'[')) {
            return true;
        }
        if ident_len(next) == 0 {
            break;
        }
        rest = next;
    }
    // a member chain closing a bracket (`profile.kind}`, `a.b)`)
    let chained = rest.len() < v.len() - ident_len(v);
    if optional || (chained && matches!(rest.first(), Some(b')' | b'}' | b']' | b';'))) {
        return true;
    }
    let macro_body = |s: &[u8]| matches!(s.first(), Some(b'(' | b'[' | b'{'));
    if let Some(r) = rest.strip_prefix(b"!") {
        if macro_body(r) || (r.is_empty() && macro_body(skip_blank(after))) {
            return true;
        }
    }
    // the operator may stand after a space (`a.b || c`)
    let tail = if rest.is_empty() {
        skip_blank(after)
    } else {
        rest
    };
    // an operator has an operand after it: `==` that ends the value with
    // nothing after (`secret=q7Zb…u==`) is base64 padding
    [&b"&&"[..], b"||", b"??", b"==", b"!="].iter().any(|op| {
        tail.strip_prefix(*op).is_some_and(|more| {
            let more = if more.is_empty() && !rest.is_empty() {
                skip_blank(after)
            } else {
                skip_blank(more)
            };
            more.first()
                .is_some_and(|c| !matches!(c, b'\n' | b'\r' | b'"' | b'\'' | b'`'))
        })
    })
}

/// A value of letters and `_` only, in a place only code puts a
/// reference to a variable or type (see the module's comment).
fn bare_reference(b: &[u8], start: usize, v: &[u8], after: &[u8]) -> bool {
    let n = ident_len(v);
    if n == 0 || v.iter().take(n).any(u8::is_ascii_digit) {
        return false;
    }
    // a type's `<` touches its name (`Option<&str>`; the match stops
    // before it); an XML element's value ends at `</`
    let generic = after.first() == Some(&b'<')
        && after
            .get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'&' | b'\'' | b'['));
    if n == v.len() && generic && b.get(start) != Some(&b'<') {
        return true;
    }
    // closing brackets glued to the value are the text after it
    let after = match v.get(n..) {
        Some([]) | None => skip_blank(after),
        Some(rest @ [b')' | b']' | b'}', ..]) => rest,
        Some(_) => return false,
    };
    let follows = |s: &[u8]| after.starts_with(s);
    // `=` after a type annotation (`token: Literal = …`) or a name
    // assigned twice (`a = b = …`), not PHP's `=>`
    if follows(b"}") || (follows(b"=") && !follows(b"=>")) {
        return true;
    }
    let (declared, placed) = name_in_code(b, start);
    // an entry ends at `,` `;` `)` `]` (or goes on as a union type, `|`),
    // or with its line when the next line closes the object (`}` or `)`
    // first), which no YAML or `.env` file does
    let next_line = after
        .strip_prefix(b"\r")
        .unwrap_or(after)
        .strip_prefix(b"\n")
        .map(|r| r.iter().find(|c| !c.is_ascii_whitespace()));
    let ends_entry = matches!(after.first(), Some(b',' | b';' | b')' | b']' | b'|'))
        || matches!(next_line, Some(Some(b'}' | b')' | b']')));
    declared || (placed && ends_entry)
}

/// Declaration keywords a name follows in code (`const token = …`).
const DECLARE: &[&[u8]] = &[
    b"const",
    b"let",
    b"var",
    b"mut",
    b"val",
    b"type",
    b"declare",
    b"readonly",
];

/// Where the name starting at `start` stands: after a declaration
/// keyword (first), and (second) where an object's entry or an argument
/// stands: inside a `(`, `{` or `[` left open on its line, after `.`
/// (`this.token`) or `::` (`<T as Trait>::Token`), or indented at a
/// line's start.
fn name_in_code(b: &[u8], start: usize) -> (bool, bool) {
    let head = b.get(..start).unwrap_or(&[]);
    let trimmed = head
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t'))
        .map_or(&[][..], |i| head.get(..=i).unwrap_or(&[]));
    let indented = trimmed.len() < head.len();
    let mut depth = 0usize;
    let mut open = false;
    for c in trimmed
        .iter()
        .rev()
        .take(OPEN_REACH)
        .take_while(|c| **c != b'\n')
    {
        match c {
            b')' | b'}' | b']' => depth += 1,
            b'(' | b'{' | b'[' if depth == 0 => {
                open = true;
                break;
            }
            b'(' | b'{' | b'[' => depth -= 1,
            _ => {}
        }
    }
    match trimmed.last() {
        None | Some(b'\n' | b'\r') => (false, indented),
        Some(b'.' | b':') => (false, true),
        Some(_) => {
            let word_at = trimmed
                .iter()
                .rposition(|c| !c.is_ascii_alphabetic())
                .map_or(0, |i| i + 1);
            let word = trimmed.get(word_at..).unwrap_or(&[]);
            (DECLARE.contains(&word), open)
        }
    }
}

/// How far back on its line an open bracket is looked for, and how far
/// on a quote closing a phrase: a bound, so a minified file of one long
/// line costs each match the same.
const OPEN_REACH: usize = 240;

/// A value whose shape is data of another kind: a CSS colour (`#a1b2c3`,
/// a theme's `Token:` entry), a version or semver range (`^1.4.2`, a
/// package named `@acme/token`), a PEM armour line (the block is
/// `private_key_marker`'s to judge, not a value), a header's name
/// (`x-api-key`; `literal::is_secret_value` knows `apikey` glued).
pub fn other_data(v: &str) -> bool {
    let v = v.trim_end_matches([',', ';', ')', '}', ']']);
    let header = v.contains("api-key") && v.bytes().all(|c| c.is_ascii_lowercase() || c == b'-');
    let colour = v.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|c| c.is_ascii_hexdigit())
    });
    // a pre-release tag is short (`1.4.0-rc.1`), not a key's body
    let range = v.trim_start_matches(['^', '~', '>', '<', '=', 'v']);
    let version = match range.split_once('-') {
        Some((core, tag)) if tag.len() <= 12 => core,
        Some(_) => "",
        None => range,
    };
    let (mut dots, mut run) = (0, 0);
    let mut semver = !version.is_empty();
    for c in version.bytes() {
        match c {
            b'.' if run > 0 => (dots, run) = (dots + 1, 0),
            b'0'..=b'9' if run < 5 => run += 1,
            _ => semver = false,
        }
    }
    semver &= run > 0 && (1..=3).contains(&dots);
    // an anchored regex, the rule a password must follow (`^[A-Za-z0-9]{8,}$`)
    let pattern = v.strip_prefix('^').is_some_and(|r| {
        r.ends_with('$') || (r.contains('[') && r.contains(']')) || r.contains("(?=")
    });
    colour || semver || header || pattern || v.starts_with("-----BEGIN")
}

/// `["Widget", "AcmeApiKey", …]`: the two strings the name-and-value
/// alternative takes (`setenv("API_KEY", "…")`) are items of a list
/// when the name's string follows `[` or another string and a `,`, not a
/// call's `(`. The match starts at `start`, inside the name's string
/// (the alternative has no `\b`: `"AcmeApiKey"` matches from `ApiKey`).
pub fn in_string_list(b: &[u8], start: usize) -> bool {
    let head = b.get(..start).unwrap_or(&[]);
    let name = head
        .iter()
        .rev()
        .take(OPEN_REACH)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
        .count();
    let Some((b'"' | b'\'', head)) = head.get(..head.len() - name).and_then(<[u8]>::split_last)
    else {
        return false;
    };
    let mut back = head.iter().rev().skip_while(|c| c.is_ascii_whitespace());
    match back.next() {
        Some(b'[') => true,
        Some(b',') => matches!(back.find(|c| !c.is_ascii_whitespace()), Some(b'"' | b'\'')),
        _ => false,
    }
}

/// The part of the value starting at `vs` that is judged as a literal:
/// an unquoted number that closes a bracket at once (`tokenRank:7})`) is
/// the value alone, what follows it is code.
pub fn judged<'a>(b: &[u8], vs: usize, v: &'a str) -> &'a str {
    let quoted = matches!(b.get(vs.wrapping_sub(1)), Some(b'"' | b'\'' | b'`'));
    match number_then_closer(v) {
        Some(n) if !quoted => n,
        _ => v,
    }
}

/// A number that closes a bracket at once: the number.
fn number_then_closer(v: &str) -> Option<&str> {
    let n = v.bytes().take_while(u8::is_ascii_digit).count();
    match v.as_bytes().get(n) {
        Some(b')' | b'}' | b']') if n > 0 => v.get(..n),
        _ => None,
    }
}
