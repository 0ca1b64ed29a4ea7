//! `--db`, shared by every command that reads the store directly (in its
//! own file so `audit` and `audit shadow` do not import each other).

#[derive(clap::Args)]
pub struct Db {
    /// `sqlite://PATH` or `postgres://…`
    #[arg(
        long,
        env = "CLAWGATE_DB",
        default_value = "sqlite://clawgate-audit.db",
        global = true
    )]
    pub db: String,
}
