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

/// Filters, one `--flag` per `store::params()` name (the column table's),
/// and the time window.
#[derive(Default)]
struct Filters {
    eq: Vec<(&'static str, String)>,
    from: Option<i64>,
    to: Option<i64>,
}

/// `risk_action` → `--risk-action`; clap keeps flag names for the whole
/// run, so the few renamed ones are leaked once.
fn flag(param: &'static str) -> &'static str {
    if param.contains('_') {
        Box::leak(param.replace('_', "-").into_boxed_str())
    } else {
        param
    }
}

impl clap::Args for Filters {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        use clap::{value_parser, Arg};
        let cmd = store::params().into_iter().fold(cmd, |cmd, p| {
            cmd.arg(
                Arg::new(p)
                    .long(flag(p))
                    .value_name("VALUE")
                    .help(format!("Only records whose {p} is VALUE")),
            )
        });
        cmd.arg(
            Arg::new("from")
                .long("from")
                .value_name("MS")
                .value_parser(value_parser!(i64))
                .help("Unix ms (inclusive) on the start time"),
        )
        .arg(
            Arg::new("to")
                .long("to")
                .value_name("MS")
                .value_parser(value_parser!(i64))
                .help("Unix ms (exclusive)"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for Filters {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let eq = store::params()
            .into_iter()
            .filter_map(|p| m.get_one::<String>(p).map(|v| (p, v.clone())))
            .collect();
        Ok(Filters {
            eq,
            from: m.get_one::<i64>("from").copied(),
            to: m.get_one::<i64>("to").copied(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
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
    /// What shadow rules would have done over a time window.
    Shadow(crate::audit_shadow::Args),
}

impl Filters {
    fn filter(self, limit: i64, ascending: bool) -> Result<Filter, String> {
        let mut f = Filter {
            from: self.from,
            to: self.to,
            limit,
            ascending,
            ..Default::default()
        };
        for (p, v) in &self.eq {
            f.set(p, v)?;
        }
        Ok(f)
    }
}

/// Records per export page: memory stays at one page whatever the trail.
const EXPORT_PAGE: i64 = 5000;

pub fn run(args: Args) -> ExitCode {
    match exec(args.cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("clawgate audit: {e}");
            ExitCode::from(2)
        }
    }
}

fn exec(cmd: Cmd) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cmd {
        Cmd::Shadow(a) => crate::audit_shadow::run(a),
        Cmd::Query { db, f, limit, json } => {
            let s = store::open(&db.db)?;
            let (rows, total) = s.query(&f.filter(limit.clamp(1, 100_000), false)?)?;
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
            let filter = f.filter(EXPORT_PAGE, true)?;
            let csv = format == "csv";
            let io = |e: std::io::Error| store::StoreError::Other(e.to_string());
            if csv {
                writeln!(w, "{}", store::csv_header()).map_err(|e| e.to_string())?;
            }
            store::export(s.as_ref(), &filter, EXPORT_PAGE, &mut |row| {
                if csv {
                    let r = serde_json::from_str::<AuditRecord>(row)
                        .map_err(|e| store::StoreError::Other(e.to_string()))?;
                    writeln!(w, "{}", store::csv_row(&r)).map_err(io)
                } else {
                    writeln!(w, "{row}").map_err(io)
                }
            })?;
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
