//! Errors as Docker's API gives them: a status code and `{"message": "..."}`.

use crate::engine::EngineError;
use hyper::StatusCode;

/// A failed request: the status the client branches on and the message it prints.
#[derive(Debug)]
pub struct ApiError {
    /// Docker's status code for this kind of failure.
    pub status: StatusCode,
    /// The message (`Error response from daemon: ...` in the docker CLI).
    pub message: String,
}

impl ApiError {
    /// A 400: a malformed body or a bad parameter.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    /// A 404: no such endpoint or object.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    /// A 500 with the cause.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        let status = match &e {
            EngineError::NoSuchContainer(_)
            | EngineError::NoSuchImage(_)
            | EngineError::NoSuchVolume(_)
            | EngineError::NoSuchObject(_)
            | EngineError::NoSuchNetwork(_)
            | EngineError::NoSuchPath { .. } => StatusCode::NOT_FOUND,
            EngineError::Registry(r) if r.is_not_found() => StatusCode::NOT_FOUND,
            EngineError::NameInUse { .. } | EngineError::Conflict(_) => StatusCode::CONFLICT,
            EngineError::Invalid(_) | EngineError::Ambiguous(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: crate::engine::printable(&e.to_string()).into_owned(),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> ApiError {
        ApiError::internal(format!("the request's worker failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_get_dockers_status_codes() {
        let s = |e: EngineError| ApiError::from(e).status;
        assert_eq!(s(EngineError::NoSuchContainer("x".into())), 404);
        assert_eq!(s(EngineError::NoSuchImage("x".into())), 404);
        assert_eq!(s(EngineError::NoSuchNetwork("x".into())), 404);
        assert_eq!(s(EngineError::Conflict("running".into())), 409);
        assert_eq!(
            s(EngineError::NameInUse {
                name: "a".into(),
                id: "b".into()
            }),
            409
        );
        assert_eq!(s(EngineError::Invalid("bad".into())), 400);
        assert_eq!(
            s(EngineError::Registry(
                crate::engine::RegistryError::NotFound {
                    host: "localhost:5000".into(),
                    what: "nope:latest".into()
                }
            )),
            404
        );
        let gone = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(s(EngineError::io("/var/lib/berth", gone)), 500);
    }
}
