//! `berth save` and `berth load`: docker-archive tarballs.

use super::{LoadArgs, SaveArgs};
use crate::cli::Ctx;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};

/// `berth save [-o FILE] IMAGE...`: to the file (written whole, then renamed) or stdout.
pub fn save(ctx: &Ctx, a: SaveArgs) -> anyhow::Result<i32> {
    match &a.output {
        Some(path) => {
            let path = std::path::Path::new(path);
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            let tmp = dir.unwrap_or(std::path::Path::new(".")).join(format!(
                ".{}.tmp.{}",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
                std::process::id()
            ));
            let result = (|| -> anyhow::Result<()> {
                let mut f = std::io::BufWriter::new(
                    File::create(&tmp)
                        .map_err(|e| anyhow::anyhow!("cannot create '{}': {e}", tmp.display()))?,
                );
                ctx.engine.save_images(&a.images, &mut f)?;
                f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&tmp, path)?;
                Ok(())
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result?;
        }
        None => {
            let stdout = std::io::stdout();
            anyhow::ensure!(
                !stdout.is_terminal(),
                "refusing to write the archive to a terminal: use -o FILE or redirect stdout"
            );
            let mut out = std::io::BufWriter::new(stdout.lock());
            ctx.engine.save_images(&a.images, &mut out)?;
            out.flush()?;
        }
    }
    Ok(0)
}

/// `berth load [-i FILE] [-q]`
pub fn load(ctx: &Ctx, a: LoadArgs) -> anyhow::Result<i32> {
    let mut input: Box<dyn Read> = match &a.input {
        Some(p) => Box::new(File::open(p).map_err(|e| anyhow::anyhow!("cannot open '{p}': {e}"))?),
        None => {
            let stdin = std::io::stdin();
            anyhow::ensure!(
                !stdin.is_terminal(),
                "requested load from stdin, but stdin is empty: use -i FILE or pipe an archive"
            );
            Box::new(stdin.lock())
        }
    };
    let loaded = ctx.engine.load_images(&mut input)?;
    if !a.quiet {
        for l in loaded {
            if l.refs.is_empty() {
                println!("Loaded image ID: {}", l.id);
            }
            for r in l.refs {
                println!("Loaded image: {r}");
            }
        }
    }
    Ok(0)
}
