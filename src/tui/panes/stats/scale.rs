//! The y scale of a Stats chart: it follows the data (a round ceiling a little above the
//! highest value in the window), and takes a limit in when the limit is close enough to
//! the data to be drawn without flattening it. Percentages and rates round to 1-2-5 steps,
//! byte sizes to powers of two.

/// How far above the data's peak a limit may be and still be drawn inside the chart.
const LIMIT_REACH: f64 = 2.0;

/// The smallest round number (1, 2 or 5 times a power of ten) at or above `v`; 1 for
/// anything at or below zero.
pub fn round_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let pow = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|c| *c >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * pow)
}

/// The smallest power of two at or above `v` (a round size in bytes: 1 MiB, 512 KiB);
/// 1 for anything at or below one.
pub fn power_of_two_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 1.0 {
        return 1.0;
    }
    2f64.powf(v.log2().ceil())
}

/// The chart's top for data whose peak is `peak`, at least `floor`, rounded up by
/// `round`, and whether a `limit` (if any) is drawn: when it is at most twice the peak,
/// the scale reaches it.
pub fn y_top(peak: f64, floor: f64, limit: Option<f64>, round: fn(f64) -> f64) -> (f64, bool) {
    let data_top = round((peak * 1.1).max(floor));
    match limit {
        Some(l) if l > 0.0 && l <= data_top.max(peak * LIMIT_REACH) => {
            (round(l.max(data_top) * 1.05), true)
        }
        _ => (data_top, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ceilings_are_one_two_five_steps() {
        assert_eq!(round_ceiling(0.0), 1.0);
        assert_eq!(round_ceiling(0.3), 0.5);
        assert_eq!(round_ceiling(1.0), 1.0);
        assert_eq!(round_ceiling(1.2), 2.0);
        assert_eq!(round_ceiling(37.0), 50.0);
        assert_eq!(round_ceiling(880.0 * 1024.0), 1_000_000.0);
    }

    #[test]
    fn byte_ceilings_are_powers_of_two() {
        assert_eq!(power_of_two_ceiling(0.0), 1.0);
        assert_eq!(power_of_two_ceiling(968.0 * 1024.0), 1024.0 * 1024.0);
        assert_eq!(power_of_two_ceiling(64.0 * 1048576.0), 64.0 * 1048576.0);
    }

    #[test]
    fn the_scale_follows_the_data_and_takes_a_near_limit_in() {
        // 880 KiB used of an unlimited host: the scale is about a MiB, not the host's GiBs.
        let bytes = power_of_two_ceiling;
        let (top, drawn) = y_top(880.0 * 1024.0, 1.0, None, bytes);
        assert_eq!((top, drawn), (1048576.0, false));
        // A 512 MiB limit far above 880 KiB: not drawn (it would flatten the line).
        let (top, drawn) = y_top(880.0 * 1024.0, 1.0, Some(512.0 * 1048576.0), bytes);
        assert!(!drawn && top < 2e6, "{top}");
        // 50 of 64 MiB: the limit is on the chart.
        let (top, drawn) = y_top(50.0 * 1048576.0, 1.0, Some(64.0 * 1048576.0), bytes);
        assert!(drawn && top >= 64.0 * 1048576.0, "{top}");
    }
}
