//! Numbers taken only right after their label (`id_number_by_label`):
//! Singapore UEN, India's voter id and vehicle registration, Italy's
//! partita IVA, patente, carta d'identità and passaporto, US Medicare MBI
//! and EIN, South African and Israeli IDs, Japan's My Number, Chinese
//! officers' and police cards, vehicle identification numbers. The values
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
        "军官证 南字第7382916号",
        "报销时要填军官证号码，我的是 北字第5203817号",
        "警官证号：0382916",
        "车架号 LSVAU2180N2183456",
        "VIN: 1HGCM82633A004352, please check the recall",
        "my car's VIN is 5YJ3E1EA7KF317000",
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
        "军官证可以用于乘坐高铁吗",
        "车架号在挡风玻璃左下角，共17位",
        "the VIN has 17 characters; check digit at position 9",
        "vin diesel stars in the movie",
        "VIN: XXXXXXXXXXXXXXXXX",
        // a VIN takes no I, O or Q; 16 characters are not one
        "VIN: 1HGCM82633I004352",
        "车架号 LSVAU2180N218345",
        // a court's case number has the same `字第…号` form
        "判决书 (2015)京民初字第01234号 已生效",
    ] {
        assert!(!rule_acts(&e, "id_number_by_label", text), "{text}");
    }
}
