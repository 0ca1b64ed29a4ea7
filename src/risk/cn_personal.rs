//! Two Chinese personal data that have no checksum, so their rules' checks
//! carry the weight a check digit would: a vehicle plate written alone
//! (`粤B7K2N9`), and a person's name after a label that asks for one
//! (`收件人：赵丽华`). GB/T 35273 lists both as personal information.

/// Is `text[start..end]` a plate in GA 36's printed form, not a piece of a
/// longer code? The pattern has taken the province's character, the
/// city's letter and 5 or 6 characters without I or O. A plate's serial
/// always has digits; a product or model code after a place's character
/// (`云ABC12`, `新EXPRESS`) mostly does not, so two are required.
pub fn plate(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let alnum = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let Some(m) = b.get(start..end) else {
        return false;
    };
    let digits = m.iter().filter(|c| c.is_ascii_digit()).count();
    // a serial running past the plate's length, or a letter-and-digit
    // word before it (`ABC京A12345`), is some other code
    let apart = !alnum(b.get(end)) && !alnum(start.checked_sub(1).and_then(|i| b.get(i)));
    // the serial: what follows the city's letter and the optional dot
    // (the province's character is 3 bytes, the letter 1)
    let serial: Vec<u8> = m
        .get(4..)
        .unwrap_or_default()
        .iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .copied()
        .collect();
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let new_energy = |c: &u8| matches!(c, b'D' | b'F');
    // six characters only on a new-energy plate (GA 36-2018): D or F,
    // a letter or digit and four digits (small cars), or five digits and
    // D or F (large ones)
    let shaped = match serial.as_slice() {
        [_, _, _, _, _] => true,
        [first, _, rest @ ..] if new_energy(first) && all_digits(rest) => true,
        [digits @ .., last] if serial.len() == 6 && new_energy(last) && all_digits(digits) => true,
        _ => false,
    };
    // 云 after a Han character is a cloud (`阿里云RDS1234`, `腾讯云`), not
    // Yunnan
    let cloud = text.get(start..).is_some_and(|t| t.starts_with('云'))
        && text
            .get(..start)
            .and_then(|t| t.chars().next_back())
            .is_some_and(cjk);
    apart && shaped && digits >= 2 && !cloud
}

/// The labels that ask for a name; the rule's pattern lists the same
/// ones (a test checks), and they are its anchors.
pub const NAME_LABELS: &[&str] = &[
    "姓名",
    "联系人",
    "收件人",
    "收货人",
    "寄件人",
    "患者",
    "病人",
    "户主",
    "申请人",
    "持卡人",
    "开户名",
    "乘机人",
    "乘车人",
    "监护人",
    "法定代表人",
    "投保人",
    "被保险人",
    "受益人",
    "借款人",
];

/// Words that follow a surname as a form of address, not a given name:
/// `李先生` names no one in particular.
const TITLES: &[&str] = &[
    "先生", "女士", "小姐", "同学", "老师", "医生", "师傅", "阿姨", "经理", "总监", "主任",
];

/// The stand-in names of Chinese forms and textbooks (the `John Doe`s).
const STAND_INS: &[&str] = &[
    "张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十",
];

fn cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fa5}').contains(&c)
}

/// Is the name that ends `text[start..end]` (a surname and one or two
/// characters; the pattern has matched its label before it) someone's?
/// The name must end where the text's next word begins (`王建国，`,
/// `王建国 电话`), or run into a title (`张伟先生`); a surname with a
/// title alone, a stand-in (`张三`) or an anonymised one (`王某`) is no
/// one's.
pub fn name(text: &str, start: usize, end: usize) -> bool {
    let (Some(m), Some(rest)) = (text.get(start..end), text.get(end..)) else {
        return false;
    };
    // the name follows its label and what separates them (`：`, `" `)
    let label = NAME_LABELS
        .iter()
        .filter(|l| m.starts_with(*l))
        .map(|l| l.len())
        .max()
        .unwrap_or(0);
    let name_start = m
        .char_indices()
        .skip_while(|(i, _)| *i < label)
        .find(|(_, c)| cjk(*c) && !matches!(c, '是' | '为' | '叫'))
        .map_or(m.len(), |(i, _)| i);
    let mut name = &m[name_start..];
    // the greedy pattern may have taken a title's first character
    // (`张伟先` of `张伟先生`): give it back
    if let Some((i, last)) = name.char_indices().last() {
        let mut back = String::from(last);
        back.extend(rest.chars().next());
        // the title ends the phrase (`张伟先生，`); one running on
        // (`应在医生指导`) is the label's sentence going on
        let after_title = rest.chars().nth(1);
        if i > 3 && TITLES.contains(&back.as_str()) && !after_title.is_some_and(cjk) {
            name = &name[..i];
            return known(name);
        }
    }
    let next_is_han = rest.chars().next().is_some_and(cjk);
    if next_is_han && !TITLES.iter().any(|t| rest.starts_with(t)) {
        return false;
    }
    known(name)
}

/// A name that is not a stand-in, an anonymised one or a surname with a
/// title.
fn known(name: &str) -> bool {
    // what is left when a title is taken off is a surname alone: one
    // character, or two for a compound surname (`欧阳先生`)
    let titled = TITLES
        .iter()
        .any(|t| name.strip_suffix(t).is_some_and(|s| s.chars().count() <= 2));
    !titled && !name.contains('某') && !STAND_INS.contains(&name) && name.chars().count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_pattern_names_every_label() {
        let rule = crate::risk::packs::builtins().find(|r| r.id == "cn_person_name_by_label");
        let pattern = rule.map_or("", |r| r.pattern);
        for label in NAME_LABELS {
            assert!(
                pattern.contains(&format!("{label}|")) || pattern.contains(&format!("{label})")),
                "{label}"
            );
        }
    }
}
