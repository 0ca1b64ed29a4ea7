//! Digits written as Chinese numerals, one character a digit: `一三八…`
//! as typed or dictated (`幺` is how a spoken phone number says one,
//! `〇`/`○` a written zero), `壹叁捌…` in the financial forms. A model reads
//! `一三八一二三四五六七八` as the mobile number it is; the rules read
//! ASCII digits. Only a run of [`RUN`] or more is a number: a numeral alone
//! or in a short run is a word (`一个`, `第三`, `二〇二六年`).
//!
//! And only a run holding one numeral other than `一`, `二`, `三`: those
//! three are common words (`一下`, `第二`, `三点`), looked at wherever they
//! stand they would cost every Chinese text a tenth of its scan speed, and
//! a number whose every digit is 1, 2 or 3 is rare (3 in 10⁷ seven-digit
//! numbers, 6 in 10⁶ mobile numbers). The prefilter files only the others
//! ([`rare`]).

/// Numerals a run needs before it is read as digits: the shortest number a
/// rule takes is 7 digits (a landline without its area code).
pub const RUN: usize = 7;

/// The ASCII digit a numeral stands for.
pub fn digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '○' | '零' => b'0',
        '一' | '壹' | '幺' => b'1',
        '二' | '贰' | '貳' => b'2',
        '三' | '叁' | '參' => b'3',
        '四' | '肆' => b'4',
        '五' | '伍' => b'5',
        '六' | '陆' | '陸' => b'6',
        '七' | '柒' => b'7',
        '八' | '捌' => b'8',
        '九' | '玖' => b'9',
        _ => return None,
    })
}

/// The numerals that are seldom words, filed by the prefilter: a run of
/// numerals is a number only with one of them.
pub fn rare() -> impl Iterator<Item = char> {
    [
        '〇', '○', '零', '壹', '幺', '贰', '貳', '叁', '參', '四', '肆', '五', '伍', '六', '陆',
        '陸', '七', '柒', '八', '捌', '九', '玖',
    ]
    .into_iter()
}

/// Whether `c` is a numeral of [`rare`].
pub fn is_rare(c: char) -> bool {
    digit(c).is_some() && !matches!(c, '一' | '二' | '三')
}

/// The numeral whose encoding starts at `b[i]` (all are 3 bytes long),
/// decoded by hand: this runs at every numeral of a Chinese text.
pub fn at(b: &[u8], i: usize) -> Option<u8> {
    let &[x, y, z] = b.get(i..i + 3)?.first_chunk::<3>()?;
    if !(0xE2..=0xE9).contains(&x) || y & 0xC0 != 0x80 || z & 0xC0 != 0x80 {
        return None;
    }
    let cp = u32::from(x & 0x0F) << 12 | u32::from(y & 0x3F) << 6 | u32::from(z & 0x3F);
    digit(char::from_u32(cp)?)
}

/// The rare numeral whose encoding starts at `b[i]`.
pub fn rare_at(b: &[u8], i: usize) -> bool {
    at(b, i).is_some()
        && std::str::from_utf8(b.get(i..i + 3).unwrap_or(&[]))
            .ok()
            .and_then(|s| s.chars().next())
            .is_some_and(is_rare)
}
