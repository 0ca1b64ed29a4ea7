//! `clawgate probe`: connectivity test of every model through a running
//! gateway — the same path clients take, so routes, clusters, keys and the
//! filter are all exercised. Sends a one-token chat completion per model
//! (an Anthropic Messages call to a model that accepts only that protocol).

use clawgate::wire::Protocol;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Gateway base URL (plain HTTP), e.g. http://127.0.0.1:10000
    #[arg(long, default_value = "http://127.0.0.1:10000")]
    pub gateway: String,
    /// Probe the models of this plugin config instead of GET /v1/models.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Probe only these models (repeatable).
    #[arg(long = "model")]
    pub models: Vec<String>,
    /// API key sent as `authorization: Bearer` (some gateways require one).
    #[arg(long, env = "CLAWGATE_PROBE_KEY")]
    pub api_key: Option<String>,
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
    /// Print JSON lines instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> ExitCode {
    let agent = agent(args.timeout_secs);
    let base = args.gateway.trim_end_matches('/');
    let models = match model_list(&args, &agent, base) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("clawgate probe: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = 0;
    if !args.json {
        outln!(
            "{:<28} {:>6} {:>9}  {:<28} detail",
            "model",
            "status",
            "latency",
            "served by"
        );
    }
    for (m, protocol) in &models {
        let Probe {
            status,
            used,
            detail,
            ms,
        } = probe_one(&agent, base, args.api_key.as_deref(), m, *protocol);
        if !(200..300).contains(&status) {
            failed += 1;
        }
        if args.json {
            outln!(
                "{}",
                json!({"model": m, "status": status, "latency_ms": ms, "model_used": used, "detail": detail})
            );
        } else {
            outln!("{m:<28} {status:>6} {ms:>7.1}ms  {used:<28} {detail}");
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One model's answer through the gateway.
pub struct Probe {
    pub status: u16,
    pub used: String,
    pub detail: String,
    pub ms: f64,
}

/// A one-token request for `model` in its protocol, the path clients take.
pub fn probe_one(
    agent: &ureq::Agent,
    base: &str,
    api_key: Option<&str>,
    model: &str,
    protocol: Protocol,
) -> Probe {
    let body =
        json!({"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]});
    let path = protocol.dialect().chat_path;
    let mut req = agent
        .post(&format!("{base}{path}"))
        .header("content-type", "application/json");
    if protocol == Protocol::ANTHROPIC {
        req = req.header("anthropic-version", "2023-06-01");
    }
    if let Some(k) = api_key {
        req = req.header("authorization", &format!("Bearer {k}"));
    }
    let t0 = Instant::now();
    let (status, used, detail) = match req.send(body.to_string()) {
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let used = resp
                .headers()
                .get("x-gateway-model-used")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let text = resp.body_mut().read_to_string().unwrap_or_default();
            let detail = if (200..300).contains(&status) {
                "ok".to_string()
            } else {
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
                    .unwrap_or_else(|| "error".to_string())
            };
            (status, used, detail)
        }
        Err(e) => (0, "-".to_string(), e.to_string()),
    };
    Probe {
        status,
        used,
        detail,
        ms: t0.elapsed().as_secs_f64() * 1000.0,
    }
}

/// An agent with one timeout for the whole call.
pub fn agent(timeout_secs: u64) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(timeout_secs)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// The models to probe and the protocol to probe each with: OpenAI
/// unless the config says the model accepts only Anthropic's.
fn model_list(
    args: &Args,
    agent: &ureq::Agent,
    base: &str,
) -> Result<Vec<(String, Protocol)>, String> {
    let pc = match &args.config {
        Some(path) => Some(crate::check_config::load(path).map_err(|e| e.join("\n"))?),
        None => None,
    };
    let protocol_of = |name: &str| {
        let m = pc.as_ref().and_then(|pc| {
            pc.global
                .catalog
                .find_model(name)
                .map(|i| &pc.global.catalog.models[i])
        });
        match m {
            Some(m) if !m.speaks(Protocol::OPENAI) => Protocol::ANTHROPIC,
            _ => Protocol::OPENAI,
        }
    };
    if !args.models.is_empty() {
        return Ok(args
            .models
            .iter()
            .map(|m| (m.clone(), protocol_of(m)))
            .collect());
    }
    if let Some(pc) = &pc {
        return Ok(pc
            .global
            .catalog
            .models
            .iter()
            .filter(|m| m.enabled)
            .map(|m| (m.name.clone(), protocol_of(&m.name)))
            .collect());
    }
    let mut resp = agent
        .get(&format!("{base}/v1/models"))
        .call()
        .map_err(|e| format!("GET /v1/models: {e}"))?;
    let v: Value = serde_json::from_str(
        &resp
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("GET /v1/models: not JSON: {e}"))?;
    let auto = "auto";
    Ok(v["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["id"].as_str())
                .filter(|id| *id != auto)
                .map(|id| (id.to_string(), Protocol::OPENAI))
                .collect()
        })
        .unwrap_or_default())
}
