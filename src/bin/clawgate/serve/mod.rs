//! `clawgate serve`: the audit sidecar. Ingests batches from the filter,
//! stores them (SQLite or PostgreSQL), answers queries and cost reports,
//! and serves a small web page.

mod api;
mod auth;
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
    let state = api::State::new(
        Arc::from(store),
        auth::Tokens::new(args.token, args.read_token),
    );
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
        let served = axum::serve(listener, api::router(state))
            .with_graceful_shutdown(shutdown())
            .await;
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
