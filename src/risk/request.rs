//! Finds every text a model will read in a request body and hands it to a
//! visitor that may rewrite it. Every string at any depth is visited
//! (message contents, tool and function descriptions, parameter and
//! `response_format` schemas, predicted outputs, names, a field added to
//! an API tomorrow) except strings that sit where the API puts ids,
//! enums, opaque tokens or base64 media (`positions`). The walk order is the body's key order, so
//! two walks over the same body visit the same strings in the same order.

use super::positions::{is_base64_data_url, skips, Place, Skip, Tag};
use super::turns::{current_turn, Speaker};
use super::ScanScope;
use serde_json::{Map, Value};

pub type Visit<'a> = &'a mut dyn FnMut(&mut String);

/// Where a wire format keeps its conversation, which is all `last_user`
/// needs to know of it (the wire layer supplies one per dialect): the
/// lists of turns, of which only the current turn is read; the lists of
/// turns that may also hold plain strings, all read (a batch of inputs);
/// and the members that stand for the system prompt, skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub turns: &'static [&'static str],
    pub inputs: &'static [&'static str],
    pub system: &'static [&'static str],
}

/// Visits every string of `v`, standing under `key` in an object at
/// `at` whose `type` is `tag`, that the skip table (`positions`) lets
/// through.
fn walk(at: Place, tag: Tag, key: &str, v: &mut Value, f: Visit<'_>) {
    match v {
        Value::String(s) => {
            let skip = match skips(at, key, || tag) {
                Skip::No => false,
                Skip::Yes => true,
                Skip::DataUrl => is_base64_data_url(s),
            };
            if !skip {
                f(s)
            }
        }
        // Array items take their parent's key (`modalities: ["text"]`).
        Value::Array(items) => {
            for it in items {
                walk(at, tag, key, it, f);
            }
        }
        Value::Object(o) => {
            let place = at.child(key);
            let tag = Tag::of(o.get("type").and_then(Value::as_str));
            for (k, it) in o.iter_mut() {
                walk(place, tag, k, it, f);
            }
        }
        _ => {}
    }
}

/// Who an item of `messages` or `input` speaks for (see `turns`).
fn speaker(v: &Value) -> Speaker {
    match v.get("role").and_then(Value::as_str) {
        Some(r) => Speaker::of_role(r),
        None if v
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(Speaker::is_model_item) =>
        {
            Speaker::Model
        }
        None => Speaker::Caller,
    }
}

/// Walks the items of the current turn (`turns::current_turn`); plain
/// strings, when `strings`, whatever their turn (a batch of inputs).
fn walk_turn(key: &str, items: &mut [Value], strings: bool, f: Visit<'_>) {
    let speakers: Vec<Speaker> = items.iter().map(speaker).collect();
    let picked: Vec<bool> = current_turn(&speakers).collect();
    for (it, picked) in items.iter_mut().zip(picked) {
        match it {
            Value::String(s) if strings => f(s),
            _ if picked => walk(Place::Body, Tag::Other, key, it, f),
            _ => {}
        }
    }
}

/// Visits the texts of `body` that `scope` selects, in its `layout`.
///
/// `all_messages`: every string the walk does not skip. `last_user`
/// narrows the conversation history only: of a list of turns just the
/// current turn is visited, everything after the model last spoke (user
/// messages, tool results, function outputs) but system messages; plain
/// strings in an inputs list, embeddings batches, are all visited; a
/// system member is skipped like the system message it stands for;
/// tools, schemas, `prompt`, predictions and every other field are
/// visited as with `all_messages`.
pub fn visit_texts(body: &mut Map<String, Value>, scope: ScanScope, layout: &Layout, f: Visit<'_>) {
    let all = scope == ScanScope::AllMessages;
    for (k, v) in body.iter_mut() {
        let key = k.as_str();
        match v {
            Value::Array(items) if !all && layout.turns.contains(&key) => {
                walk_turn(key, items, false, f)
            }
            Value::Array(items) if !all && layout.inputs.contains(&key) => {
                walk_turn(key, items, true, f)
            }
            _ if !all && layout.system.contains(&key) => {}
            v => walk(Place::Body, Tag::Other, key, v, f),
        }
    }
}
