//! The word lists keyword evidence reads (`evidence`): what makes figures
//! hypothetical, document markings, month names.

/// Words that make figures hypothetical (a made-up example, a template, an
/// exercise): they cancel two points.
pub const HYPOTHETICAL: &[&str] = &[
    "example",
    "sample",
    "made-up",
    "made up",
    "fictional",
    "hypothetical",
    "template",
    "practice",
    "exercise",
    "suppose",
    "假设",
    "举例",
    "例如",
    "示例",
    "模板",
    "随便编",
    "练习",
    "比如",
];

/// Document markings (lowercase).
pub const MARKINGS: &[&str] = &[
    "confidential",
    "internal only",
    "internal use",
    "not public",
    "not announced",
    "unannounced",
    "embargo",
    "embargoed",
    "do not forward",
    "do not share",
    "not for distribution",
    "privileged",
    "work product",
    "strictly private",
    "保密",
    "机密",
    "绝密",
    "内部资料",
    "内部文件",
    "未公开",
    "未公布",
    "未披露",
    "尚未公告",
    "公告前",
    "不得外传",
    "请勿外传",
    "仅限",
];

pub const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
