//! Scanning: runs the compiled rules over texts, aggregates hits into an
//! [`Outcome`] and masks spans in place.

use super::certainty::{self, Certainty};
use super::code_word;
use super::confirm;
use super::evidence;
use super::normalise;
use super::prefilter::Window;
use super::restore::{self, Placeholders};
use super::validators;
use super::{visit_texts, Action, Engine, Layout, Severity};
use serde::Serialize;

/// One rule's hits on a request, as kept for headers, metrics and audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitSummary {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    /// What the hit did (for a shadow rule: would have done). A keyword
    /// rule without evidence is `audit`.
    pub action: Action,
    pub count: u32,
    /// The evidence that made a keyword rule act (`amount`, `date`,
    /// `marking`…): names, never the matched text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<&'static str>,
    /// Recorded only: the rule is in shadow.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Strongest action over all enforced hits; `None` when nothing hit.
    pub action: Option<Action>,
    pub hits: Vec<HitSummary>,
    /// True when `mask` rewrote text in the body.
    pub masked: bool,
    /// Strongest would-be action of the shadow hits.
    pub shadow_action: Option<Action>,
    /// Placeholders of `restore` masks and their originals, to put back in
    /// the answer. Never printed or serialised.
    pub restore: Placeholders,
}

/// One validated match: rule index into [`Engine::rules`] and byte span.
/// `evidence` holds the evidence bits of a keyword rule's match and
/// `acts` whether there was enough of it (for other rules: whether the
/// value is not made up, see `certainty.rs`); `plausible` caps the
/// match's action at `route_secure_model` (a failed checksum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub evidence: u8,
    pub acts: bool,
    pub plausible: bool,
}

/// Matches on a folded text, moved to the original's bytes (the map is
/// monotonic, so their order holds).
fn unfold(f: &normalise::Folded, mut found: Vec<Match>) -> Vec<Match> {
    for m in &mut found {
        m.start = f.original(m.start);
        m.end = f.original(m.end);
    }
    found
}

/// Extra bytes after a window so `\b` and `$` see the real next character.
const SLACK: usize = 8;
/// Extra bytes before a window so `\b` and `^` see the real previous one.
const CONTEXT: usize = 4;

impl Engine {
    /// Runs `rule`'s regex over `text[start..end]`, keeping validated,
    /// non-empty matches.
    fn run_rule(&self, idx: usize, text: &str, start: usize, end: usize, out: &mut Vec<Match>) {
        let rule = &self.rules[idx];
        // The haystack starts a few bytes early so `\b` and `^` see the real
        // previous character, and is small so regex-lite can use its
        // bounded backtracker instead of the slower PikeVM.
        let base = confirm::floor_char(text, start.saturating_sub(CONTEXT));
        let tail = &text[base..];
        let hay = &text[base..confirm::ceil_char(text, end.saturating_add(SLACK))];
        let (start, end) = (start - base, end - base);
        let mut pos = start;
        while pos < end {
            let Some(mut m) = rule.regex.find_at(hay, pos) else {
                break;
            };
            if m.start() >= end {
                break;
            }
            if m.end() == hay.len() && hay.len() < tail.len() {
                // Cut by the window: redo on the rest of the text for the true end.
                match rule.regex.find_at(tail, m.start()) {
                    Some(full) => m = full,
                    None => break,
                }
            }
            let (ms, me) = (base + m.start(), base + m.end());
            if me > ms && validators::check(rule.validator, text, ms, me) {
                let sure = certainty::of(rule.validator, text, ms, me);
                let (bits, acts) = if rule.evidence > 0 {
                    let (bits, hypothetical) = evidence::around(text, ms, me);
                    let named_in_code = code_word::identifier(text.as_bytes(), ms, me);
                    (
                        bits,
                        !named_in_code && evidence::enough(rule.evidence, bits, hypothetical),
                    )
                } else {
                    (0, sure != Certainty::MadeUp)
                };
                out.push(Match {
                    rule: idx,
                    start: ms,
                    end: me,
                    evidence: bits,
                    acts,
                    plausible: sure == Certainty::Plausible,
                });
                pos = m.end();
            } else {
                pos = confirm::ceil_char(tail, m.start() + 1);
            }
        }
    }

