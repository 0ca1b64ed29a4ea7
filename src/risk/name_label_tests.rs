//! A Chinese name after a label that asks for one
//! (`cn_person_name_by_label`); stand-ins, anonymised names, a surname with
//! a title and the labels in their other senses stay quiet. The names are
//! made up.

use super::test_support::{engine, found_and_acts, rule_acts};

const RULE: &str = "cn_person_name_by_label";

#[test]
fn a_name_after_its_label_acts() {
    let e = engine();
    for text in [
        "姓名：王建国，性别：男",
        "联系人：李秀英 电话见附件",
        "收件人：赵丽华",
        "患者张伟，男，52岁",
        "联系人张伟先生，电话稍后发",
        "法定代表人 欧阳娜娜",
        r#"{"姓名": "陈晓燕", "age": 31}"#,
        "持卡人是刘洋。",
    ] {
        assert!(found_and_acts(&e, RULE, text), "{text}");
    }
}

#[test]
fn no_ones_name_stays_quiet() {
    let e = engine();
    for text in [
        // stand-ins and anonymised names
        "示例：姓名：张三，联系人：李四",
        "患者王某，男，45岁",
        "收件人：王某某",
        // a surname with a title
        "联系人：王经理，收件人：李先生",
        "联系人欧阳先生。",
        // the labels in their other senses, or going on as a sentence
        "联系人列表加载失败，请检查收件人字段",
        "患者应在医生指导下用药",
        "姓名：请填写真实姓名",
        r#"{"姓名": "string", "联系人": "${contact}"}"#,
    ] {
        assert!(!rule_acts(&e, RULE, text), "{text}");
    }
}
