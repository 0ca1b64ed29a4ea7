//! Passwords given to a tool on its command line, by the flag its manual
//! documents: people paste the command they ran, and the password is in
//! it with no `password=` beside it (`mysql -pS3cret`, `sshpass -p …`,
//! `redis-cli -a …`, `openssl … -passin pass:…`, `smbclient -U user%…`).
//!
//! The rule's pattern ends each form at the value, so the value is the
//! match's last token less the flag glued to it; it is then judged like any
//! assigned secret (`literal::is_secret_value`: no placeholder, no
//! `$VAR`, not a word). A flag that prompts (`mysql -p` followed by a
//! space, `net use … *`) has no value and does not match.

use super::literal;

/// Flags a value is glued to, stripped before the value is judged.
const GLUED: &[&str] = &["-p", "-P", "pass:", "/p:"];

/// The password out of a match of the rule's pattern.
pub fn value(m: &str) -> &str {
    let quote = |c: char| matches!(c, '"' | '\'');
    let m = m.trim_end_matches(quote);
    // `echo 'pw' | sudo -S …`: the value is echo's argument
    if let Some(rest) = m.strip_prefix("echo") {
        let rest = rest.trim_start();
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '|')
            .unwrap_or(rest.len());
        return rest[..end].trim_matches(quote);
    }
    let last = m.rsplit(char::is_whitespace).next().unwrap_or(m);
    let mut v = last.trim_start_matches(quote);
    // `--password=pw`
    if v.starts_with("--") {
        if let Some((_, pw)) = v.split_once('=') {
            return pw.trim_matches(quote);
        }
    }
    for g in GLUED {
        if let Some(rest) = v.strip_prefix(g) {
            v = rest.trim_start_matches(quote);
            break;
        }
    }
    // `-U user%password` (Samba's tools): the password follows the `%`
    match v.split_once('%') {
        Some((_, pw)) if m.trim_start().starts_with("-U") => pw,
        _ => v,
    }
}

/// A match whose value is a literal secret, not a placeholder or variable.
pub fn valid(m: &str) -> bool {
    literal::is_secret_value(value(m))
}

/// The rule's pattern: one alternative a tool (or a family sharing a flag),
/// each ending at the value. Flags are case-sensitive (`mysql -P` is a port).
pub const PATTERN: &str = concat!(
    // MySQL/MariaDB clients: `-p` takes its value glued (`-p pw` prompts)
    r#"\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mariadb|mariadb-dump)\b[^\n|;&]{0,200}?\s-p["']?[^\s"'\-][^\s"']{3,}"#,
    r#"|\bsshpass\s+-p\s*["']?[^\s"']{4,}"#,
    r#"|\bredis-cli\b[^\n|;&]{0,200}?\s(?:-a|--pass)\s+["']?[^\s"'\-][^\s"']{3,}"#,
    // registry logins: docker, podman, nerdctl, buildah, skopeo, helm, oras, az
    r#"|\b(?:docker|podman|nerdctl|buildah|skopeo|helm|oras|crane|az)\b[^\n|;&]{0,40}?\blogin\b[^\n|;&]{0,200}?\s(?:-p|--password)[ \t=]+["']?[^\s"'\-][^\s"']{3,}"#,
    // OpenSSL's pass phrase arguments; keytool's and jarsigner's store passwords
    r#"|\s-pass(?:in|out)?\s+["']?pass:[^\s"']{4,}"#,
    r#"|\s-(?:src|dest|new)?(?:store|key)pass\s+["']?[^\s"'\-:][^\s"']{3,}"#,
    // OpenLDAP's tools bind with `-w`
    r#"|\bldap(?:search|add|modify|delete|passwd|whoami|compare|modrdn|exop)\b[^\n|;&]{0,200}?\s-w\s+["']?[^\s"'\-][^\s"']{3,}"#,
    // SQL Server's sqlcmd/bcp/osql, ipmitool, Mosquitto, PsExec: `-P`/`-p` value
    r#"|\b(?:sqlcmd|bcp|osql|isql|ipmitool|mosquitto_pub|mosquitto_sub|mosquitto_rr)\b[^\n|;&]{0,200}?\s-P\s*["']?[^\s"'\-][^\s"']{3,}"#,
    r#"|\bpsexec(?:64)?(?:\.exe)?\b[^\n|;&]{0,200}?\s-p\s+["']?[^\s"'\-][^\s"']{3,}"#,
    // FreeRDP's `/p:`
    r#"|\b[xw]freerdp3?\b[^\n|;&]{0,300}?\s/p:["']?[^\s"']{4,}"#,
    // Samba's tools: `-U user%password`
    r#"|\s-U\s+["']?[A-Za-z0-9._@\\\-]{1,64}%[^\s"']{4,}"#,
    // `net use … /user:dom\name password` (`*` prompts)
    r#"|\bnet\s+use\b[^\n|;&]{0,200}?/user:\S+\s+["']?[^\s"'/*\-][^\s"']{3,}"#,
    // htpasswd's batch mode takes the password as its last argument
    r#"|\bhtpasswd\s+-[A-Za-z]*b[A-Za-z]*\s+(?:\S+\s+){1,2}["']?[^\s"'\-][^\s"']{3,}"#,
    // archives: 7-Zip and RAR glue `-p`, zip and unzip take `-P value`
    r#"|\b(?:7z|7za|7zr|rar|unrar)\b[^\n|;&]{0,200}?\s-p["']?[^\s"'\-][^\s"']{3,}"#,
    r#"|\b(?:zip|unzip)\b[^\n|;&]{0,200}?\s-P\s+["']?[^\s"'\-][^\s"']{3,}"#,
    // RabbitMQ users created or changed with their password
    r#"|\brabbitmqctl\s+(?:add_user|change_password)\s+\S+\s+["']?[^\s"'\-][^\s"']{3,}"#,
    // a password piped to `sudo -S` or a `--password-stdin` login
    r#"|\becho\s+["']?[^\s"'|$]{4,64}["']?\s*\|\s*(?:sudo\s+-S\b|[^\n|;&]{0,120}?--password-stdin)"#,
);

/// Anchors of [`PATTERN`]: each alternative holds one of them (the piped
/// form its `sudo -S` or `--password-stdin`, up to 224 bytes after `echo`).
pub const ANCHORS: &[&str] = &[
    "mysql",
    "mariadb",
    "sshpass",
    "redis-cli",
    "docker",
    "podman",
    "nerdctl",
    "buildah",
    "skopeo",
    "helm",
    "oras ",
    "crane ",
    "az login",
    "az acr login",
    "pass:",
    "storepass",
    "keypass",
    "ldap",
    "sqlcmd",
    "bcp",
    "osql",
    "isql",
    "ipmitool",
    "mosquitto_",
    "psexec",
    "freerdp",
    "-u ",
    "-u\t",
    "net use",
    "htpasswd",
    "7z",
    "rar ",
    "unrar",
    "zip",
    "rabbitmqctl",
    "sudo -s",
    "password-stdin",
];
