//! Scanning a request body from its bytes: each top-level member, and each
//! item of a top-level array (a message, a tool, an input item), is a
//! piece, checked and scanned on its own, so a piece resent unchanged is
//! taken from the engine's cache instead of being read again. The walk
//! inside a piece is `request::walk`'s, string for string: every string
//! but those at the API's positions of ids, enums, opaque tokens and
//! base64 media (`positions`), in document order; the scope then picks
//! which pieces count.

use super::cache::{PieceScan, TextHits};
use super::positions::{is_base64_data_url, skips, Place, Skip, Tag};
use super::request::Layout;
use super::restore::Placeholders;
use super::scan::Match;
use super::turns::{current_turn, Speaker};
use super::{Action, Engine, Outcome, ScanScope};
use crate::json::lex::{self, Lex, Str, Visitor};
use crate::json::{self, splice, Doc, Edit, Piece};
use std::sync::Arc;

/// Every piece of a body, checked, with what its scan found.
#[derive(Debug, Default)]
pub struct DocScan {
    /// Per member, one per piece of `Member::pieces`.
    members: Vec<Vec<Arc<PieceScan>>>,
}

/// Finds the texts of one piece and scans them.
struct Texts<'e> {
    engine: &'e Engine,
    base: usize,
    /// Open objects: where each starts, its place in the API's schema
    /// (`positions`) and, once asked, its `type`.
    objects: Vec<(usize, Place, Option<Tag>)>,
    scan: PieceScan,
}

impl<'a> Visitor<'a> for Texts<'_> {
    fn string(
        &mut self,
        b: &'a [u8],
        key: &str,
        s: Str,
        text: Option<&'a str>,
        member: bool,
    ) -> Lex<()> {
        // checked by the lexer: an escaped string is decoded, no other read again
        let read = || lex::known_text(b, s, text);
        if member && self.objects.len() == 1 {
            match key {
                "role" => self.scan.role = read().ok().map(|r| Speaker::of_role(&r)),
                "type" => self.scan.model_item = read().is_ok_and(|t| Speaker::is_model_item(&t)),
                _ => {}
            }
        }
        let (place, tag) = match self.objects.last_mut() {
            Some((open, place, tag)) => (*place, Some((*open, tag))),
            None => (Place::Body, None),
        };
        let skip = skips(place, key, || match tag {
            Some((open, known)) => {
                *known.get_or_insert_with(|| Tag::of(lex::type_of(b, open).as_deref()))
            }
            None => Tag::Other,
        });
        if skip == Skip::Yes {
            if self.objects.is_empty() {
                self.scan.skipped = true;
            }
            return Ok(());
        }
        if self.engine.rules.is_empty() {
            return Ok(());
        }
        let t = read()?;
        if skip == Skip::DataUrl && is_base64_data_url(&t) {
            if self.objects.is_empty() {
                self.scan.skipped = true;
            }
            return Ok(());
        }
        let matches = self.engine.scan_text(&t);
        if !matches.is_empty() {
            self.scan.texts.push(TextHits {
                span: Str {
                    start: s.start - self.base,
                    end: s.end - self.base,
                    ..s
                },
                matches,
            });
        }
        Ok(())
    }

    fn object(&mut self, open: usize, key: &str) {
        let parent = self.objects.last().map_or(Place::Body, |o| o.1);
        self.objects.push((open, parent.child(key), None));
    }

    fn close(&mut self) {
        self.objects.pop();
    }
}

impl Engine {
    /// Scans one piece (no cache).
    fn scan_piece(&self, doc: &Doc<'_>, key: &str, p: Piece) -> Lex<PieceScan> {
        let mut v = Texts {
            engine: self,
            base: p.start,
            objects: Vec::new(),
            scan: PieceScan::default(),
        };
        doc.check_piece(key, p, &mut v)?;
        Ok(v.scan)
    }

