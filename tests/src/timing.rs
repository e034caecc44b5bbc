//! Timing requests for the scale benchmarks.

use std::time::Instant;

use anyhow::{bail, Context};

use crate::api::Api;

/// Median and maximum in ms of `runs` timed GETs of `path`, after one
/// untimed; each answer must hold the field `expect`.
pub async fn median_and_max(api: &Api, path: &str, runs: usize, expect: &str) -> anyhow::Result<(f64, f64)> {
    api.get(path).await.with_context(|| format!("GET {path}"))?;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let body = api.get(path).await.with_context(|| format!("GET {path}"))?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if body.get(expect).is_none() {
            bail!("GET {path} answered without `{expect}`: {body}");
        }
    }
    ms.sort_by(f64::total_cmp);
    Ok((ms[ms.len() / 2], ms[ms.len() - 1]))
}
