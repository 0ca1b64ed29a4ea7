//! What a built-in rule is: its keywords, pattern, anchors and checks, and
//! how the regex source and the anchor list are derived from them. The
//! rules themselves are the tables in `packs/`, one file a pack.

use super::{Action, Severity};

/// How the engine finds places where a rule may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Case-insensitive literal (stored lowercase). With `word`, an ASCII
    /// word character at either end must not touch another word character.
    Lit { text: String, word: bool },
    /// A run of at least this many ASCII digits.
    Digits(usize),
}

/// A cheap test on one anchor occurrence, done by the prefilter before it
/// opens a window, so common anchors in clean text cost no regex run. Must
/// hold for every anchor occurrence that is part of a real match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    None,
    /// The anchor is written in upper case (`.env` variable names).
    Upper,
    /// `:`, `=`, `：`, `是`, `为` or ` is ` follows within 24 bytes, or `>`
    /// or `"` right after (XML), or the anchor is `bearer` (its token
    /// follows a space) or Chinese (`初始密码 Hx!vpn`).
    Assign,
    /// A digit run that can start a CN mobile number: `1[3-9]…` or
    /// `861[3-9]…`, 3 (separated form), 11 or 13 digits long.
    MobileHead,
    /// Followed by a digit and not preceded by a digit, `.` or letter.
    DottedQuad,
    /// A digit run with an IBAN head (`DE89`: two capitals, two digits, not
    /// inside a word) at most 40 bytes before it.
    IbanHead,
    /// A literal passes; a digit run only as a card's first group: 4
    /// digits, a space or `-`, then 4 or 6 digits; or as a whole card
    /// number (`id_alone::card_head`).
    CardGroup,
    /// A literal passes, but a NINO anchor (`3 c`) only at a spaced NINO's
    /// end; a digit run where a national ID's printed form starts
    /// (`id_alone::id_head`).
    IdHead,
    /// A literal passes; a digit run in an international number or after
    /// a North American area code (`id_alone::phone_head`).
    PhoneHead,
    /// `0x` and 40 hex digits, `bc1`/`tb1` at a word's start, or a word
    /// (`wallets::head`).
    Wallet,
    /// The anchor starts a word and at least 12 key characters
    /// (`[A-Za-z0-9._-]`) follow it: a vendor prefix that is also a word
    /// (`pat`, `re_`, `app-`) opens a window only before a key.
    KeyTail,
    /// Base64 of decimal digits, case and all, starting a token
    /// (`discord.rs`); the rule's anchors are generated there.
    Snowflake,
    /// A city's letter (capital, not I or O) right after a province's
    /// character, not after a letter or digit: a plate's head.
    PlateHead,
    /// A digit run inside a token with a shape `ids_shaped.rs` knows.
    IdShape,
    /// A run of 5 digits after a US state's code and a space (`IL 62704`).
    ZipTail,
}

/// Extra checks on a regex match where a pattern alone misfires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    None,
    /// Not part of a longer digit run.
    DigitBounds,
    /// GB 11643 18-digit ID: digit bounds and checksum.
    CnIdCard,
    /// 13–19 digit card number: digit bounds, Luhn, and a banking word
    /// near, or a printed grouping with a known issuer prefix and length.
    BankCard,
    /// Dotted quad with octets <= 255, not part of a longer dotted number.
    Ipv4,
    /// The match starts a line.
    LineStart,
    /// A host name that does not continue as a longer name (`a.local.js`)
    /// and is not inside an `<example>` element (see `illustrative.rs`).
    HostEnd,
    /// [`Validator::HostEnd`], and not a Kubernetes `*.cluster.local` name.
    InternalDomain,
    /// Not the `user:password@host` part of a URL, not a reserved example
    /// domain (`example.com`, `.test`), not a `git@host:` remote, not a
    /// no-reply sender (`noreply@anthropic.com`).
    Email,
    /// The assigned value is a literal secret, not code, a type or a
    /// placeholder (see `literal.rs`).
    SecretValue,
    /// [`Validator::LineStart`] and [`Validator::SecretValue`].
    EnvSecret,
    /// The password a command line gives a tool's flag is a literal
    /// secret (see `cli_secret.rs`).
    CliSecret,
    /// A connection string whose credentials are not a placeholder.
    Dsn,
    /// A key format that is not a documented placeholder (`XXXX`, `EXAMPLE`).
    KeyShape,
    /// An IBAN of its country's ISO 13616 length whose mod-97 check is 1.
    Iban,
    /// Any match; one whose header does not decode is recorded only
    /// (see `certainty.rs`).
    Jwt,
    /// A national ID or tax number of a kind a word near it names, valid
    /// by that kind's structure and check (see `ids_world.rs`).
    NationalId,
    /// A phone number with a word for a phone near it (see `phone.rs`),
    /// or alone in international or North American form (`id_alone.rs`).
    Phone,
    /// A bank routing or account number valid by its structure and check,
    /// with a word naming it near (`id_words::BANKING`).
    BankNumber,
    /// A wallet address whose checksum holds, or one with a word for a
    /// wallet near (see `wallets.rs`).
    Wallet,
    /// A Discord bot token whose first segment decodes to a user id.
    Snowflake,
    /// A public IP address introduced as someone's own (`ip_own.rs`).
    IpOwn,
    /// A session cookie's value, not code passing a session's id along
    /// (`session_id=self._session_id`): see `literal::is_code_path`.
    CookieValue,
    /// A PEM header that opens a key: not a string literal holding the
    /// header alone (code looking for it), not followed by an elided body.
    PemHeader,
    /// A Chinese plate alone, apart from other codes, with two digits or
    /// more (`cn_personal.rs`).
    Plate,
    /// A Chinese name after its label, not a stand-in or a surname with a
    /// title (`cn_personal.rs`).
    PersonName,
    /// A whole token with a shape `ids_shaped.rs` knows.
    IdShape,
    /// A MAC address after its label, one separator, not blank (`mac.rs`).
    Mac,
    /// A generated key under a name ending in `key` that names no other
    /// kind of key (`named_key.rs`).
    NamedKey,
}

