//! `clawgate serve`: the audit sidecar. Ingests batches from the filter,
//! stores them (SQLite or PostgreSQL), answers queries and cost reports,
//! and serves a small web page.

mod api;
mod auth;
mod budgets;
mod checkpoint;
mod headers;
mod listen;
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
    /// HMAC key signing checkpoints (and `GET /v1/checkpoint`).
    #[arg(long, env = "CLAWGATE_CHECKPOINT_KEY", hide_env_values = true)]
    pub checkpoint_key: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let store = match store::open(&args.db) {
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
    let mut state = api::State::new(
        Arc::from(store),
        auth::Tokens::new(args.token, args.read_token),
        checkpoints.key.clone(),
    );
    if let Some(s) = Arc::get_mut(&mut state) {
        s.now_file = args.now_file;
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
        let served = listen::serve(listener, api::router(state), shutdown()).await;
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
