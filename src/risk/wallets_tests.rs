//! Wallet addresses (`wallets.rs`): made-up addresses whose checksums were
//! computed for this test apart from the code under test, the same with a
//! character changed, truncated; EIP-55's own examples; an Ethereum
//! address in one case with and without a word for a wallet.

use super::test_support::{engine, rule_acts};
use super::wallets::{base58check, bech32, eip55, keccak256, sha256};
use super::*;

fn wallet_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "crypto_wallet", text)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn sha256_gives_the_fips_180_examples() {
    assert_eq!(
        hex(&sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(&sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&sha256(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

const BASE58: &[&str] = &[
    "1PPN9an97kxfRKois8gwjsXjqi6hWzj6fu",
    "3NGQRjNS8Ky9B45zLVgi1MJGNEpX8diR2e",
    "mgEk7ePMhWXWoN1sugnGJTwmzxLYXrj2EK",
];
const BECH32: &[&str] = &[
    "bc1qdtaza2adrhy67w56sg4fn60djy7qhytwljmm2j",
    "bc1p7s7sz8d7vxtnzyxc6t4szh95qashfsmz4rzzpvq4t5sz39nhgmkqndjemu",
];

#[test]
fn checksums_take_valid_addresses_only() {
    for a in BASE58 {
        assert!(base58check(a.as_bytes()), "{a}");
        let mut bad = a.as_bytes().to_vec();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        assert!(!base58check(&bad), "{a} changed");
        assert!(!base58check(&a.as_bytes()[..a.len() - 1]), "{a} truncated");
    }
    for a in BECH32 {
        assert!(bech32(a.as_bytes()), "{a}");
        assert!(bech32(a.to_ascii_uppercase().as_bytes()), "{a} upper");
        let mut bad = a.as_bytes().to_vec();
        bad[8] = if bad[8] == b'q' { b'p' } else { b'q' };
        assert!(!bech32(&bad), "{a} changed");
        assert!(!bech32(&a.as_bytes()[..a.len() - 1]), "{a} truncated");
    }
    // mixed case, and a v1 program under the bech32 (not bech32m) constant
    assert!(!bech32(b"bc1qdtaza2adrhy67w56sg4fn60djy7qhytwljmM2j"));
    assert!(!bech32(
        b"bc1p7s6800y0pla498l0dh0ek6zv4gwhg0ls9p7dag5uzeqrfnfvha5qx6cgcz"
    ));
}

#[test]
fn keccak256_gives_the_known_digests() {
    assert_eq!(
        hex(&keccak256(b"")),
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    );
    assert_eq!(
        hex(&keccak256(b"abc")),
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    );
}

/// The examples of EIP-55 itself.
const EIP55: &[&str] = &[
    "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

#[test]
fn eip55_takes_the_right_cases_only() {
    for a in EIP55 {
        assert!(eip55(a.as_bytes()), "{a}");
        // one letter's case flipped
        let mut bad = a.as_bytes().to_vec();
        let i = bad.iter().position(u8::is_ascii_alphabetic).unwrap_or(0);
        bad[i] ^= 0x20;
        assert!(!eip55(&bad), "{a} flipped");
        assert!(!eip55(&a.as_bytes()[..39]), "{a} truncated");
    }
    let e = engine();
    for a in EIP55 {
        assert!(wallet_acts(&e, &format!("send to 0x{a} please")), "{a}");
    }
    assert!(!wallet_acts(
        &e,
        "send to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD please"
    ));
    // a placeholder and a hash prefix in code stay quiet
    assert!(!wallet_acts(
        &e,
        "address(0x0000000000000000000000000000000000000000)"
    ));
    assert!(!wallet_acts(
        &e,
        "mask = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF;"
    ));
}

#[test]
fn bech32_acts_alone_base58_and_ethereum_with_a_word() {
    let e = engine();
    for a in BECH32 {
        assert!(wallet_acts(&e, &format!("send it to {a} today")), "{a}");
    }
    for a in BASE58 {
        assert!(wallet_acts(&e, &format!("my bitcoin address {a}")), "{a}");
    }
    let eth = "0x8f3a9c21d4e6b7058a1f2c3d4e5f60718293a4b5";
    assert!(wallet_acts(&e, &format!("my ETH wallet: {eth}")));
    assert!(!wallet_acts(&e, &format!("tx hash prefix {eth}")));
    assert!(!wallet_acts(
        &e,
        "BTC wallet 1PPN9an97kxfRKois8gwjsXjqi6hWzj6fv"
    ));
}

#[test]
fn a_mainnet_base58_address_acts_alone() {
    let e = engine();
    for a in &BASE58[..2] {
        for text in [
            a.to_string(),
            format!("{a}\n"),
            format!("pay this one:\n{a}\nthanks"),
            format!("```\n{a}\n```"),
        ] {
            assert!(wallet_acts(&e, &text), "{text}");
        }
        // a character changed, truncated, inside a longer word or path,
        // in a sentence with no word for a wallet
        let mut bad = a.as_bytes().to_vec();
        bad[12] = if bad[12] == b'x' { b'y' } else { b'x' };
        let bad = String::from_utf8_lossy(&bad).into_owned();
        for text in [
            bad.clone(),
            format!("\n{bad}"),
            a[..a.len() - 1].to_string(),
            format!("x{a}"),
            format!("\n/tmp/{a}"),
            format!("pay {a} please"),
        ] {
            assert!(!wallet_acts(&e, &text), "{text}");
        }
    }
    // testnet addresses still need a word for a wallet
    assert!(!wallet_acts(&e, BASE58[2]));
}

#[test]
fn the_base58_confirm_stays_quiet_on_developer_text() {
    use super::wallets::base58_head;
    for text in [
        "1st of March, 3rd floor, 1080p, 3DES, 10x faster",
        "sha 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
        "id 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "1111111111111111111111111111111111",
        "key 1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let b = text.as_bytes();
        assert!((0..b.len()).all(|i| !base58_head(b, i)), "{text}");
    }
    let b = format!("x\n{}", BASE58[0]);
    assert!(base58_head(b.as_bytes(), 2));
    assert!(!base58_head(b.as_bytes(), 1));
    assert!(!base58_head(format!("x {}", BASE58[0]).as_bytes(), 2));
}
