//! Questions and summaries shared by the prune commands.

use super::format;
use std::io::{BufRead, Write};

/// Asks `[y/N]` on the terminal; anything but y/yes declines.
pub fn confirm(warning: &str) -> anyhow::Result<bool> {
    print!("{warning}\nAre you sure you want to continue? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Docker's prune summary: `Deleted <what>:` with one id per line, then the space freed.
pub fn print_prune_report(what: &str, deleted: &[String], reclaimed: u64) {
    if !deleted.is_empty() {
        println!("Deleted {what}:");
        for d in deleted {
            println!("{d}");
        }
        println!();
    }
    println!("Total reclaimed space: {}", format::human::size(reclaimed));
}
