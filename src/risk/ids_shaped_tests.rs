//! Identifiers by their printed shape alone (`id_by_shape`: DVLA licence
//! numbers, GSTINs by their check character) and MAC addresses after their
//! label (`mac_address`). Values built from the formats' descriptions,
//! made up.

use super::ids_shaped::{gstin, uk_licence};
use super::test_support::{engine, found_and_acts, rule_acts};

#[test]
fn a_licence_number_in_dvlas_shape_acts_alone() {
    let e = engine();
    for text in [
        "licence MORGA607054SM9IJ, expires 2031",
        // a woman's month (+50), a short surname padded with 9, lower case
        "WATTS657121KL3QP on the form",
        "copy: li999803254A99XY",
        "check smith812310ab1cd please",
    ] {
        assert!(found_and_acts(&e, "id_by_shape", text), "{text}");
    }
}

#[test]
fn tokens_of_a_licences_length_that_break_its_shape_stay_quiet() {
    let e = engine();
    for text in [
        // month 13, day 00, a digit where the initials go, 9 inside the name
        "MORGA613054SM9IJ",
        "MORGA607004SM9IJ",
        "MORGA607054S19IJ",
        "MO9GA607054SM9IJ",
        // longer or inside a longer token
        "MORGA607054SM9IJK",
        "x-MORGA607054SM9IJ",
        // hex and base64 of the same length
        "build 3fa9c2e1b7d04a12 done",
        "token QmFzZTY0U3RyaW5n",
    ] {
        assert!(!rule_acts(&e, "id_by_shape", text), "{text}");
    }
}

#[test]
fn gstin_needs_its_check_character() {
    // the check character worked out by GSTN's mod-36 scheme
    assert!(gstin(b"29AAGCB7383J1Z4"));
    assert!(gstin(b"27AAPFU0939F1ZV"));
    // one character changed, the check fails
    assert!(!gstin(b"29AAGCB7383J1Z5"));
    assert!(!gstin(b"29AAGCB7384J1Z4"));
    // the state's code, the `Z`, the entity number
    assert!(!gstin(b"00AAGCB7383J1Z4"));
    assert!(!gstin(b"29AAGCB7383J1Y4"));
    assert!(!gstin(b"29AAGCB7383J0Z4"));
    // truncated
    assert!(!gstin(b"29AAGCB7383J1Z"));
    let e = engine();
    assert!(found_and_acts(
        &e,
        "id_by_shape",
        "GST no. 29AAGCB7383J1Z4 on the invoice"
    ));
    assert!(!rule_acts(
        &e,
        "id_by_shape",
        "GST no. 29AAGCB7383J1Z5 on the invoice"
    ));
}

#[test]
fn licence_shape_by_itself() {
    assert!(uk_licence(b"MORGA607054SM9IJ"));
    assert!(uk_licence(b"FO999512018AA1AB"));
    assert!(!uk_licence(b"MORGA607054SM9I"));
    assert!(!uk_licence(b"MORGA6X7054SM9IJ"));
}

#[test]
fn a_mac_address_after_its_label_acts() {
    let e = engine();
    for text in [
        "My MAC address is 3c:22:fb:1a:9e:07, can you whitelist it?",
        "device MAC: 3C-22-FB-1A-9E-07",
        "the printer's hardware address is 3c22.fb1a.9e07",
        "我的 MAC 地址 3c:22:fb:1a:9e:07",
        "MAC:3c22.fb1a.9e07",
        "mac:3C-22-FB-1A-9E-07",
    ] {
        assert!(found_and_acts(&e, "mac_address", text), "{text}");
    }
}

#[test]
fn mac_addresses_that_are_no_ones_stay_quiet() {
    let e = engine();
    for text in [
        // no label: a switch's table or a config line
        "3c:22:fb:1a:9e:07 dev eth0 lladdr",
        // broadcast and all-zero, mixed separators, five pairs, seven
        "MAC: FF:FF:FF:FF:FF:FF",
        "MAC: 00:00:00:00:00:00",
        "MAC: 3c:22:fb-1a-9e-07",
        "MAC: 3c:22:fb:1a:9e",
        "MAC: 3c:22:fb:1a:9e:07:11",
        "MAC: 11:3c:22:fb:1a:9e:07",
        // the word in another sense
        "the Mac is 13 inches, 2023 model",
        // a machine's
        "The NIC's MAC is 00:1A:2B:3C:4D:5E on eth0.",
        "the gateway MAC address: 3c:22:fb:1a:9e:07",
    ] {
        assert!(!rule_acts(&e, "mac_address", text), "{text}");
    }
}
