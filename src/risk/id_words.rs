//! Words that name a kind of number, and finding them near a match: the
//! context a national ID (`ids_world.rs`) or a phone number needs before
//! it acts.

use super::ids_world::*;

/// Any ID card with a check character (a generic "ID number" names these).
/// Only kinds whose date and check(s) leave little to chance join it: a
/// 9-10 digit number with one mod-10/11 check does not (TFN, ACN,
/// Medicare).
const ID_CARDS: Kinds =
    NRIC | DNI | HKID | TWID | RRN | AADHAAR | CF | CPF | PESEL | HETU | THAI | TCKN | CURP;
const TAX_IDS: Kinds = SSN | DNI | CF | PAN | USCC | CPF | STEUER | ABN;

/// Words that name a kind of number, lowercase; ASCII ones stand as whole
/// words. Also the rule's anchors, so the prefilter opens a window only
/// where one of them is written.
pub const CONTEXT: &[(&str, Kinds)] = &[
    ("ssn", SSN),
    // a French NIR is a social security number too
    ("social security", SSN | NIR),
    ("itin", SSN),
    ("taxpayer identification", SSN),
    ("taxpayer id", TAX_IDS),
    ("tax identification", TAX_IDS),
    ("ss#", SSN),
    ("soc sec", SSN),
    ("taxpayer number", TAX_IDS),
    // names written as one word
    ("socialsecurity", SSN),
    ("socialsecuritynumber", SSN),
    ("taxpayerid", TAX_IDS),
    ("national insurance", NINO),
    ("nino", NINO),
    ("ni number", NINO),
    ("nhs", NHS),
    ("aadhaar", AADHAAR),
    ("aadhar", AADHAAR),
    ("uidai", AADHAAR),
    ("आधार", AADHAAR),
    ("pan", PAN),
    ("permanent account number", PAN),
    ("rrn", RRN),
    ("resident registration", RRN),
    ("주민등록번호", RRN),
    ("nric", NRIC),
    ("fin", NRIC),
    ("dni", DNI),
    ("nie", DNI),
    ("nif", DNI),
    ("documento nacional", DNI),
    ("codice fiscale", CF),
    ("fiscal code", CF),
    ("social insurance", SIN),
    ("sin", SIN),
    ("nas", SIN),
    ("assurance sociale", SIN),
    ("hkid", HKID),
    ("hong kong identity", HKID),
    ("hong kong id", HKID),
    ("身份證", HKID | TWID | MOID),
    ("身份证", HKID | TWID | MOID),
    ("身分證", TWID),
    ("taiwan", TWID),
    ("macau", MOID),
    ("macao", MOID),
    ("澳门", MOID),
    ("澳門", MOID),
    ("id number", ID_CARDS),
    ("id no", ID_CARDS),
    ("id card", ID_CARDS),
    ("identity card", ID_CARDS),
    ("identity number", ID_CARDS),
    ("national id", ID_CARDS),
    ("tax id", TAX_IDS),
    ("tax code", TAX_IDS),
    ("tax number", TAX_IDS),
    ("统一社会信用代码", USCC),
    ("社会信用代码", USCC),
    ("信用代码", USCC),
    ("纳税人识别号", USCC),
    ("税号", USCC),
    ("营业执照", USCC),
    ("uscc", USCC),
    ("credit code", USCC),
    ("npi", NPI),
    ("national provider", NPI),
    ("provider identifier", NPI),
    ("provider id", NPI),
    ("dea", DEA),
    ("medical license", DEA),
    ("medical licence", DEA),
    ("certificate number", DEA),
    ("license number", DEA | LICENCE),
    ("licence number", DEA | LICENCE),
    ("driver license", LICENCE),
    ("driver licence", LICENCE),
    ("driver's license", LICENCE),
    ("driver's licence", LICENCE),
    ("drivers license", LICENCE),
    ("driving licence", LICENCE),
    ("driving license", LICENCE),
    ("dl#", LICENCE),
    ("dl #", LICENCE),
    ("dl:", LICENCE),
    ("dl number", LICENCE),
    ("dl no", LICENCE),
    ("license no", DEA | LICENCE),
    ("licence no", DEA | LICENCE),
    ("license #", DEA | LICENCE),
    ("licence #", DEA | LICENCE),
    ("driverlicense", LICENCE),
    ("driverslicense", LICENCE),
    ("driverlicence", LICENCE),
    ("drivinglicence", LICENCE),
    // Latin America
    ("cpf", CPF),
    ("curp", CURP),
    ("clave única de registro", CURP),
    ("clave unica de registro", CURP),
    // Europe and Turkey
    ("pesel", PESEL),
    ("hetu", HETU),
    ("henkilötunnus", HETU),
    ("henkilotunnus", HETU),
    ("personbeteckning", HETU),
    ("personbeteckningen", HETU),
    ("personal identity code", HETU),
    ("nir", NIR),
    ("securite sociale", NIR),
    ("sécu", NIR),
    ("carte vitale", NIR),
    ("nss", NIR),
    ("insee", NIR),
    ("steuer-id", STEUER),
    ("steuerid", STEUER),
    ("steueridentifikationsnummer", STEUER),
    ("identifikationsnummer", STEUER),
    ("idnr", STEUER),
    ("kimlik", TCKN),
    ("tckn", TCKN),
    ("tc no", TCKN),
    ("tcno", TCKN),
    // Australia
    ("tfn", TFN),
    ("tax file", TFN),
    ("abn", ABN),
    ("business number", ABN),
    ("acn", ACN),
    ("company number", ACN),
    ("medicare", MEDICARE),
    // Thailand
    ("thai id", THAI),
    ("เลขประจำตัวประชาชน", THAI),
    ("บัตรประชาชน", THAI),
    ("泰国身份证", THAI),
    ("passport", PASSPORT),
    ("passports", PASSPORT),
    ("passportnumber", PASSPORT),
    ("passportno", PASSPORT),
    ("travel document", PASSPORT),
    ("护照", PASSPORT),
    ("通行证", PASSPORT),
    ("台胞证", PASSPORT),
    ("回乡证", PASSPORT),
];

