//! QQ numbers, WeChat ids and Chinese vehicle plates after their label
//! (`cn_account_or_plate`); the label's words in other senses, or a value
//! of the wrong shape, stay quiet. The values are made up.

use super::test_support::{engine, found_and_acts, rule_acts};

#[test]
fn an_account_or_a_plate_after_its_label_acts() {
    let e = engine();
    for text in [
        "QQ号 2846193751",
        "我的QQ是 2846193751，加我",
        "qq:84619375",
        "我的微信号是 wxid_a8k2m9x3q7",
        "微信：zhang_san88",
        "WeChat ID: lily_chen2024",
        "车牌号 京A·D2345",
        "我的车牌是粤B12345",
        "车牌：沪A 9K8L7",
    ] {
        assert!(rule_acts(&e, "cn_account_or_plate", text), "{text}");
    }
}

#[test]
fn the_labels_in_other_senses_stay_quiet() {
    let e = engine();
    for text in [
        // a group, a product, a version, a question
        "QQ群里有2024人",
        "QQ音乐 v12 发布",
        "QQ号 012345",
        "the WeChat ID is required for login",
        "微信号是多少？",
        "微信支付接入文档",
        "微信 SDK 版本 8.0.47",
        // a plate's format described, a recognition rate, a letter I
        "车牌识别算法的准确率达到99.5%",
        "车牌号格式说明：省份简称+字母+5位",
        "车牌号 京I·D2345",
        "qq plot of residuals with 10000 samples",
    ] {
        assert!(!rule_acts(&e, "cn_account_or_plate", text), "{text}");
    }
}

// A plate written alone (`cn_vehicle_plate`): GA 36's form, two digits or
// more, a new-energy plate's six characters only in their two shapes.

#[test]
fn a_plate_alone_acts() {
    let e = engine();
    for text in [
        "昨天停在楼下的粤B7K2N9被贴了罚单",
        "浙A·3F8K2 违章了三次",
        "新能源车沪AD12345的充电记录",
        "大货车 苏E 12345F 超载",
        "my car is 京N 8H3K5, parked outside",
        "云A12345在昆明被拍到",
    ] {
        assert!(found_and_acts(&e, "cn_vehicle_plate", text), "{text}");
    }
}

#[test]
fn codes_with_a_plates_opening_stay_quiet() {
    let e = engine();
    for text in [
        // a cloud's product, a share class, licences
        "阿里云RDS1234实例",
        "沪A股600519今日收涨",
        "京ICP备12345678号，苏B2-20130231",
        // letters mostly, one digit: a model or product code
        "新款新EXPRESS型号 吉ABCD1",
        // six characters in neither new-energy shape
        "粤B123456 不是车牌",
        "粤BA12345 也不是",
        // part of a longer code
        "SKU京A12345X9",
        // a wrong letter (no I or O)
        "京I12345 和 京O12345",
    ] {
        assert!(!rule_acts(&e, "cn_vehicle_plate", text), "{text}");
    }
}

#[test]
fn the_plate_rules_anchors_are_its_provinces() {
    // the anchors open the windows the pattern's first class matches in;
    // a province missing from either would be found by one scan only
    let rule = crate::risk::packs::builtins().find(|r| r.id == "cn_vehicle_plate");
    let (pattern, anchors) = rule.map_or(("", &[][..]), |r| (r.pattern, r.anchors));
    let class = pattern
        .strip_prefix('[')
        .and_then(|p| p.split(']').next())
        .unwrap_or("");
    let mut named: Vec<String> = class.chars().map(String::from).collect();
    let mut anchored: Vec<String> = anchors.iter().map(|a| a.to_string()).collect();
    named.sort();
    anchored.sort();
    assert_eq!(named.len(), 31);
    assert_eq!(named, anchored);
}