    /// Every validated match in `text`, sorted by position then rule. The
    /// rules read the text folded (`normalise.rs`); spans are the
    /// original's. The prefilter's pass says whether there is anything to
    /// fold, so a text without such characters (nearly all) is read once.
    pub fn scan_text(&self, text: &str) -> Vec<Match> {
        let (windows, fold) = self.prefilter.scan(text);
        if !fold {
            return self.scan_windows(text, windows);
        }
        match normalise::fold(text) {
            None => self.scan_windows(text, windows),
            Some(f) => {
                let windows = self.prefilter.windows(&f.text);
                unfold(&f, self.scan_windows(&f.text, windows))
            }
        }
    }

    // One copy for every arm above: inlined more than once, the rule loop
    // with every validator costs the wasm ~14 KB more.
    #[inline(never)]
    fn scan_windows(&self, text: &str, windows: Vec<Window>) -> Vec<Match> {
        let mut out = Vec::new();
        for w in windows {
            self.run_rule(w.rule as usize, text, w.start, w.end, &mut out);
        }
        out.sort_unstable_by_key(|m| (m.start, m.rule, m.end));
        out.dedup();
        out
    }

    /// The action a match takes: its rule's, `audit` for a keyword match
    /// without evidence or a made-up value, at most `route_secure_model`
    /// for a plausible one.
    pub fn match_action(&self, m: &Match) -> Option<Action> {
        let r = self.rules.get(m.rule)?;
        Some(match (m.acts, m.plausible) {
            (false, _) => Action::Audit,
            (true, true) => r.info.action.min(Action::RouteSecureModel),
            (true, false) => r.info.action,
        })
    }

    /// Reference implementation without the prefilter: every rule's regex
    /// over the whole text. Same result as [`Engine::scan_text`] (tested on
    /// the corpus); used by tests and the benchmark.
    pub fn scan_text_naive(&self, text: &str) -> Vec<Match> {
        let folded = normalise::fold(text);
        let text = folded.as_ref().map_or(text, |f| f.text.as_str());
        let mut out = Vec::new();
        for i in 0..self.rules.len() {
            self.run_rule(i, text, 0, text.len(), &mut out);
        }
        out.sort_unstable_by_key(|m| (m.start, m.rule, m.end));
        out.dedup();
        match folded {
            None => out,
            Some(f) => unfold(&f, out),
        }
    }

    /// Aggregates matches into per-rule hits and the strongest action.
    /// A rule takes the strongest action of its matches; its evidence is
    /// the union over the matches that acted (or over all, when none did).
    pub fn summarize(&self, matches: &[Match]) -> Outcome {
        // per rule: count, strongest action, evidence of acting / other matches
        let mut per = vec![(0u32, Action::Audit, 0u8, 0u8); self.rules.len()];
        for m in matches {
            let action = self.match_action(m).unwrap_or(Action::Audit);
            if let Some(p) = per.get_mut(m.rule) {
                p.0 = p.0.saturating_add(1);
                p.1 = p.1.max(action);
                if m.acts {
                    p.2 |= m.evidence;
                } else {
                    p.3 |= m.evidence;
                }
            }
        }
        let mut out = Outcome::default();
        for (rule, &(count, action, strong, weak)) in self.rules.iter().zip(&per) {
            if count == 0 {
                continue;
            }
            let acts = action > Action::Audit;
            if rule.info.shadow {
                out.shadow_action = out.shadow_action.max(Some(action));
            } else {
                out.action = out.action.max(Some(action));
            }
            out.hits.push(HitSummary {
                rule: rule.info.id.clone(),
                category: rule.info.category.clone(),
                severity: rule.info.severity,
                action,
                count,
                evidence: evidence::names(if acts { strong } else { weak }),
                shadow: rule.info.shadow,
            });
        }
        out
    }

