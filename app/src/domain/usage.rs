//! How a pool's counters read to a person.

/// Purchased, consumed and what follows from them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub purchased: i64,
    pub consumed: i64,
}

impl Usage {
    /// Remaining licenses, never shown below zero.
    pub fn available(self) -> i64 {
        (self.purchased - self.consumed).max(0)
    }

    /// Usage past the purchase.
    pub fn overage(self) -> i64 {
        (self.consumed - self.purchased).max(0)
    }

    /// Percent of the purchase consumed; a pool with nothing purchased is at 0% when unused and
    /// at 100% as soon as anything is consumed.
    pub fn percent_used(self) -> f64 {
        match (self.purchased, self.consumed) {
            (_, c) if c <= 0 => 0.0,
            (p, _) if p <= 0 => 100.0,
            (p, c) => c as f64 * 100.0 / p as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Usage;

    #[test]
    fn available_overage_and_percent() {
        // (purchased, consumed) -> (available, overage, percent)
        let cases = [
            (100, 0, 100, 0, 0.0),
            (100, 75, 25, 0, 75.0),
            (100, 100, 0, 0, 100.0),
            (100, 130, 0, 30, 130.0),
            (0, 0, 0, 0, 0.0),
            (0, 5, 0, 5, 100.0),
            (3, 1, 2, 0, 100.0 / 3.0),
        ];
        for (purchased, consumed, available, overage, percent) in cases {
            let usage = Usage {
                purchased,
                consumed,
            };
            assert_eq!(usage.available(), available, "{usage:?}");
            assert_eq!(usage.overage(), overage, "{usage:?}");
            assert!((usage.percent_used() - percent).abs() < 1e-9, "{usage:?}");
        }
    }
}