/// A built-in rule as written in [`builtins`](super::packs::builtins). Its regex is the keyword
/// alternatives followed by `pattern`; its anchors are the keywords,
/// `anchors` and the `digits` run.
#[derive(Debug)]
pub struct Builtin {
    pub id: &'static str,
    pub pack: &'static str,
    pub severity: Severity,
    pub action: Action,
    pub description: &'static str,
    pub keywords: Keywords,
    /// Regex ORed after the keyword alternatives; empty for keyword rules.
    pub pattern: &'static str,
    /// Lowercase literals, matched anywhere (not as whole words).
    pub anchors: &'static [&'static str],
    /// A run of at least this many ASCII digits is an anchor.
    pub digits: Option<usize>,
    /// Context words, lowercase, whole words when ASCII: anchors that are
    /// not part of the regex (the validator looks for them near a match),
    /// each with the bits of what it names.
    pub words: &'static [(&'static str, u32)],
    pub validator: Validator,
    pub confirm: Confirm,
    /// Bytes searched before and after each anchor occurrence.
    pub before: usize,
    pub after: usize,
    /// A keyword rule: acts only with this evidence score near the keyword
    /// (see `evidence.rs`), else its hit is `audit`. 0: no evidence needed.
    pub evidence: u32,
}

/// Keyword lists of a rule; each keyword is both a regex alternative and
/// an anchor.
#[derive(Debug)]
pub struct Keywords {
    /// English keywords, case-insensitive, whole words.
    pub ci: &'static [&'static str],
    /// Acronyms, case-sensitive, whole words (`VAT`, `NDA`).
    pub cs: &'static [&'static str],
    /// Chinese keywords, matched anywhere.
    pub zh: &'static [&'static str],
}

impl Keywords {
    pub(super) const NONE: Keywords = Keywords {
        ci: &[],
        cs: &[],
        zh: &[],
    };
}

/// What a table entry leaves out: no keywords, no pattern, no anchors,
/// no checks, a window of just the anchor. `action` defaults like a
/// custom rule's; every entry states its severity.
pub(super) const BASE: Builtin = Builtin {
    id: "",
    pack: "",
    severity: Severity::Medium,
    action: Action::RouteSecureModel,
    description: "",
    keywords: Keywords::NONE,
    pattern: "",
    anchors: &[],
    digits: None,
    words: &[],
    validator: Validator::None,
    confirm: Confirm::None,
    before: 0,
    after: 0,
    evidence: 0,
};

impl Builtin {
    /// The regex source: keyword alternatives, then `pattern`.
    pub fn full_pattern(&self) -> String {
        let k = &self.keywords;
        let mut alts = Vec::new();
        if !k.ci.is_empty() {
            alts.push(format!("(?i:\\b(?:{})\\b)", escape_all(k.ci)));
        }
        if !k.cs.is_empty() {
            alts.push(format!("\\b(?:{})\\b", escape_all(k.cs)));
        }
        if !k.zh.is_empty() {
            alts.push(escape_all(k.zh));
        }
        if !self.pattern.is_empty() {
            alts.push(self.pattern.to_string());
        }
        alts.join("|")
    }

    /// Every anchor the prefilter looks for.
    pub fn all_anchors(&self) -> Vec<Anchor> {
        let k = &self.keywords;
        let mut out = lits(k.ci, true);
        out.extend(lits(k.cs, true));
        out.extend(lits(k.zh, false));
        out.extend(lits(self.anchors, false));
        out.extend(self.words.iter().map(|&(w, _)| Anchor::Lit {
            text: w.to_string(),
            word: true,
        }));
        out.extend(self.digits.map(Anchor::Digits));
        if self.confirm == Confirm::Wallet {
            out.extend(
                super::wallets::base58_anchors()
                    .into_iter()
                    .map(|text| Anchor::Lit { text, word: false }),
            );
        }
        if self.confirm == Confirm::Snowflake {
            out.extend(
                super::discord::anchors()
                    .into_iter()
                    .map(|text| Anchor::Lit { text, word: false }),
            );
        }
        out
    }
}

fn lits(words: &[&str], word: bool) -> Vec<Anchor> {
    words
        .iter()
        .map(|w| Anchor::Lit {
            text: w.to_ascii_lowercase(),
            word,
        })
        .collect()
}

fn escape_all(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| regex_lite::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}
