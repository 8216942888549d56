//! `berth save` and `berth load`: docker-archive tarballs.

use super::{LoadArgs, SaveArgs};
use crate::cli::Ctx;
use crate::engine::AtomicFile;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};

/// `berth save [-o FILE] IMAGE...`: to the file (written whole, then renamed) or stdout.
pub fn save(ctx: &Ctx, a: SaveArgs) -> anyhow::Result<i32> {
    match &a.output {
        Some(path) => {
            // Nothing shows at `path` until the whole archive is written.
            let mut f = AtomicFile::create(std::path::Path::new(path))?;
            ctx.engine.save_images(&a.images, &mut f)?;
            f.commit()?;
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
