//! `clawgate audit query|export|verify`: the audit trail straight from the
//! database (same store code as the sidecar).

use crate::serve::store::{self, Filter, Verify};
use clawgate::audit::AuditRecord;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Args)]
struct Db {
    /// `sqlite://PATH` or `postgres://…`
    #[arg(
        long,
        env = "CLAWGATE_DB",
        default_value = "sqlite://clawgate-audit.db"
    )]
    db: String,
}

#[derive(clap::Args)]
struct Filters {
    #[arg(long)]
    user: Option<String>,
    #[arg(long)]
    instance: Option<String>,
    #[arg(long)]
    model: Option<String>,
    #[arg(long)]
    session: Option<String>,
    #[arg(long)]
    trace: Option<String>,
    #[arg(long)]
    risk_action: Option<String>,
    #[arg(long)]
    status: Option<i64>,
    /// Unix ms (inclusive) on the start time.
    #[arg(long)]
    from: Option<i64>,
    /// Unix ms (exclusive).
    #[arg(long)]
    to: Option<i64>,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Print matching records, newest first.
    Query {
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        f: Filters,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// One JSON record per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write every matching record, oldest first, as JSON lines or CSV.
    Export {
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        f: Filters,
        #[arg(long, value_parser = ["jsonl", "csv"], default_value = "jsonl")]
        format: String,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Check the hash chain; exit 1 at the first broken link.
    Verify {
        #[command(flatten)]
        db: Db,
    },
}

impl Filters {
    fn filter(self, limit: i64, ascending: bool) -> Filter {
        Filter {
            user: self.user,
            instance: self.instance,
            model: self.model,
            session: self.session,
            trace: self.trace,
            risk_action: self.risk_action,
            status: self.status,
            from: self.from,
            to: self.to,
            limit,
            offset: 0,
            ascending,
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    match exec(args.cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("clawgate audit: {e}");
            ExitCode::from(2)
        }
    }
}

const CSV_HEADER: &str = "request_id,started_ms,duration_ms,user,instance,session_id,trace_id,model_requested,model_used,provider,route_reason,risk_action,status,error,prompt_tokens,completion_tokens,total_tokens,cost,currency";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(r: &AuditRecord) -> String {
    let o = |v: &Option<String>| csv_field(v.as_deref().unwrap_or(""));
    let n = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
    [
        csv_field(&r.request_id),
        r.started_ms.to_string(),
        r.duration_ms.to_string(),
        o(&r.user),
        o(&r.instance),
        o(&r.session_id),
        o(&r.trace_id),
        o(&r.model_requested),
        o(&r.model_used),
        o(&r.provider),
        o(&r.route_reason),
        o(&r.risk.action),
        r.status.to_string(),
        o(&r.error),
        n(r.usage.prompt),
        n(r.usage.completion),
        n(r.usage.total),
        o(&r.cost),
        o(&r.currency),
    ]
    .join(",")
}

fn exec(cmd: Cmd) -> Result<ExitCode, String> {
    match cmd {
        Cmd::Query { db, f, limit, json } => {
            let s = store::open(&db.db)?;
            let (rows, total) = s.query(&f.filter(limit.clamp(1, 100_000), false))?;
            for row in &rows {
                if json {
                    println!("{row}");
                } else if let Ok(r) = serde_json::from_str::<AuditRecord>(row) {
                    println!(
                        "{}  {:>13}  {:<12} {:<20} {:<20} {:>3}  {:<18} {}",
                        r.request_id,
                        r.started_ms,
                        r.user.as_deref().unwrap_or("-"),
                        r.model_requested.as_deref().unwrap_or("-"),
                        r.model_used.as_deref().unwrap_or("-"),
                        r.status,
                        r.risk.action.as_deref().unwrap_or("-"),
                        r.cost.as_deref().map_or(String::from("-"), |c| format!(
                            "{c} {}",
                            r.currency.as_deref().unwrap_or("")
                        )),
                    );
                }
            }
            if !json {
                eprintln!("{} of {total} records", rows.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export { db, f, format, out } => {
            let s = store::open(&db.db)?;
            let mut w: Box<dyn Write> = match out {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(&p).map_err(|e| format!("{}: {e}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut filter = f.filter(5000, true);
            if format == "csv" {
                writeln!(w, "{CSV_HEADER}").map_err(|e| e.to_string())?;
            }
            loop {
                let (rows, total) = s.query(&filter)?;
                for row in &rows {
                    let line = if format == "csv" {
                        serde_json::from_str::<AuditRecord>(row)
                            .map(|r| csv_row(&r))
                            .map_err(|e| e.to_string())?
                    } else {
                        row.clone()
                    };
                    writeln!(w, "{line}").map_err(|e| e.to_string())?;
                }
                filter.offset += rows.len() as i64;
                if rows.is_empty() || filter.offset >= total {
                    break;
                }
            }
            w.flush().map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify { db } => {
            let s = store::open(&db.db)?;
            match store::verify(s.as_ref())? {
                Verify::Ok(n) => {
                    println!("OK: {n} records, hash chain intact");
                    Ok(ExitCode::SUCCESS)
                }
                Verify::Broken {
                    seq,
                    request_id,
                    reason,
                } => {
                    println!("BROKEN at seq {seq} (request_id {request_id}): {reason}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}
