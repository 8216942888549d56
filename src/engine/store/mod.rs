//! On-disk state: atomic writes, locks and the layout of the state root.

pub mod atomic;
pub mod atomic_file;
pub mod error;
pub mod lock;
pub mod paths;
pub mod private;
pub mod sweep;

pub use atomic::{overwrite, read_json, write_json, write_record, write_record_exchanged};
pub use atomic_file::AtomicFile;
pub use error::{StoreError, StoreResult};
pub use lock::FileLock;
pub use paths::Paths;
