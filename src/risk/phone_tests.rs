//! Phone numbers (`phone.rs`): E.164 and national forms with a word for a
//! phone near; alone only as `+` and 10-15 digits or `(NXX) NXX-XXXX`;
//! otherwise, or as a date or a longer number, quiet. The numbers are made
//! up (fictional ranges where a country has one).

use super::test_support::{engine, rule_acts};
use super::*;

fn phone_acts(e: &Engine, text: &str) -> bool {
    rule_acts(e, "phone_number", text)
}

#[test]
fn a_number_with_a_phone_word_acts() {
    let e = engine();
    for text in [
        "my phone number is (425) 555-0173",
        "Tel: +44 20 7946 0958",
        "mobile +55 11 98765 4321, call after 6",
        "phone: 0612345678",
        "座机：010-62345678",
        "联系电话 (0755) 8123 4567",
        "WhatsApp +91 98765 43210",
        "my phone number is 4255550173",
        // asked to be called, reached or texted
        "you can reach John on 020 8123 4567",
        "text me at 646.555.0143",
        "call Anna at (425) 555-0173 after lunch",
        "拨打 021-64871234 联系客服",
        // words that ask for a call among other things, before a number
        // in a national plan's form
        "有问题请打 021-58761234 找王经理",
        "如有疑问请联系 0755-86013388",
        "please call back on 020 8123 4567 after six",
        // a North American number after such a word: `201` has a `0`
        // second, which only after a trunk `0` would dial abroad
        "回电 201.555.0143",
        // a last group longer than five digits (a UK mobile's 4-6 form)
        "my mobile is +44 7911 482073",
        "call me on +1 646 5553890",
    ] {
        assert!(phone_acts(&e, text), "{text}");
    }
}

#[test]
fn without_a_word_or_not_a_phone_stays_quiet() {
    let e = engine();
    for text in [
        "order 425-555-0173 shipped",
        "+44 20 7946",
        "x+44 20 7946 0958",
        "(125) 555-0173",
        "(425) 155-0173",
        "(425)",
        "(4)5678",
        "(42) 5678",
        "phone 2024-01-15 10:30",
        "call phone 123",
        "telephone v1.20.3045",
        "phone id 12345678901234567",
        "phone last seen 1700000000",
        "cellphone model A1234567",
        // the digits in order: a form's example
        "数字12345678901不是手机号",
        "tel 0123456789",
        "客服电话 400-123-4567",
        "phone 1-800-555-0199",
        "手机 13812345678",
        "what is a phone? 020-7946-0958 is the office",
        // an asking verb takes only a number written as a phone
        "we want to reach 2450000 users by 2027",
        "each call returns 20 items, total 4821937",
        "call stack depth 1048576",
        // those words before a number that is not dialled: no area code
        // after the trunk `0`, a subscriber group opening with 0 or 1, or
        // not in a national form at all
        "请联系客服处理订单 20231207-0456",
        "打包发布 v2.10.3，构建号 0001-2345678",
        "contact sales for pricing, SKU 0442-1180093",
        "contact the maintainer about issue 1234-5678",
        "打印版本 1.2.3-456789 的日志",
    ] {
        assert!(!phone_acts(&e, text), "{text}");
    }
}

#[test]
fn international_and_north_american_forms_act_alone() {
    let e = engine();
    for text in [
        "order (425) 555-0173 shipped",
        "+44 20 7946 0958",
        "reach her at +1 425 555 0173.",
        "+61 491 570 156",
        "+14255550173",
        "(425)555-0173",
    ] {
        assert!(phone_acts(&e, text), "{text}");
    }
}

#[test]
fn my_number_in_a_national_form_acts() {
    let e = engine();
    // trunk prefix `0` and grouped digits (Israel, Japan, UK, Germany,
    // India forms), or North American groups, after `my … number is`
    for text in [
        "My Israeli number is 03-5550123",
        "my number is 090-5550-1234",
        "My UK number: 020 7946 0958",
        "my work number is 030 55501234",
        "my home number is 011-5550-1234",
        "My US number is 425-555-0173",
        "try one of these phones 052 5550123 054-5550177",
    ] {
        assert!(phone_acts(&e, text), "{text}");
    }
    for text in [
        // not the writer's number, or a number of something else
        "the number is 03-5550123",
        "my order number is 020 7946 0958",
        "my version number is 010-2023-0115",
        "My Order Number is 0123-456789",
        "my build number: 030 55501234",
        "my lucky lottery number is 03-5550123",
        "my account number: 030 55501234",
        "please update my NHS number 943 476 5919 on file",
        "my routing number is 021-000021",
        "numbers 03-5550123",
        // not a national form: no trunk prefix, no groups, a date
        "my number is 5550123",
        "my number is 0305550123",
        "my number is 2024-01-15",
        "my lucky number is 7",
        // truncated
        "my number is 03-555",
        // `number` far before, or in another sentence
        "my number changed last year and so on and so forth, see 03-5550123",
        "What is my number? 03-5550123 was it",
    ] {
        assert!(!phone_acts(&e, text), "{text}");
    }
}
