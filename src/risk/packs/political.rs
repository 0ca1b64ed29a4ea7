//! The `political` pack. Political, military and extremist content.

use crate::risk::builtin::{Builtin, Keywords, BASE};
use crate::risk::evidence::THRESHOLD;
use crate::risk::Action;
use crate::risk::Severity;
use Severity::{High, Medium};

pub(super) static RULES: &[Builtin] = &[
    Builtin {
        id: "political_person_org_keywords",
        pack: "political",
        severity: Medium,
        description: "State leaders, ruling parties and political bodies",
        keywords: Keywords {
            ci: &[
                "xi jinping",
                "communist party",
                "politburo",
                "central committee",
                "state council",
                "tiananmen",
                "dalai lama",
                "falun gong",
                "democratic progressive party",
                "kuomintang",
            ],
            cs: &["CCP", "CPC"],
            zh: &[
                "习近平",
                "共产党",
                "中共中央",
                "政治局",
                "国务院",
                "天安门事件",
                "达赖",
                "法轮功",
                "民进党",
                "国民党",
            ],
        },
        evidence: THRESHOLD,
        ..BASE
    },
    Builtin {
        id: "military_security_keywords",
        pack: "political",
        severity: High,
        description: "Military, weapons and state-secret topics",
        keywords: Keywords {
            ci: &[
                "military base",
                "military deployment",
                "troop deployment",
                "missile",
                "missiles",
                "nuclear warhead",
                "weapons system",
                "classified information",
                "classified document",
                "classified documents",
                "top secret",
                "people's liberation army",
                "state secret",
                "state secrets",
            ],
            cs: &[],
            zh: &[
                "军事基地",
                "军事部署",
                "部队部署",
                "导弹",
                "核武器",
                "核弹头",
                "武器系统",
                "解放军",
                "国家机密",
                "国家秘密",
                "绝密",
                "涉密",
            ],
        },
        evidence: THRESHOLD + 1,
        ..BASE
    },
    Builtin {
        id: "extremism_keywords",
        pack: "political",
        severity: High,
        action: Action::Block,
        description: "Terrorism, bomb making and violent extremism",
        keywords: Keywords {
            ci: &[
                "terrorist attack",
                "terror attack",
                "bomb making",
                "make a bomb",
                "build a bomb",
                "pipe bomb",
                "suicide bombing",
                "jihad",
                "jihadist",
                "violent extremism",
                "extremist group",
                "mass shooting",
            ],
            cs: &["ISIS"],
            zh: &[
                "恐怖袭击",
                "恐怖组织",
                "制造炸弹",
                "自制炸弹",
                "炸弹制作",
                "圣战",
                "极端主义",
                "暴恐",
            ],
        },
        ..BASE
    },
    Builtin {
        id: "classified_marking",
        pack: "political",
        severity: High,
        description:
            "Classification banners and portion marks (TOP SECRET//NOFORN, (S//REL), 绝密★, 机密★)",
        pattern: r"\b(?:TOP SECRET|SECRET|CONFIDENTIAL)//[A-Z]|\((?:TS|S|C)//[A-Z]+\)|(?:绝密|机密|秘密)★",
        anchors: &[
            "top secret//",
            "secret//",
            "confidential//",
            "(ts//",
            "(s//",
            "(c//",
            "绝密★",
            "机密★",
            "秘密★",
        ],
        before: 4,
        after: 8,
        ..BASE
    },
];
