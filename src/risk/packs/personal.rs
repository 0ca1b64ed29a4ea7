//! The `personal` pack. Personal data: e-mail addresses, phone numbers,
//! national IDs, passports, payment cards, IBANs, wallets, addresses, CVs.

use super::{BANK_CONTEXT, BANK_CONTEXT_RADIUS};
use crate::risk::builtin::{Builtin, Confirm, Keywords, Validator, BASE};
use crate::risk::evidence::THRESHOLD;
use crate::risk::Severity;
use crate::risk::{cn_personal, email_spelled, id_alone, id_words, phone, wallets};
use Severity::{High, Low, Medium};

pub(super) static RULES: &[Builtin] = &[
    Builtin {
        id: "email_address",
        pack: "personal",
        severity: Medium,
        description: "E-mail address, plain or spelled out (`jane[at]acme[dot]com`)",
        // a plain address, or one spelled out (`jane[at]acme[dot]com`)
        pattern: email_spelled::PATTERN,
        anchors: email_spelled::ANCHORS,
        validator: Validator::Email,
        before: 72,
        after: 255,
        ..BASE
    },
    Builtin {
        id: "cn_mobile_number",
        pack: "personal",
        severity: Medium,
        description: "Mainland China mobile number (1[3-9]x, 11 digits, optional +86), not part of a longer number",
        pattern: r"(?:\+?86[\- ]?)?1[3-9]\d(?:\d{8}|[\- ]\d{4}[\- ]\d{4})",
        digits: Some(3),
        validator: Validator::DigitBounds,
        confirm: Confirm::MobileHead,
        before: 4,
        after: 12,
        ..BASE
    },
    Builtin {
        id: "cn_id_card",
        pack: "personal",
        severity: High,
        description: "Chinese resident ID number (18 digits, valid date and GB 11643 checksum)",
        pattern: r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]",
        digits: Some(17),
        validator: Validator::CnIdCard,
        after: 1,
        ..BASE
    },
    Builtin {
        id: "passport_number",
        pack: "personal",
        severity: High,
        description: "Passport, US SSN, date of birth or medical record number next to its label (passport/护照, SSN, DOB, I was born on, 出生于, MRN, 病历号/住院号/门诊号)",
        pattern: r"(?i:passport|护照)(?i:\s*(?:no\.?|number|num|#|id|号码|号))?\s*(?:(?i:is)\s*)?[:：]?\s*(?:\b[A-Z]{1,2}\d{6,9}|\d{9})\b|(?i:\bssn|social security(?: number)?)[^\d\n.?!]{0,16}?\b\d{3}-\d{2}-\d{4}\b|(?i:\b(?:dob|date of birth|birth ?date|(?:i|he|she|they)\s+(?:was|were|am)\s+born(?:\s+on)?(?:\s+the)?)\b)\s*(?:(?i:is|was)\s+)?[:：]?\s*(?:\d{1,4}[\-/.]\d{1,2}[\-/.]\d{1,4}\b|(?i:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+)?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}\b)|\bMRN\s*[:#]?\s*\d{6,}\b|出生日期\s*[:：]?\s*\d{4}|病历号\s*[:：]?\s*[A-Za-z]{0,3}\d{4}|(?:住院号|门诊号|病案号)\s*[:：]?\s*[A-Za-z]{0,3}\d{6,}|(?:出生于|出生在|生日(?:是|为|[:：]))\s*\d{4}\s*(?:年\s*\d{1,2}\s*月|[\-/.]\d{1,2}[\-/.]\d{1,2})",
        anchors: &["passport", "护照", "ssn", "social security", "dob", "date of birth", "birthdate", "birth date", "born", "mrn", "出生日期", "出生于", "出生在", "生日", "病历号", "住院号", "门诊号", "病案号"],
        // `they were born on`: the label starts before its anchor `born`
        before: 12,
        after: 48,
        ..BASE
    },
    Builtin {
        id: "bank_card_context",
        pack: "personal",
        severity: High,
        description: "Bank card number (13-19 digits, Luhn-valid) with a banking word nearby, or alone with a known issuer prefix and length",
        pattern: r"\b\d{4}(?:[\- ]{0,2}\d{4}){2}[\- ]{0,2}\d{1,4}(?:[\- ]?\d{1,3})?\b|\b\d{4}[\- ]\d{6}[\- ]\d{5}\b",
        anchors: BANK_CONTEXT,
        // without a banking word, a card grouped as printed (4-4-4-4,
        // 4-6-5) of a known issuer's prefix and length
        digits: Some(4),
        confirm: Confirm::CardGroup,
        validator: Validator::BankCard,
        before: BANK_CONTEXT_RADIUS + 24,
        after: BANK_CONTEXT_RADIUS + 24,
        ..BASE
    },
    Builtin {
        id: "iban_number",
        pack: "personal",
        severity: High,
        description: "IBAN of any country (ISO 13616 length and mod-97 check), compact or in groups of four",
        pattern: r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
        digits: Some(4),
        validator: Validator::Iban,
        confirm: Confirm::IbanHead,
        before: 40,
        after: 40,
        ..BASE
    },
    Builtin {
        id: "national_id_number",
        pack: "personal",
        severity: High,
        description: "National ID or tax number of another country (US SSN/ITIN, UK NINO/NHS, Aadhaar, PAN, Korean RRN, Singapore NRIC/FIN, Spanish DNI/NIE, codice fiscale, Canadian SIN, Hong Kong/Macau/Taiwan ID, unified social credit code, Brazilian CPF, Mexican CURP, Polish PESEL, Finnish henkilötunnus, French NIR, German Steuer-ID, Turkish T.C. Kimlik, Australian TFN/ABN/ACN/Medicare, Thai ID), US NPI, DEA number, US or UK driver licence, passport, valid by its check, with a word naming it nearby, or alone in a form only it takes (SSN/ITIN, NHS, SIN, Aadhaar, RRN as printed; spaced NINO; NRIC/FIN, DNI/NIE, PAN, codice fiscale; ABA as dddd-dddd-d; a Chinese resident ID in groups; CPF as ddd.ddd.ddd-dd; NIR, ABN and Thai ID in their printed groups; a henkilötunnus with a letter; CURP)",
        // A GB driving licence (16 characters, a date inside); 8-13 digits
        // in groups (and a DNI letter); letters then digits
        // (NINO, HKID, NRIC, NIE, Taiwan); PAN; codice fiscale; USCC; a
        // Chinese resident ID in groups; CURP; a henkilötunnus (and a
        // Swedish `+` personnummer); a NIR of 15 characters in its groups;
        // a US state's licence as printed in groups (Illinois `L###-####-####`,
        // Florida `L###-###-##-###-#`, Michigan's spaced).
        // A letter form's check character may stand after a space, but a
        // space alone is not taken: the match would end on it and the word
        // after (`B7294615 exp 09/27`) would make it look run together.
        // Only a DNI's eight digits take a letter after them: `\b` is
        // ASCII, so on any number the letter was the first of a word like
        // `für` or `été` and the number was lost with it
        pattern: r"(?i)\b(?:[A-Z][A-Z9]{4}\d[0156]\d[0-3]\d{2}[A-Z][A-Z9]\d[A-Z0-9]{2}\b|[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d|\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b|[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b|[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]|[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}|[A-Z]{5}\d{4}[A-Z]|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b|[A-Z]{1,2}[ \-]?\d{6,9}(?: ?(?:\([0-9A-Z]\)|[0-9A-Z]\b))?|\d{7} ?\(\d\)|\d{4} \d{4} \d{4} \d{4} \d[\dX]\b|\d{6} \d{8} \d{3}[\dX]\b|\d{2}\.?\d{3}\.?\d{3}[ \-]?[A-Z]\b|[A-Z][ \-]?\d{3}(?:[ \-]\d{2,4}){2,4}\b|\d(?:[ .\-]?\d){7,12})",
        words: id_words::CONTEXT,
        anchors: id_alone::NINO_ANCHORS,
        digits: Some(3),
        confirm: Confirm::IdHead,
        validator: Validator::NationalId,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "phone_number",
        pack: "personal",
        severity: Medium,
        description: "Phone number of any country (E.164 or national groups, 7-15 digits) with a word for a phone nearby (phone, tel, mobile, 电话, 手机, 座机…), or alone as +CC… or (NXX) NXX-XXXX",
        // a national `0…` number of 2 groups first: two such numbers in a
        // row are two phones, not one run of groups. A later group runs to
        // its last digit: cut at five, `+44 7911 482073` matched up to its
        // `3`, which then read as a number run on (the count is checked in
        // `phone::valid`)
        pattern: r"0\d{1,4}[ \-]\d{6,8}\b|(?:\+\d{1,3}[ .\-]?)?(?:[(（]\d{1,4}[)）][ .\-]?)?\d{2,5}(?:[ .\-]?\d{2,}){1,4}",
        words: phone::WORDS,
        digits: Some(3),
        confirm: Confirm::PhoneHead,
        validator: Validator::Phone,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "bank_account_number",
        pack: "personal",
        severity: High,
        description: "US bank routing number (ABA check) or account number with a word naming it nearby",
        // up to 21 digits: a Chinese bank's account (对公 accounts of 19-21)
        pattern: r"\b\d(?:[ \-]?\d){7,20}\b",
        words: id_words::BANKING,
        validator: Validator::BankNumber,
        before: id_words::RADIUS + 32,
        after: id_words::RADIUS + 32,
        ..BASE
    },
    Builtin {
        id: "crypto_wallet",
        pack: "personal",
        severity: Medium,
        description: "Crypto wallet address: bech32 or EIP-55 by its checksum; base58check or one-case 0x near a wallet word",
        pattern: r"\b(?:[123mn][1-9A-HJ-NP-Za-km-z]{25,34}|(?:bc|BC|tb|TB)1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,87}|0[xX][0-9a-fA-F]{40})\b",
        anchors: &["bc1", "tb1", "0x"],
        words: wallets::WORDS,
        confirm: Confirm::Wallet,
        validator: Validator::Wallet,
        before: id_words::RADIUS + 96,
        after: id_words::RADIUS + 96,
        ..BASE
    },
    Builtin {
        id: "ip_address",
        pack: "personal",
        severity: Medium,
        description: "Public IPv4 or IPv6 address introduced as someone's own (my ip is, IP address:); not private, loopback or documentation ranges",
        pattern: r"(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*[0-9A-Fa-f]|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?",
        // `ip` followed by what introduces an address: a 2-byte anchor
        // would stop the prefilter at every `ship` and `tip`
        words: &[("ip ", 1), ("ip:", 1), ("ipv4", 1), ("ipv6", 1), ("ip是", 1), ("ip地址", 1), ("ip：", 1)],
        validator: Validator::IpOwn,
        before: 4,
        after: 100,
        ..BASE
    },
    Builtin {
        id: "id_number_by_label",
        pack: "personal",
        severity: High,
        description: "Other numbers by their label and printed format: Singapore UEN, India voter id, vehicle registration (India, UK, US), Italian partita IVA, patente, carta d'identità and passaporto, US Medicare MBI and EIN, South African and Israeli IDs, Japan's My Number, Chinese officers' and police cards (军官证, 警官证), vehicle identification numbers (VIN, 车架号)",
        // Each only right after its label: alone, each shape is any code
        // or number. Formats from the issuing bodies' public descriptions.
        pattern: concat!(
            // Singapore's UEN (ACRA): 8 digits and a letter, a year and 5 digits
            // and a letter, or T/S/R, a year, 2 letters, 4 digits, a letter
            r"(?i:\buen(?:\s*(?:no\.?|number))?\s*(?:is\s*)?[:：#]?\s*(?:\d{8}[A-Z]|(?:19|20)\d{7}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])\b)",
            // India's voter id (EPIC): 3 letters and 7 digits
            r"|(?i:(?:\bvoter(?:'s)?\s*(?:id|identity)|\bepic)(?:\s*card)?(?:\s*(?:no\.?|number))?\s*(?:is\s*)?[:：#]?\s*[A-Z]{3}\d{7}\b)",
            // a vehicle's registration as India (MH 12 AB 1234), the UK (AB12
            // CDE) or the most common US forms (California's 7ABC123, ABC-1234,
            // 123 ABC) print it
            r"|(?i:(?:\bvehicle\s*(?:registration|reg\.?)|\bregistration\s*(?:no\.?|number)|\b(?:number|licen[cs]e)\s*plate)(?:\s*(?:no\.?|number))?\s*(?:is\s*)?[:：#]?\s*(?:[A-Z]{2}[ \-]?\d{1,2}[ \-]?[A-Z]{1,3}[ \-]?\d{4}|[A-Z]{2}\d{2}\s?[A-Z]{3}|\d[A-Z]{3}\d{3}|[A-Z]{3}[ \-]?\d{3,4}|\d{3}[ \-]?[A-Z]{3})\b)",
            // Italy: partita IVA (11 digits), patente (U1 + 7 + a letter, or
            // 2 letters, 7 digits, a letter), carta d'identità (CIE: 2 letters,
            // 5 digits, 2 letters; paper: 2 letters, 7 digits), passaporto
            r"|(?i:(?:\bpartita\s*iva|\bp\.\s?iva)(?:\s*(?:n\.?|nr\.?|numero))?\s*[:：]?\s*(?:it)?\d{11}\b)",
            r"|(?i:\bpatente(?:\s*di\s*guida)?(?:\s*(?:n\.?|nr\.?|numero))?\s*[:：]?\s*(?:U1[A-Z0-9]{7}[A-Z]|[A-Z]{2}\d{7}[A-Z])\b)",
            r"|(?i:\bcarta\s*d['’]\s?identit[àa](?:\s*(?:n\.?|nr\.?|numero))?\s*[:：]?\s*(?:[A-Z]{2}\d{5}[A-Z]{2}|[A-Z]{2}\d{7})\b)",
            r"|(?i:\bpassaporto(?:\s*italiano)?(?:\s*(?:n\.?|nr\.?|numero))?\s*[:：]?\s*[A-Z]{2}\d{7}\b)",
            // US Medicare's MBI (CMS): 11 characters, letters without S L O I B Z
            r"|(?i:(?:\bmbi\b|\bmedicare\s*(?:beneficiary\s*identifier|number|no\.?|id))(?:\s*\(mbi\))?\s*(?:is\s*)?[:：#]?\s*[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}\b)",
            // a US employer identification number (IRS: NN-NNNNNNN)
            r"|(?i:(?:\bemployer\s*identification\s*(?:number|no\.?)|\bf?ein\b)(?:\s*(?:is|was))?\s*[:：#]?\s*\d{2}-\d{7}\b)",
            // South Africa (YYMMDD, 4 digits, citizenship 0/1, 2 digits), Israel
            // (9 digits), Japan's My Number (12 digits)
            r"|(?i:\bsouth\s*african\s*id(?:\s*(?:no\.?|number))?\s*(?:is\s*)?[:：#]?\s*\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4}[01]\d{2}\b)",
            r"|(?i:(?:\bisraeli\s*id|\bteudat\s*zehut)(?:\s*(?:no\.?|number))?\s*(?:is\s*)?[:：#]?\s*\d{9}\b)",
            r"|(?i:(?:マイナンバー|個人番号|\bjapanese\s*my\s*number)\s*(?:is\s*)?[:：]?\s*\d{4}[ \-]?\d{4}[ \-]?\d{4}\b)",
            // a Chinese officer's, soldier's or police officer's card: its
            // issuer's character, `字第`, the number, `号` (or the digits)
            // (the printed form a few words on: `军官证号码，我的是 北字第…号`)
            r"|(?:军官证|士兵证|文职干部证|警官证)(?:(?:号码?)?[ \t]*(?:是|为)?[ \t]*[:：]?[ \t]*\d{7,8}\b|[^\d\n]{0,8}?[\x{4e00}-\x{9fa5}]{1,2}字第[ \t]*\d{6,8}[ \t]*号)",
            // a vehicle identification number (ISO 3779, GB 16735): 17
            // characters without I, O or Q, the last four digits as most
            // makers number them
            r"|(?:车架号|车辆识别代号|车辆识别码|(?i:\bvin))(?:码|号码?|(?i:[ \t]*(?:no\.?|number|#)))?[ \t]*(?:是|为|(?i:is\b))?[ \t]*[:：]?[ \t]*[A-HJ-NPR-Z0-9]{13}\d{4}\b",
        ),
        // word-bound anchors: `ein` as a part of `being` or `protein` would
        // open a window at every one
        words: &[
            ("uen", 0), ("voter", 0), ("epic", 0), ("vehicle", 0), ("registration", 0),
            ("number plate", 0), ("license plate", 0), ("licence plate", 0), ("partita", 0),
            ("p.iva", 0), ("p. iva", 0), ("patente", 0), ("carta", 0), ("passaporto", 0),
            ("mbi", 0), ("medicare", 0), ("employer identification", 0), ("ein", 0),
            ("fein", 0), ("south african", 0), ("israeli", 0), ("teudat", 0),
            ("japanese my number", 0), ("vin", 0),
        ],
        anchors: &[
            "マイナンバー", "個人番号", "军官证", "士兵证", "文职干部证", "警官证", "车架号",
            "车辆识别代号", "车辆识别码",
        ],
        after: 64,
        ..BASE
    },
    Builtin {
        id: "cn_account_or_plate",
        pack: "personal",
        severity: Medium,
        description: "QQ number, WeChat id or Chinese vehicle plate next to its label (QQ号, 微信号, WeChat ID:, 车牌号)",
        // Tencent's rules: a QQ number is 5-11 digits without a leading
        // zero; a WeChat id 6-20 letters, digits, `_` or `-`, starting with
        // a letter. A plate is GA 36: a province's character, the city's
        // letter, then 5 characters (6 for new-energy plates) without I/O.
        // Each only after its label: alone, each is any number or word. In
        // English the WeChat label needs its colon (`the WeChat ID is
        // required`).
        pattern: concat!(
            r"(?i:\bqq)[ \t]*(?:号码|号|(?i:number|no\.?|id\b))?[ \t]*(?:是|为|(?i:is\b))?[ \t]*[:：]?[ \t]*[1-9]\d{4,10}\b",
            r"|(?:微信(?:[ \t]*(?:号|(?i:id\b))[ \t]*(?:是|为)?|[ \t]*(?:是|为|[:：]))|(?i:\bwechat(?:[ \t]*id)?)[ \t]*[:：])[ \t]*[:：]?[ \t]*[A-Za-z][\-_A-Za-z0-9]{5,19}\b",
            r"|车牌(?:号码?)?[ \t]*(?:是|为)?[ \t]*[:：]?[ \t]*[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][ \t]*[·•]?[ \t]*[A-HJ-NP-Z0-9]{5,6}\b",
        ),
        // `qq` and what follows it: `qq` alone overlaps itself (`QQq`),
        // which the one-pass prefilter finds once where a naive search
        // finds twice
        anchors: &["qq号", "qq ", "qq:", "qq：", "qq是", "qq为", "微信", "wechat", "车牌"],
        after: 48,
        ..BASE
    },
    Builtin {
        id: "id_by_shape",
        pack: "personal",
        severity: Medium,
        description: "Identifiers whose printed shape alone is rare: a UK driving licence number, an Indian GSTIN by its check character",
        // any token of their lengths; `ids_shaped.rs` decides
        pattern: r"[0-9A-Za-z][0-9A-Za-z\-]{14,15}",
        digits: Some(4),
        confirm: Confirm::IdShape,
        validator: Validator::IdShape,
        before: 20,
        after: 20,
        ..BASE
    },
    Builtin {
        id: "mac_address",
        pack: "personal",
        severity: Medium,
        description: "A device's MAC address after a word naming it (MAC:, my MAC address is, hardware address); not the all-zero or broadcast address",
        pattern: concat!(
            r"(?i:\b(?:mac address|mac is|macs?[:：]|mac ?地址|hardware address|physical address))[^\n]{0,24}?",
            r"(?:[0-9A-Fa-f]{2}(?:[:\-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})",
        ),
        // the label's forms, each its own anchor
        anchors: &[
            "mac address", "mac is", "mac:", "macs:", "mac：", "macs：", "mac地址", "mac 地址",
            "hardware address", "physical address",
        ],
        validator: Validator::Mac,
        before: 4,
        after: 80,
        ..BASE
    },
    Builtin {
        id: "cn_vehicle_plate",
        pack: "personal",
        severity: Medium,
        description: "Chinese vehicle plate written alone (粤B7K2N9, 沪AD12345, 京A·3F8K2): GA 36's form with two digits or more",
        // GA 36: a province's character, the city's letter (no I or O),
        // an optional dot, then 5 characters, or 6 on a new-energy plate.
        // Alone, not only after 车牌: people write `停在楼下的粤B7K2N9`.
        pattern: r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][ \t]?[·•]?[ \t]?[A-HJ-NP-Z0-9]{5,6}",
        anchors: &[
            "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙",
            "赣", "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁",
            "琼",
        ],
        validator: Validator::Plate,
        // most of these characters are everyday words (新, 京, 云): a
        // window opens only where a city's letter follows
        confirm: Confirm::PlateHead,
        after: 16,
        ..BASE
    },
    Builtin {
        id: "cn_person_name_by_label",
        pack: "personal",
        severity: Medium,
        description: "A Chinese name after a label that asks for one (姓名：王建国, 收件人 赵丽华, 患者张伟): a common surname, then one or two characters",
        // The surnames are the most common hundred or so of the public
        // frequency lists, and the compound ones; a label's other senses
        // (`联系人列表`) do not go on with a surname, and surnames that are
        // everyday words (应, 和, 向, 时, 成: `患者应在…`) are left out.
        pattern: concat!(
            r"(?:姓名|联系人|收件人|收货人|寄件人|患者|病人|户主|申请人|持卡人|开户名|乘机人|乘车人|监护人|法定代表人|投保人|被保险人|受益人|借款人)",
            r#"[ \t]*["']?[ \t]*(?:是|为|叫)?[ \t]*[:：=]?[ \t]*["']?[ \t]*"#,
            r"(?:欧阳|司马|诸葛|上官|东方|皇甫|慕容|令狐|司徒|夏侯|公孙|尉迟|长孙|宇文|端木|轩辕|南宫|",
            r"[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]",
            r")[\x{4e00}-\x{9fa5}]{1,2}",
        ),
        anchors: cn_personal::NAME_LABELS,
        validator: Validator::PersonName,
        after: 48,
        ..BASE
    },
    Builtin {
        id: "personal_address_keywords",
        pack: "personal",
        severity: Medium,
        description: "Home/mailing address mentions and Chinese street addresses",
        keywords: Keywords {
            ci: &[
                "home address",
                "residential address",
                "mailing address",
                "street address",
                "shipping address",
                "my address is",
            ],
            cs: &[],
            zh: &[
                "家庭住址",
                "家庭地址",
                "住址",
                "收货地址",
                "居住地址",
                "通讯地址",
                "门牌号",
                "户口所在地",
                "户籍所在地",
                "户籍地址",
            ],
        },
        // 省/市 … 区/县 … 路/街/道/巷/胡同 12号, or a lane's house
        // (`科苑路399弄12号`, Shanghai's 弄); or, where estates number
        // buildings rather than houses, the building (`桃源村12栋`,
        // `3号楼`, `B座`, `R2-B栋`). The window reaches back from the last word.
        pattern: concat!(
            r"[\x{4e00}-\x{9fff}]{1,8}(?:省|市)[\x{4e00}-\x{9fff}]{1,8}(?:区|县)",
            r"(?:[\x{4e00}-\x{9fff}0-9]{1,15}(?:路|街|道|巷|胡同)\d{1,5}(?:弄\d{1,5})?号",
            r"|[\x{4e00}-\x{9fff}0-9A-Za-z\-]{2,20}?(?:\d{1,4}|[A-Z])(?:栋|幢|号楼|座))",
        ),
        anchors: &["号", "栋", "幢", "座"],
        before: 132,
        after: 4,
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "us_street_address",
        pack: "personal",
        severity: Medium,
        description: "A US street address down to the house, city, state and ZIP (742 Evergreen Terrace, Springfield, IL 62704)",
        // USPS Publication 28's order: a house number, the street's name
        // and its suffix, an optional unit, the city, the state's code
        // and the ZIP. The prefilter opens a window at a ZIP after a
        // state's code (`Confirm::ZipTail`); each part is bounded so the
        // address fits the window reaching back from it.
        pattern: concat!(
            r"\b\d{1,6}[ \t]+(?:[A-Za-z0-9][A-Za-z0-9.'\-]{0,19}[ \t]+){1,4}",
            r"(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|ter|way|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|plaza|loop)\.?",
            r"(?:,?[ \t]+(?i:apt|apartment|suite|ste|unit|#)\.?[ \t]*#?[A-Za-z0-9\-]{1,6})?",
            r",[ \t]*(?:[A-Za-z][A-Za-z.'\-]{0,19}[ \t]+){0,2}[A-Za-z][A-Za-z.'\-]{0,19},?[ \t]",
            r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR)[ \t]\d{5}(?:-\d{4})?\b",
        ),
        digits: Some(5),
        confirm: Confirm::ZipTail,
        before: 220,
        after: 12,
        ..BASE
    },
    Builtin {
        id: "resume_cv_keywords",
        pack: "personal",
        severity: Low,
        description: "Résumés and CVs (`my resume`, `curriculum vitae`, 简历)",
        keywords: Keywords {
            ci: &[
                "my resume",
                "my cv",
                "attached resume",
                "attached cv",
                "candidate resume",
                "candidate's resume",
                "updated resume",
                "resume attached",
                "curriculum vitae",
                "work experience and education",
            ],
            cs: &[],
            zh: &["简历", "履历", "求职信", "工作经历", "教育背景"],
        },
        evidence: THRESHOLD,
        ..BASE
    },
];
