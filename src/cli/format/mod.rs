//! Output formatting shared by the commands: Docker-style tables, Go templates (`--format`),
//! human durations and sizes.
