//! Response bodies: whole JSON documents, errors, and streams fed from a channel (logs,
//! pull progress, wait) so headers leave at once and the body follows.

use super::error::ApiError;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper::{Response, StatusCode, header};
use serde_json::Value;
use std::convert::Infallible;
use tokio::sync::mpsc;

/// The body type of every response.
pub type Body = BoxBody<Bytes, Infallible>;
/// A response with [`Body`].
pub type Reply = Response<Body>;
/// What a handler gives: a response, or an error turned into Docker's JSON.
pub type Handled = Result<Reply, ApiError>;

/// A whole body.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// A JSON document with `status`.
pub fn json(status: StatusCode, v: &Value) -> Reply {
    let mut r = Response::new(full(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    r
}

/// A 200 JSON document.
pub fn ok_json(v: &Value) -> Handled {
    Ok(json(StatusCode::OK, v))
}

/// An empty response with `status` (204 for most verbs).
pub fn empty(status: StatusCode) -> Handled {
    let mut r = Response::new(full(Bytes::new()));
    *r.status_mut() = status;
    Ok(r)
}

/// Docker's error document.
pub fn error(e: ApiError) -> Reply {
    json(e.status, &serde_json::json!({ "message": e.message }))
}

/// A streamed body: chunks sent on the returned sender go out as they come; the body
/// ends when every sender is dropped. A closed sender means the client went away.
pub fn channel(content_type: &'static str) -> (mpsc::Sender<Bytes>, Reply) {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|b| (Ok::<_, Infallible>(Frame::data(b)), rx))
    });
    let mut r = Response::new(BodyExt::boxed(StreamBody::new(stream)));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    (tx, r)
}

/// Reads and discards what is left of a request's body (at most `limit` bytes, for at most
/// `DRAIN_TIME`) before a refusal is sent: a client still sending its body when the
/// connection closes sees a broken pipe instead of the refusal's message.
pub async fn drain(body: hyper::body::Incoming, limit: u64) {
    let mut body = body;
    let mut read: u64 = 0;
    let reading = async {
        while read <= limit {
            match body.frame().await {
                Some(Ok(f)) => read += f.data_ref().map_or(0, |d| d.len() as u64),
                _ => return,
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, reading).await;
}

/// How long [`drain`] reads at most.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

/// One frame of Docker's multiplexed stream: `[kind, 0, 0, 0, len (u32 BE)]` then the
/// bytes; kind 1 is stdout, 2 stderr.
pub fn multiplexed(kind: u8, payload: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(8 + payload.len());
    out.extend_from_slice(&[kind, 0, 0, 0]);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplexed_frames_carry_kind_and_length() {
        assert_eq!(
            multiplexed(2, b"hi").as_ref(),
            &[2, 0, 0, 0, 0, 0, 0, 2, b'h', b'i']
        );
    }
}