/// Words that name a bank routing or account number (`bank_account_number`).
pub const BANKING: &[(&str, Kinds)] = &[
    ("routing number", ABA),
    ("routingnumber", ABA),
    ("routing no", ABA),
    ("routing transit", ABA),
    // a form's label: `Routing #: …`. Not `routing` alone (`the routing
    // table has 071401926 entries`), nor `routing:`, which labels a
    // network's settings as often (`routing: 8 hops…`) and reaches any
    // number in the sentence
    ("routing #", ABA),
    ("bank routing", ABA),
    ("transit number", ABA),
    ("aba", ABA),
    ("rtn", ABA),
    ("account number", ACCOUNT),
    ("accountnumber", ACCOUNT),
    ("account no", ACCOUNT),
    ("acct", ACCOUNT),
    ("bank account", ACCOUNT),
    ("checking account", ACCOUNT),
    ("savings account", ACCOUNT),
    ("银行账号", ACCOUNT),
    ("银行账户", ACCOUNT),
    ("银行帐号", ACCOUNT),
    ("收款账号", ACCOUNT),
    ("对公账户", ACCOUNT),
    ("对公账号", ACCOUNT),
    // the bank an account was opened at names the number beside it on an
    // invoice's or a contract's payment details
    ("开户行", ACCOUNT),
    // a bank's branch names the account beside it (`中国银行北京分行 账号 …`)
    ("分行", ACCOUNT),
    ("支行", ACCOUNT),
    ("公司账户", ACCOUNT),
    ("开户账号", ACCOUNT),
    ("付款账号", ACCOUNT),
    ("汇款账号", ACCOUNT),
    ("公积金账号", ACCOUNT),
];