    /// Replaces the spans of enforced `mask` matches with `[MASKED:<rule>]`,
    /// or, for a `restore` rule, with its stable placeholder (`[EMAIL_1]`)
    /// recorded in `map`. Overlapping spans are merged (the earliest match
    /// names the mask). Returns whether anything changed.
    pub fn mask_text(&self, text: &mut String, matches: &[Match], map: &mut Placeholders) -> bool {
        let mut spans: Vec<(usize, usize, usize)> = matches
            .iter()
            .filter(|m| {
                self.match_action(m) == Some(Action::Mask)
                    && self.rules.get(m.rule).is_some_and(|r| !r.info.shadow)
            })
            .map(|m| (m.start, m.end, m.rule))
            .collect();
        if spans.is_empty() {
            return false;
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize, usize)> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.0 < last.1 => last.1 = last.1.max(s.1),
                _ => merged.push(s),
            }
        }
        let mut res = String::with_capacity(text.len());
        let mut pos = 0;
        for (s, e, r) in merged {
            if s < pos || e > text.len() {
                continue;
            }
            res.push_str(&text[pos..s]);
            let info = &self.rules[r].info;
            if info.restore {
                res.push_str(&map.placeholder(&restore::label(&info.id), &text[s..e]));
            } else {
                res.push_str("[MASKED:");
                res.push_str(&info.id);
                res.push(']');
            }
            pos = e;
        }
        res.push_str(&text[pos..]);
        *text = res;
        true
    }

    /// Scans every text a model will read in a request body laid out as
    /// `layout` says and masks spans in place where rules say `mask`
    /// (unless the final action is `block`, in which case nothing is
    /// forwarded anyway). The reference the byte reader is held to.
    pub fn scan_value(
        &self,
        body: &mut serde_json::Map<String, serde_json::Value>,
        layout: &Layout,
    ) -> Outcome {
        if self.rules.is_empty() {
            return Outcome::default();
        }
        let mut per_text: Vec<Vec<Match>> = Vec::new();
        visit_texts(body, self.scope, layout, &mut |s: &mut String| {
            per_text.push(self.scan_text(s));
        });
        let all: Vec<Match> = per_text.iter().flatten().copied().collect();
        let mut out = self.summarize(&all);
        let any_mask = out
            .hits
            .iter()
            .any(|h| h.action == Action::Mask && !h.shadow);
        if any_mask && out.action != Some(Action::Block) {
            let mut i = 0;
            let mut masked = false;
            let mut map = Placeholders::default();
            visit_texts(body, self.scope, layout, &mut |s: &mut String| {
                if let Some(ms) = per_text.get(i) {
                    masked |= self.mask_text(s, ms, &mut map);
                }
                i += 1;
            });
            out.masked = masked;
            out.restore = map;
        }
        out
    }

    #[doc(hidden)]
    pub fn debug_windows(&self, text: &str) -> Vec<(String, usize, usize)> {
        self.prefilter
            .windows(text)
            .into_iter()
            .map(|w| (self.rules[w.rule as usize].info.id.clone(), w.start, w.end))
            .collect()
    }

    /// The `block` rules' matches in a request's query string (decoded):
    /// a URL is not masked or rerouted in place, so only what refuses the
    /// request applies to it.
    pub fn scan_query(&self, query: &str) -> Vec<Match> {
        if query.is_empty() || self.rules.is_empty() {
            return Vec::new();
        }
        let mut found = self.scan_text(&crate::paths::query_text(query));
        found.retain(|m| self.match_action(m) == Some(Action::Block));
        found
    }

    /// Scans one plain text (no masking): hits and final action.
    pub fn scan_str(&self, text: &str) -> Outcome {
        self.summarize(&self.scan_text(text))
    }

    /// The id of the rule a `Match` names (the rule tester shows spans).
    pub fn rule_id(&self, rule: usize) -> Option<&str> {
        self.rules.get(rule).map(|r| r.info.id.as_str())
    }
}
