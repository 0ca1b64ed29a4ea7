//! Chinese street addresses (`personal_address_keywords`' pattern): a
//! province or city, a district or county, a road, street, alley or hutong
//! and a house number, or a lane's house under Shanghai's 弄. The
//! addresses are made up.

use super::test_support::{engine, found_and_acts, rule_acts};

const RULE: &str = "personal_address_keywords";

#[test]
fn a_street_address_down_to_the_house_acts() {
    let e = engine();
    for text in [
        "寄到浙江省杭州市西湖区文三路100号",
        "我家住在上海市浦东新区张江镇科苑路399弄12号602室",
        "北京市东城区南锣鼓巷胡同8号",
    ] {
        assert!(found_and_acts(&e, RULE, text), "{text}");
    }
}

#[test]
fn a_place_without_its_house_number_stays_quiet() {
    let e = engine();
    for text in [
        "上海市黄浦区南京东路第399弄活动",
        "杭州市西湖区的文三路很堵",
        "弄12号文件发给我",
    ] {
        assert!(!rule_acts(&e, RULE, text), "{text}");
    }
}