/// Bytes between a number and a word that names it.
pub const RADIUS: usize = 40;

/// The kinds named by a [`CONTEXT`] word within [`RADIUS`] bytes of
/// `text[start..end]`.
pub fn named_near(text: &str, start: usize, end: usize) -> Kinds {
    near(CONTEXT, text, start, end)
}

/// The bits of the `words` within [`RADIUS`] bytes of `text[start..end]`
/// and in the same sentence (`what is an SSN? 219-…` names nothing). An
/// ASCII word must stand as a word, as the prefilter found it.
pub fn near(words: &[(&str, Kinds)], text: &str, start: usize, end: usize) -> Kinds {
    let b = text.as_bytes();
    let lo = start.saturating_sub(RADIUS);
    let hi = end.saturating_add(RADIUS).min(b.len());
    let near = b[lo..hi].to_ascii_lowercase();
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
    };
    let mut kinds = 0;
    for &(w, k) in words {
        let wb = w.as_bytes();
        let standalone = |at: usize| !((at > 0 && word(at - 1)) || word(at + wb.len()));
        let same_sentence = |at: usize| {
            let (x, y) = if at < start {
                (at + wb.len(), start)
            } else {
                (end, at)
            };
            !b.get(x..y).is_some_and(ends_sentence)
        };
        if memchr::memmem::find_iter(&near, wb)
            .map(|i| lo + i)
            .any(|at| (!wb.is_ascii() || standalone(at)) && same_sentence(at))
        {
            kinds |= k;
        }
    }
    kinds
}

/// The value of a match: its ASCII letters and digits, letters upper-cased
/// (separators and parentheses dropped); `None` past 24 characters.
pub fn compact(m: &[u8]) -> Option<Vec<u8>> {
    let v: Vec<u8> = m
        .iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(u8::to_ascii_uppercase)
        .collect();
    (v.len() <= 24).then_some(v)
}

/// Does `gap` hold the end of a sentence or line (`?`, `!`, a newline,
/// `。`, `？`, `！`)? A `.` does not count: `Tel.`, `No.` name what follows.
fn ends_sentence(gap: &[u8]) -> bool {
    memchr::memchr3(b'?', b'!', b'\n', gap).is_some()
        || ["。", "？", "！"]
            .iter()
            .any(|s| memchr::memmem::find(gap, s.as_bytes()).is_some())
}

/// Labels of numbers that are not a bank's: an order's, an invoice's, a
/// ticket's, a parcel's, a transaction's serial. Matched as the text's
/// end, so `单号` stands for 订单号, 工单号 and 快递单号 too.
const OTHER_LABELS: &[&str] = &[
    "单号",
    "编号",
    "发票号",
    "发票号码",
    "流水号",
    "合同号",
    "order no",
    "order number",
    "order",
    "invoice",
    "ticket",
    "tracking",
];

/// The label right before `start` (white space and a colon between) names
/// another kind of number: `…分行，订单号 2024…` is an order, whatever bank
/// word stands before it.
pub fn other_label_before(b: &[u8], start: usize) -> bool {
    let head = b.get(..start).unwrap_or_default();
    let trimmed = head.len()
        - head
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_whitespace() || matches!(c, b':' | b'#'))
            .count();
    let head = &head[..trimmed];
    // a full-width colon (`：`, EF BC 9A) too
    let head = head.strip_suffix("：".as_bytes()).unwrap_or(head);
    OTHER_LABELS.iter().any(|l| {
        head.len() >= l.len()
            && head[head.len() - l.len()..].eq_ignore_ascii_case(l.as_bytes())
            && !(l.is_ascii()
                && head
                    .len()
                    .checked_sub(l.len() + 1)
                    .and_then(|i| head.get(i))
                    .is_some_and(u8::is_ascii_alphanumeric))
    })
}
