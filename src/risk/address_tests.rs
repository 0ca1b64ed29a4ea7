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

#[test]
fn an_estates_building_acts() {
    let e = engine();
    for text in [
        "我住在深圳市南山区桃源村三期12栋1503",
        "寄到成都市武侯区棕北小区3幢2单元",
        "广州市天河区珠江新城华夏路富力公寓5号楼",
        "寄到广东省深圳市南山区粤海街道科技园南区R2-B栋3楼",
    ] {
        assert!(found_and_acts(&e, RULE, text), "{text}");
    }
}

#[test]
fn buildings_counted_without_an_address_stay_quiet() {
    let e = engine();
    for text in [
        "本项目共12栋楼，其中3栋已封顶",
        "A座会议室",
        "深圳市南山区有多少栋写字楼",
    ] {
        assert!(!rule_acts(&e, RULE, text), "{text}");
    }
}

// A US street address in USPS's order, down to the ZIP
// (`us_street_address`). Made up, or a company's published address.

const US: &str = "us_street_address";

#[test]
fn a_us_address_down_to_the_zip_acts() {
    let e = engine();
    for text in [
        "I live at 742 Evergreen Terrace, Springfield, IL 62704",
        "ship to 1600 Amphitheatre Pkwy, Mountain View, CA 94043",
        "send it to 123 Main St., Apt 4B, Boston, MA 02118-1234 thanks",
        "my address: 88 w 3rd street, new york, NY 10012",
        "请寄到 4 Privet Drive, Little Whinging, TX 75001，谢谢",
    ] {
        assert!(found_and_acts(&e, US, text), "{text}");
    }
}

#[test]
fn a_zip_or_a_street_alone_stays_quiet() {
    let e = engine();
    for text in [
        // a state and ZIP without a street, a street without a ZIP
        "the office moved to Mountain View, CA 94043 last year",
        "742 Evergreen Terrace is the Simpsons' house",
        // a ZIP run on, a state's code in lower case, no city
        "123 Main St, Boston, MA 021181",
        "123 Main St, Boston, ma 02118",
        "123 Main St, MA 02118",
        // numbers after a two-letter word that is no state
        "see RFC 5322, section 3, XX 12345",
    ] {
        assert!(!rule_acts(&e, US, text), "{text}");
    }
}

#[test]
fn the_address_pattern_and_the_zip_check_know_the_same_states() {
    let rule = crate::risk::packs::builtins().find(|r| r.id == US);
    let pattern = rule.map_or("", |r| r.pattern);
    // the states' alternation is the group of two-letter codes before
    // the ZIP
    let alternation = pattern
        .split("(?:")
        .filter_map(|g| g.split(')').next())
        .find(|g| g.len() > 2 && g.split('|').all(|s| s.len() == 2))
        .unwrap_or("");
    let mut named: Vec<&str> = alternation.split('|').collect();
    let mut known: Vec<&str> = crate::risk::confirm::STATES
        .iter()
        .filter_map(|s| std::str::from_utf8(&s[..]).ok())
        .collect();
    named.sort_unstable();
    known.sort_unstable();
    assert_eq!(named, known);
}
