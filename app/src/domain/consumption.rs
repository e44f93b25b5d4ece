//! How usage turns into consumed licenses.

/// Licenses a session consumes: one per started session-duration window, at least one.
pub fn session_licenses(duration_ms: i64, window_minutes: i32) -> i64 {
    let window_ms = i64::from(window_minutes.max(1)) * 60_000;
    let duration_ms = duration_ms.max(0);
    (duration_ms / window_ms + i64::from(duration_ms % window_ms != 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::session_licenses;

    #[test]
    fn one_license_per_started_window() {
        let minute = 60_000;
        // (duration, window minutes) -> licenses
        let cases = [
            (0, 30, 1),
            (1, 30, 1),
            (30 * minute, 30, 1),
            (30 * minute + 1, 30, 2),
            (70 * minute, 30, 3),
            (90 * minute, 30, 3),
            (5 * minute, 0, 5),
            (-10, 30, 1),
        ];
        for (duration, window, licenses) in cases {
            assert_eq!(
                session_licenses(duration, window),
                licenses,
                "{duration} ms / {window} min"
            );
        }
    }
}
