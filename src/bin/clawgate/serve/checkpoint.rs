//! Chain-head checkpoints kept outside the store: written to the sidecar's
//! log (and a file when asked) whenever the head moves, and served at
//! `GET /v1/checkpoint` for another system to record. Deleting the newest
//! records then shows against the last checkpoint (`audit verify
//! --checkpoints`).

use super::store::{Checkpoint, Store, GENESIS};
use std::io::Write;
use std::sync::Arc;

/// Where and how checkpoints are kept.
#[derive(Clone, Default)]
pub struct Settings {
    /// HMAC key; unsigned checkpoints still catch deletions, signed ones
    /// also cannot be forged by whoever can edit the log.
    pub key: Option<Vec<u8>>,
    pub log: Option<std::path::PathBuf>,
    pub every: std::time::Duration,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The current head, signed.
pub fn current(store: &dyn Store, key: Option<&[u8]>) -> super::store::Result<Checkpoint> {
    let (seq, hash) = store.head()?.unwrap_or((0, GENESIS.to_string()));
    let writer = store.writer().id.as_str();
    // the default writer's checkpoints read as before writers existed
    let named = (writer != super::store::DEFAULT_WRITER).then_some(writer);
    Ok(Checkpoint::signed(named, seq, hash, now_ms(), key))
}

/// Writes a checkpoint each time the head has moved, every `s.every`.
pub async fn run(store: Arc<dyn Store>, s: Settings) {
    if s.every.is_zero() {
        return;
    }
    let mut tick = tokio::time::interval(s.every);
    let mut last: Option<i64> = None;
    loop {
        tick.tick().await;
        let (st, key) = (store.clone(), s.key.clone());
        let cp =
            match tokio::task::spawn_blocking(move || current(st.as_ref(), key.as_deref())).await {
                Ok(Ok(cp)) => cp,
                Ok(Err(e)) => {
                    eprintln!("clawgate serve: checkpoint: {e}");
                    continue;
                }
                Err(_) => continue,
            };
        if last == Some(cp.seq) {
            continue;
        }
        last = Some(cp.seq);
        let line = serde_json::to_string(&cp).unwrap_or_default();
        println!("clawgate serve: checkpoint {line}");
        if let Some(path) = &s.log {
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| {
                    writeln!(f, "{line}")?;
                    f.sync_data()
                });
            if let Err(e) = written {
                eprintln!("clawgate serve: checkpoint log {}: {e}", path.display());
            }
        }
    }
}
