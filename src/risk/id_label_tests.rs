//! Numbers taken only right after their label (`id_number_by_label`):
//! Singapore UEN, India's voter id and vehicle registration, Italy's
//! partita IVA, patente, carta d'identità and passaporto, US Medicare MBI
//! and EIN, South African and Israeli IDs, Japan's My Number. The values
//! are made up in each issuer's published format.

use super::test_support::{engine, rule_acts};

#[test]
fn a_number_after_its_label_acts() {
    let e = engine();
    for text in [
        "company UEN 201912345K",
        "UEN: T09LL0001B",
        "my voter id is ABC1234567",
        "vehicle registration MH 12 AB 1234",
        "number plate AB12 CDE",
        "partita IVA 07643520567",
        "P.IVA: IT07643520567",
        "patente di guida U1H8G4915B",
        "carta d'identità CA00000AA",
        "passaporto italiano YA1234567",
        "my Medicare number (MBI) is 1EG4-TE5-MK73",
        "my employer identification number is 94-1874352",
        "South African ID 8001015009087",
        "Israeli ID 039337423",
        "マイナンバー：1234 5678 9018",
        "my license plate is 7XKJ392 and I got a parking ticket",
        "number plate: KRT-4821",
    ] {
        assert!(rule_acts(&e, "id_number_by_label", text), "{text}");
    }
}

#[test]
fn a_label_without_its_number_or_a_number_without_its_label_stays_quiet() {
    let e = engine();
    for text in [
        "Registration number format: two letters, two digits, three letters",
        "user registration is being slowed by 2000 requests",
        "protein 12-3456789 sample lot",
        "I'm being charged 12-3456789?",
        "the vehicle registration table has 4 columns",
        "Medicare number format is 11 characters",
        "patente B rilasciata nel 2010",
        "partita IVA non valida",
        // an MBI takes no S, L, O, I, B or Z
        "MBI 1SG4-TE5-MK73",
        // a South African ID's month is 01-12
        "South African ID 8013015009087",
        "201912345K",
        "the license plate is blurred in 30% of frames",
        "license plate recognition v2 model",
    ] {
        assert!(!rule_acts(&e, "id_number_by_label", text), "{text}");
    }
}
