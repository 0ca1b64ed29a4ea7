//! `clawgate serve`: the audit sidecar. Ingests batches from the filter,
//! stores them (SQLite or PostgreSQL), answers queries and cost reports,
//! and serves a small web page.

mod api;
mod auth;
mod budgets;
mod checkpoint;
mod headers;
mod listen;
mod rates;
mod routes;
pub mod store;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9901")]
    pub listen: SocketAddr,
    /// `sqlite://PATH` (default, embedded) or `postgres://user@host:port/db`.
    #[arg(
        long,
        env = "CLAWGATE_DB",
        default_value = "sqlite://clawgate-audit.db"
    )]
    pub db: String,
    /// Bearer token `POST /v1/audit/batch` requires (the filter's
    /// `audit.token`); it also reads. Once a token is set, every endpoint
    /// but `/healthz` and the static page needs one.
    #[arg(long, env = "CLAWGATE_AUDIT_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Bearer token for reads only (records, traces, costs, metrics, the
    /// rule tester): give this one to people and dashboards.
    #[arg(long, env = "CLAWGATE_READ_TOKEN", hide_env_values = true)]
    pub read_token: Option<String>,
    /// Seconds between chain-head checkpoints (written when the head
    /// moved); 0 turns them off.
    #[arg(long, default_value_t = 60)]
    pub checkpoint_every: u64,
    /// Also append each checkpoint as a JSON line to this file: keep it
    /// somewhere the database's editors cannot write.
    #[arg(long)]
    pub checkpoint_log: Option<std::path::PathBuf>,
    /// Test hook: when this file holds a Unix-ms number, budgets take it
    /// as the current time (period boundaries without waiting a day).
    #[arg(long, hide = true)]
    pub now_file: Option<std::path::PathBuf>,
    /// Largest audit batch body taken, in bytes (larger ones get 413; the
    /// filter then splits the batch, and a record larger on its own is
    /// stored as a quarantined stub).
    #[arg(long, default_value_t = api::MAX_BATCH_BYTES)]
    pub max_batch_bytes: usize,
    /// HMAC key signing checkpoints (and `GET /v1/checkpoint`) and every
    /// link this sidecar writes: with it, only a holder of the key can
    /// extend the chain, and `audit verify` names a link without its MAC.
    #[arg(long, env = "CLAWGATE_CHECKPOINT_KEY", hide_env_values = true)]
    pub checkpoint_key: Option<String>,
    /// Keys used before a rotation, comma-separated in the environment:
    /// the links they signed still count as this writer's own.
    #[arg(
        long = "old-checkpoint-key",
        env = "CLAWGATE_OLD_CHECKPOINT_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub old_checkpoint_keys: Vec<String>,
    /// This sidecar's chain in a shared database (one per gateway node):
    /// writers never wait on one another, and each chain verifies alone.
    #[arg(long, env = "CLAWGATE_WRITER", default_value = store::DEFAULT_WRITER)]
    pub writer: String,
    /// Seconds a request body may take in total: a client trickling its
    /// body (each byte within the idle limit) is cut off with 408.
    #[arg(long, default_value_t = 60)]
    pub body_timeout: u64,
}

pub fn run(args: Args) -> ExitCode {
    let key = args
        .checkpoint_key
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(str::as_bytes);
    let old: Vec<Vec<u8>> = args
        .old_checkpoint_keys
        .iter()
        .map(|k| k.as_bytes().to_vec())
        .collect();
    let writer = store::Writer::new(&args.writer, store::Keys::new(key, &old));
    let store = match store::open_as(&args.db, writer) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("clawgate serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("clawgate serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    let checkpoints = checkpoint::Settings {
        key: args
            .checkpoint_key
            .filter(|k| !k.is_empty())
            .map(String::into_bytes),
        log: args.checkpoint_log,
        every: std::time::Duration::from_secs(args.checkpoint_every),
    };
    // the head this writer will chain onto: forged links above it are
    // reported now, and a chain with nothing authentic in reach refuses
    // (loudly, each batch) until someone looks
    match store.head() {
        Ok(h) => println!(
            "clawgate serve: writer `{}` chains onto seq {} ({})",
            store.writer().id,
            h.map_or(0, |h| h.0),
            if store.writer().keys.is_empty() {
                "unkeyed: no --checkpoint-key, so links cannot be told from forgeries"
            } else {
                "links keyed"
            }
        ),
        Err(e) => eprintln!("clawgate serve: ALERT: {e}"),
    }
    let mut state = api::State::new(
        Arc::from(store),
        auth::Tokens::new(args.token, args.read_token),
        checkpoints.key.clone(),
    );
    if let Some(s) = Arc::get_mut(&mut state) {
        s.now_file = args.now_file;
        s.body_timeout = std::time::Duration::from_secs(args.body_timeout.max(1));
        s.max_batch_bytes = args.max_batch_bytes;
    }
    let backend = state.store.backend();
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("clawgate serve: cannot listen on {}: {e}", args.listen);
                return ExitCode::FAILURE;
            }
        };
        println!("clawgate serve: listening on {} ({backend})", args.listen);
        tokio::spawn(checkpoint::run(state.store.clone(), checkpoints));
        let served = listen::serve(listener, routes::router(state), shutdown()).await;
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("clawgate serve: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn shutdown() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term => {},
    }
}