    /// Outlines `body`, checks every piece (one found in the cache is
    /// known good and not read again) and scans its texts. `Err` when the
    /// body is not valid JSON.
    pub fn read_body<'a>(&self, body: &'a [u8]) -> Lex<(Doc<'a>, DocScan)> {
        // One request at a time per engine (a worker is one thread): the
        // cache is held for the whole read.
        let mut cache = self.cache.lock().ok();
        let mut found: Vec<(usize, Arc<PieceScan>)> = Vec::new();
        let doc = json::outline_with(body, &mut |key, depth, at| {
            let (len, scan) = cache.as_mut()?.find(key, depth, body, at)?;
            found.push((at, scan));
            Some(len)
        })?;
        let mut found = found.into_iter().peekable();
        let mut members = Vec::with_capacity(doc.members.len());
        for m in &doc.members {
            let mut scans = Vec::with_capacity(m.pieces().len());
            for &p in m.pieces() {
                let raw = doc.raw(p);
                let known = found.next_if(|(at, _)| *at == p.start).map(|(_, s)| s);
                let known = known.or_else(|| cache.as_mut()?.find_short(&m.key, p.depth, raw));
                let scan = match known {
                    Some(s) => s,
                    None => {
                        let s = Arc::new(self.scan_piece(&doc, &m.key, p)?);
                        if let Some(c) = cache.as_mut() {
                            c.put(&m.key, p.depth, raw, s.clone());
                        }
                        s
                    }
                };
                scans.push(scan);
            }
            members.push(scans);
        }
        Ok((doc, DocScan { members }))
    }

    /// The pieces the scope selects, in the order the texts are visited.
    fn selected(
        &self,
        doc: &Doc<'_>,
        scan: &DocScan,
        layout: &Layout,
    ) -> Vec<(Piece, Arc<PieceScan>)> {
        let all = self.scope == ScanScope::AllMessages;
        let mut out = Vec::new();
        for (m, scans) in doc.members.iter().zip(&scan.members) {
            let pieces = || m.pieces().iter().copied().zip(scans.iter().cloned());
            let turn = || {
                let speakers: Vec<Speaker> = scans.iter().map(|s| s.speaker()).collect();
                let picked: Vec<bool> = current_turn(&speakers).collect();
                pieces().zip(picked)
            };
            let key = m.key.as_ref();
            let list = m.items.is_some();
            match () {
                _ if all => out.extend(pieces()),
                _ if list && layout.turns.contains(&key) => {
                    out.extend(turn().filter(|t| t.1).map(|t| t.0))
                }
                _ if list && layout.inputs.contains(&key) => {
                    // every plain string of an input list, and the current turn
                    for ((p, s), picked) in turn() {
                        if doc.bytes.get(p.start) == Some(&b'"') {
                            out.push((p, self.bare_string(doc, p, &s)));
                        } else if picked {
                            out.push((p, s));
                        }
                    }
                }
                _ if layout.system.contains(&key) => {}
                _ => out.extend(pieces()),
            }
        }
        out
    }

    /// A plain string of an input list is scanned even where its key
    /// would skip it (`last_user` reads every such string).
    fn bare_string(&self, doc: &Doc<'_>, p: Piece, s: &Arc<PieceScan>) -> Arc<PieceScan> {
        if !s.skipped || self.rules.is_empty() {
            return s.clone();
        }
        // the piece is the string literal, quotes included
        let span = Str {
            start: 1,
            end: (p.end - p.start).saturating_sub(1),
            escaped: doc.raw(p).contains(&b'\\'),
        };
        let matches =
            lex::text(doc.raw(p), span).map_or_else(|_| Vec::new(), |t| self.scan_text(&t));
        Arc::new(PieceScan {
            texts: if matches.is_empty() {
                Vec::new()
            } else {
                vec![TextHits { span, matches }]
            },
            ..PieceScan::default()
        })
    }

    /// Every text the scope selects that matched, decoded, with its
    /// matches (offsets into that text): what `clawgate rules test` lists
    /// from the filter's own read of a body.
    pub fn texts_with_hits(
        &self,
        doc: &Doc<'_>,
        scan: &DocScan,
        layout: &Layout,
    ) -> Vec<(String, Vec<Match>)> {
        let mut out = Vec::new();
        for (p, s) in self.selected(doc, scan, layout) {
            for t in s.texts.iter().filter(|t| !t.matches.is_empty()) {
                let span = Str {
                    start: p.start + t.span.start,
                    end: p.start + t.span.end,
                    ..t.span
                };
                if let Ok(text) = lex::text(doc.bytes, span) {
                    out.push((text.into_owned(), t.matches.clone()));
                }
            }
        }
        out
    }

    /// The outcome for the texts `scope` selects, with `also` (matches
    /// found outside the body: its query string), and, unless the request
    /// is blocked anyway, the edits that mask the body's.
    pub fn outcome(
        &self,
        doc: &Doc<'_>,
        scan: &DocScan,
        layout: &Layout,
        also: &[Match],
    ) -> (Outcome, Vec<Edit>) {
        if self.rules.is_empty() {
            return (Outcome::default(), Vec::new());
        }
        let picked = self.selected(doc, scan, layout);
        let all: Vec<Match> = picked
            .iter()
            .flat_map(|(_, s)| s.texts.iter().flat_map(|t| t.matches.iter().copied()))
            .chain(also.iter().copied())
            .collect();
        let mut out = self.summarize(&all);
        let any_mask = out
            .hits
            .iter()
            .any(|h| h.action == Action::Mask && !h.shadow);
        let mut edits = Vec::new();
        if any_mask && out.action != Some(Action::Block) {
            let mut map = Placeholders::default();
            for (p, s) in &picked {
                for t in &s.texts {
                    let span = Str {
                        start: p.start + t.span.start,
                        end: p.start + t.span.end,
                        ..t.span
                    };
                    let Ok(text) = lex::text(doc.bytes, span) else {
                        continue;
                    };
                    let mut text = text.into_owned();
                    if self.mask_text(&mut text, &t.matches, &mut map) {
                        edits.push(Edit {
                            start: span.start - 1,
                            end: span.end + 1,
                            with: splice::quoted(&text),
                        });
                    }
                }
            }
            out.masked = !edits.is_empty();
            out.restore = map;
        }
        (out, edits)
    }
}
