//! `/_ping`, `/version`, `/info`: what clients ask first, to agree on an API version.

use super::body::{Handled, full, ok_json};
use super::state::Api;
use hyper::{Method, Response, StatusCode};
use serde_json::json;

/// The newest API version berth answers (Docker 27.x); clients negotiate down to it.
pub const API_VERSION: &str = "1.47";
/// The oldest API version berth accepts (as dockerd's default minimum).
pub const MIN_API_VERSION: &str = "1.24";

/// Go's name for this machine's architecture.
fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    }
}

/// `GET|HEAD /_ping`: `OK` and the headers version negotiation reads.
pub fn ping(method: &Method) -> Handled {
    let body = if *method == Method::HEAD { "" } else { "OK" };
    Response::builder()
        .status(StatusCode::OK)
        .header("API-Version", API_VERSION)
        .header("OSType", "linux")
        .header("Docker-Experimental", "false")
        .header("Builder-Version", "1")
        .header("Cache-Control", "no-cache, no-store, must-revalidate")
        .header("Pragma", "no-cache")
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(full(body))
        .map_err(|e| super::error::ApiError::internal(e.to_string()))
}

/// `GET /version`.
pub async fn version(api: &Api) -> Handled {
    let info = api.blocking(|e| e.info()).await?;
    let version = env!("CARGO_PKG_VERSION");
    ok_json(&json!({
        "Platform": { "Name": "berth" },
        "Components": [{
            "Name": "Engine",
            "Version": version,
            "Details": {
                "ApiVersion": API_VERSION,
                "MinAPIVersion": MIN_API_VERSION,
                "Os": "linux",
                "Arch": go_arch(),
                "KernelVersion": info.host.kernel_version,
                "Experimental": "false",
            }
        }],
        "Version": version,
        "ApiVersion": API_VERSION,
        "MinAPIVersion": MIN_API_VERSION,
        "GitCommit": "",
        "GoVersion": "",
        "Os": "linux",
        "Arch": go_arch(),
        "KernelVersion": info.host.kernel_version,
        "BuildTime": "",
    }))
}

/// `GET /info`: the counts and the host, with Docker's field names.
pub async fn info(api: &Api) -> Handled {
    let info = api.blocking(|e| e.info()).await?;
    ok_json(&info.docker_document())
}
