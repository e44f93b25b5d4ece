//! The lists of a subscription's alert settings, checked once where they are read or typed:
//! the usage thresholds that send an email and the days before the contract ends that do.

/// Reads `75, 85,95` into distinct numbers from `min` to `max`, lowest first; names what does
/// not read.
fn parse_list(text: &str, min: u32, max: u32, what: &str) -> Result<Vec<u32>, String> {
    let mut list = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => list.push(n),
            _ => {
                return Err(format!(
                    "`{part}` is not a {what}: use whole numbers from {min} to {max}, separated by commas"
                ));
            }
        }
    }
    if list.is_empty() {
        return Err(format!("give at least one {what}"));
    }
    list.sort_unstable();
    list.dedup();
    Ok(list)
}

fn write_list(list: &[u32], f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    for (i, n) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{n}")?;
    }
    Ok(())
}

macro_rules! number_list {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr, $what:literal, $default:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(Vec<u32>);

        impl $name {
            /// The numbers, lowest first.
            pub fn as_slice(&self) -> &[u32] {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                let mut list = $default.to_vec();
                list.sort_unstable();
                Self(list)
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                parse_list(text, $min, $max, $what).map(Self)
            }
        }

        /// As stored: `75,85,95,100`.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write_list(&self.0, f)
            }
        }
    };
}

number_list!(
    /// Percentages of a pool's licenses whose crossing sends an alert email.
    Thresholds, 1, 100, "percentage", [75, 85, 95, 100]
);

number_list!(
    /// Days before the contract's end on which a notice goes out.
    NoticeDays, 1, 366, "number of days", [30, 7, 1]
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_once_lowest_first_and_refuse_what_is_not_a_percentage() {
        let read: Thresholds = "90, 50,90".parse().expect("thresholds");
        assert_eq!(read.as_slice(), [50, 90]);
        assert_eq!(read.to_string(), "50,90");
        assert_eq!(Thresholds::default().to_string(), "75,85,95,100");
        assert_eq!(
            "90, 50,bad".parse::<Thresholds>(),
            Err(
                "`bad` is not a percentage: use whole numbers from 1 to 100, separated by commas"
                    .into()
            )
        );
        assert!("0".parse::<Thresholds>().is_err());
        assert!("101".parse::<Thresholds>().is_err());
        assert_eq!(
            " , ".parse::<Thresholds>(),
            Err("give at least one percentage".into())
        );
    }

    #[test]
    fn notice_days_read_the_same_way() {
        let read: NoticeDays = "1,30,7".parse().expect("days");
        assert_eq!(read.as_slice(), [1, 7, 30]);
        assert_eq!(NoticeDays::default().as_slice(), [1, 7, 30]);
        assert!("-1".parse::<NoticeDays>().is_err());
    }
}
