//! `clawgate audit query|export|verify|purge`: the audit trail straight
//! from the database (same store code as the sidecar).

use crate::db_arg::Db;
use crate::serve::store::{self, Checkpoint, Filter, Keys};
use clawgate::audit::AuditRecord;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
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
    /// Check every writer's hash chain, payload digests, stored columns,
    /// link MACs, checkpoints and stored configurations; exit 1 when
    /// anything does not hold (each forged link is named).
    Verify {
        #[command(flatten)]
        db: Db,
        /// JSON lines of checkpoints kept outside the store (`serve
        /// --checkpoint-log`, or `GET /v1/checkpoint` recorded elsewhere).
        #[arg(long)]
        checkpoints: Option<std::path::PathBuf>,
        /// The sidecars' checkpoint key: each keyed link's MAC is checked,
        /// and each checkpoint must carry a valid signature.
        #[arg(long, env = "CLAWGATE_CHECKPOINT_KEY", hide_env_values = true)]
        checkpoint_key: Option<String>,
        /// Keys used before a rotation (links name their key by id).
        #[arg(
            long = "old-checkpoint-key",
            env = "CLAWGATE_OLD_CHECKPOINT_KEYS",
            value_delimiter = ',',
            hide_env_values = true
        )]
        old_checkpoint_keys: Vec<String>,
        /// Only this writer's chain.
        #[arg(long)]
        writer: Option<String>,
        /// Every link must be keyed (no chain from before keys expected).
        #[arg(long)]
        require_keyed: bool,
    },
    /// What shadow rules would have done over a time window.
    Shadow(crate::audit_shadow::Args),
    /// Remove request/response payloads of records older than a duration
    /// (`30d`, `12h`, `90m`); each record keeps its payloads' digest, so
    /// the chain still verifies.
    Purge {
        #[command(flatten)]
        db: Db,
        #[arg(long, value_parser = parse_age)]
        older_than: u64,
    },
}

/// `30d` / `12h` / `90m` / `45s` in milliseconds.
fn parse_age(s: &str) -> Result<u64, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}`: expected a number and a unit, e.g. 30d"))?;
    let ms = match unit {
        "d" => 86_400_000,
        "h" => 3_600_000,
        "m" => 60_000,
        "s" => 1_000,
        _ => return Err(format!("`{s}`: the unit is one of d, h, m, s")),
    };
    n.checked_mul(ms)
        .ok_or_else(|| format!("`{s}` is too long"))
}

fn read_checkpoints(path: &std::path::Path, keys: &Keys) -> Result<Vec<Checkpoint>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut v = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let c: Checkpoint = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: not a checkpoint: {e}", path.display(), i + 1))?;
        if !keys.is_empty() && !keys.secrets().any(|k| c.sig_ok(k)) {
            return Err(format!(
                "{}:{}: checkpoint signature does not match the key",
                path.display(),
                i + 1
            ));
        }
        v.push(c);
    }
    Ok(v)
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
                    outln!("{row}");
                } else if let Ok(r) = serde_json::from_str::<AuditRecord>(row) {
                    outln!(
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
        Cmd::Verify {
            db,
            checkpoints,
            checkpoint_key,
            old_checkpoint_keys,
            writer,
            require_keyed,
        } => {
            let s = store::open(&db.db)?;
            let old: Vec<Vec<u8>> = old_checkpoint_keys
                .iter()
                .map(|k| k.as_bytes().to_vec())
                .collect();
            let keys = Keys::new(checkpoint_key.as_deref().map(str::as_bytes), &old);
            let cps = match &checkpoints {
                Some(p) => read_checkpoints(p, &keys)?,
                None => Vec::new(),
            };
            let opts = store::Options {
                checkpoints: &cps,
                keys,
                writer,
                require_keyed,
            };
            let r = store::verify_all(s.as_ref(), &opts)?;
            out!("{}", verify_report(&r, &opts, cps.len()));
            Ok(if r.findings.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Cmd::Purge { db, older_than } => {
            let s = store::open(&db.db)?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let before = i64::try_from(now.saturating_sub(u128::from(older_than))).unwrap_or(0);
            let done = s.purge_payloads(before)?;
            outln!(
                "purged the payloads of {} records started before {before}{}",
                done.purged,
                if done.kept_v1 > 0 {
                    format!(
                        "; {} older records keep theirs (written before chain version 2, their hash covers the payload)",
                        done.kept_v1
                    )
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `verify` prints: one line per writer, one per finding, then OK
/// or BROKEN.
fn verify_report(r: &store::Report, o: &store::Options, checkpoints: usize) -> String {
    let mut out = String::new();
    for (w, n) in &r.writers {
        out.push_str(&format!("writer {w}: {n} links\n"));
    }
    let keyed = if o.keys.is_empty() {
        format!(
            "{} links not checked for forgery (give --checkpoint-key to check their MACs)",
            r.unkeyed
        )
    } else {
        format!(
            "{} keyed links authentic, {} unkeyed (not authenticated: written without a key)",
            r.keyed, r.unkeyed
        )
    };
    for f in &r.findings {
        let at = if f.seq == 0 && f.request_id.is_empty() {
            String::new()
        } else {
            format!(
                "at seq {} (request_id {}, writer {}): ",
                f.seq,
                f.request_id.escape_debug(),
                f.writer
            )
        };
        out.push_str(&format!("BROKEN {at}{}\n", f.reason));
    }
    if r.findings.is_empty() {
        out.push_str(&format!(
            "OK: {} records in {} writer chains, hash chain, digests and columns intact; {keyed}; \
             {checkpoints} checkpoints held; {} configurations match their hash\n",
            r.links(),
            r.writers.len(),
            r.configs
        ));
    } else {
        out.push_str(&format!(
            "{} problems; {} records verified; {keyed}\n",
            r.findings.len(),
            r.links()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ages() {
        assert_eq!(super::parse_age("30d"), Ok(30 * 86_400_000));
        assert_eq!(super::parse_age("90m"), Ok(5_400_000));
        assert!(super::parse_age("3w").is_err() && super::parse_age("d").is_err());
        assert!(super::parse_age("99999999999999999d").is_err());
    }
}
