//! How sure a validated match is a live secret; it decides how hard the
//! match acts (issue #27: severity follows certainty). A vendor format
//! with a valid structure or checksum acts as its rule says (`block` for
//! `api_key_like`); a format whose documented checksum fails is plausible
//! and acts at most as `route_secure_model`; a value that reads as made up
//! (an alphabet run, one or two characters over and over, words where the
//! vendor puts random characters) is recorded (`audit`) and nothing more.

use super::assigned;
use super::builtin::Validator;
use super::checksums_secrets;
use super::pem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Acts as its rule says.
    Proven,
    /// Acts at most as `route_secure_model`.
    Plausible,
    /// Recorded only.
    MadeUp,
}

/// The certainty of a match `text[start..end]` that passed `v`.
pub fn of(v: Validator, text: &str, start: usize, end: usize) -> Certainty {
    let m = &text[start..end];
    match v {
        Validator::KeyShape | Validator::Snowflake => key(m),
        Validator::SecretValue | Validator::EnvSecret | Validator::NamedKey
            if made_up_value(assigned::value_of(m)) =>
        {
            Certainty::MadeUp
        }
        // a header that does not decode to JSON naming `alg` is no JWT
        Validator::Jwt if !checksums_secrets::jwt_header_ok(m) => Certainty::MadeUp,
        // a number whose check digit was computed over a run of digits
        // (`5555555555554444`, `55555555K`): a sample of the format more
        // often than a person's, so it never acts harder than a reroute
        // a private key shown in part (`MIIEpAIBAAK...`): never a block
        Validator::PemHeader if pem::cut_short(text.as_bytes(), end) => Certainty::Plausible,
        Validator::BankCard | Validator::NationalId if longest_run(m.as_bytes()) >= 7 => {
            Certainty::Plausible
        }
        _ => Certainty::Proven,
    }
}

/// A vendor-format key: made up, its checksum failed, or proven.
fn key(m: &str) -> Certainty {
    // a Slack token's numeric segments are team and user ids, not random:
    // only its last segment is judged; a Twitter bearer token's leading
    // `A`s are its format
    let random = match (m.strip_prefix("xox"), super::literal::bearer_body(m)) {
        (Some(t), _) => t.rsplit('-').next().unwrap_or(t),
        (None, Some(body)) => body,
        (None, None) => m,
    };
    if made_up(random) || wordy(m) {
        return Certainty::MadeUp;
    }
    let checked = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"]
        .iter()
        .any(|p| m.starts_with(p));
    if checked && checksums_secrets::github_crc_ok(m) == Some(false) {
        return Certainty::Plausible;
    }
    Certainty::Proven
}

/// An ascending or repeated run of 8 characters or more (`abcdefgh`,
/// `12345678`, `11111111`), or
/// 12 characters or more drawn from at most 3 distinct ones (`aaaa…`,
/// `abab…`) or repeating one piece: what people type for a key they do
/// not have. A random
/// base62 string has such a run with odds near 1 in 10^13 per position.
pub fn made_up(v: &str) -> bool {
    longest_run(v.as_bytes()) >= 8 || repetitive(v.as_bytes())
}

/// A password is made up when the run is most of it
/// (`sk_abcdefghijklmnopqrstuvwxyz123`); people do choose `123456789a1234`.
fn made_up_value(v: &str) -> bool {
    // a vendor's prefix before the run (`xoxp-1234567890`)
    let v = match v.split_once(['-', '_']) {
        Some((p, rest))
            if (2..=5).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_lowercase()) =>
        {
            rest
        }
        _ => v,
    };
    let run = longest_run(v.as_bytes());
    (run >= 8 && run * 4 >= v.len() * 3) || repetitive(v.as_bytes())
}

/// The longest ascending (`abcd`, `1234`) or repeated (`1111`) run.
fn longest_run(b: &[u8]) -> usize {
    let (mut up, mut same, mut best) = (1, 1, 1);
    for w in b.windows(2) {
        let alnum = w[0].is_ascii_alphanumeric();
        // counting goes on past 9 (`1234567890`)
        let next = w[1] == w[0].wrapping_add(1) || (w[0] == b'9' && w[1] == b'0');
        up = if alnum && next { up + 1 } else { 1 };
        same = if alnum && w[1] == w[0] { same + 1 } else { 1 };
        best = best.max(up).max(same);
    }
    best
}

