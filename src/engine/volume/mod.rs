//! Named volumes: directories under `volumes/<name>/_data` that outlive containers.