/// 12 characters or more drawn from at most 3 distinct ones, or one
/// piece of up to 64 written over and over (`1234567890abcdef1234567890abcdef`,
/// `abc123abc123`): typed to fill a field, not drawn at random.
fn repetitive(b: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &c in b {
        seen[c as usize] = true;
    }
    let periodic = || (1..=(b.len() / 2).min(64)).any(|p| super::literal::has_period(b, p));
    b.len() >= 12 && (seen.iter().filter(|s| **s).count() <= 3 || periodic())
}

/// Words where a vendor puts random characters
/// (`…-SlackAppConfigurationAccessTokenHere`, `hf_requiredCharacteristic…`,
/// `RANDOMSTRINGHERE`): 16 letters or more, no digit, and one case under a
/// fifth of them. Random mixed-case letters (a Hugging Face token is 34 of
/// them) are that lopsided with odds near 1 in 10^4, base62 of 16 has
/// no digit with odds near 6%.
fn wordy(m: &str) -> bool {
    m.split(|c: char| !c.is_ascii_alphanumeric()).any(|seg| {
        let upper = seg.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = seg.bytes().filter(u8::is_ascii_lowercase).count();
        seg.len() >= 16 && upper + lower == seg.len() && upper.min(lower) * 5 <= seg.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_repeats_are_made_up() {
        for v in [
            "sk_abcdefghijklmnopqrstuvwxyz123",
            "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
            "key-1234567890abcdef",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abababababababab",
            // one piece over and over; counting past 9
            "1234567890abcdef1234567890abcdef",
            "Qz7vK2Qz7vK2Qz7vK2",
            "0987654321234567890",
        ] {
            assert!(made_up(v), "{v}");
        }
        for v in [
            "Tr0ub4dor&3",
            "abc12345",
            "E7Gj4KodmfwHzDZpYEgpheMY7Cf7xpuN",
        ] {
            assert!(!made_up(v), "{v}");
        }
        assert!(made_up_value("sk_abcdefghijklmnopqrstuvwxyz123"));
        assert!(!made_up_value("123456789a1234"));
        assert!(made_up_value("1234567890abcdef1234567890abcdef"));
        // a piece repeated only in part is a password people choose
        assert!(!made_up_value("Qz7vK2pLQz7vK2pLm9Rw"));
        assert!(made_up_value("xoxp-1234567890"));
        assert!(!made_up_value("xoxp-7345098812-Qz7vK2pLm9Rw"));
        assert!(made_up_value(
            "glc_111111111111111111111111111111111111111111="
        ));
    }

    #[test]
    fn keys_by_certainty() {
        use Certainty::*;
        assert_eq!(key("xoxp-1-SlackAppConfigurationAccessTokenHere"), MadeUp);
        assert_eq!(
            key("hf_requiredCharacteristicTypesForDisplayMetadata"),
            MadeUp
        );
        assert_eq!(key("hf_Qm7vT2kLx9RbW4nE8pZc1sYd6hJf3GaB"), Proven);
        // Hugging Face tokens are letters only
        assert_eq!(key("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"), Proven);
        assert_eq!(key("xoxe.xoxp-1-RANDOMSTRINGHERE"), MadeUp);
        // ids in a Slack token may repeat; its random segment may not
        assert_eq!(
            key("xoxa-2-522222222-4111111111-7c41e9b0d2f385a6e1"),
            Proven
        );
        assert_eq!(
            key("xoxb-7345098812-6612093348-aaaaaaaaaaaaaaaaaaaaaaaa"),
            MadeUp
        );
        // GitHub format with a checksum that does not match
        assert_eq!(key("ghp_Qm7vT2kLx9RbW4nE8pZc1sYd6hJf3G000000"), Plausible);
    }
}
