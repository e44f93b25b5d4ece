//! Contact email addresses, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// An email address that passed validation, kept lowercase so duplicates compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` with the characters addresses use in practice; refuses
    /// spaces, missing parts, double dots and anything over 254 characters.
    pub fn parse(input: &str) -> Result<Self, String> {
        let address = input.trim().to_lowercase();
        let refuse = || Err(format!("`{}` is not a valid email address", input.trim()));
        if address.is_empty() || address.len() > 254 {
            return refuse();
        }
        let Some((local, domain)) = address.rsplit_once('@') else {
            return refuse();
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
        if local_ok && domain_ok {
            Ok(Self(address))
        } else {
            refuse()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Most addresses a contact list holds.
pub const MAX_CONTACTS: usize = 20;

/// Why a contact list was refused: a message beside each bad entry (by its position among the
/// inputs), or one for the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListErrors {
    pub entries: Vec<(usize, Problem)>,
    pub list: Option<Problem>,
}

/// What is wrong with an address or a list; pages say it in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// The address as typed (trimmed).
    Invalid(String),
    TooMany {
        count: usize,
        max: usize,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(address) => write!(f, "`{address}` is not a valid email address"),
            Self::TooMany { count, max } => {
                write!(f, "{count} addresses; a list holds at most {max}.")
            }
        }
    }
}

impl ListErrors {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.list.is_none()
    }

    /// The message for the input at `index`, if it has one.
    pub fn at(&self, index: usize) -> Option<&Problem> {
        self.entries
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, p)| p)
    }
}

/// A contact list as typed: blank inputs are skipped, every other one must be an address,
/// duplicates (ignoring case) are kept once in first-seen order, and at most `MAX_CONTACTS`
/// remain.
pub fn parse_list(inputs: &[String]) -> Result<Vec<EmailAddress>, ListErrors> {
    let mut errors = ListErrors::default();
    let mut list: Vec<EmailAddress> = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        if input.trim().is_empty() {
            continue;
        }
        match EmailAddress::parse(input) {
            Ok(address) if list.contains(&address) => {}
            Ok(address) => list.push(address),
            Err(_) => errors
                .entries
                .push((index, Problem::Invalid(input.trim().to_string()))),
        }
    }
    if list.len() > MAX_CONTACTS {
        errors.list = Some(Problem::TooMany {
            count: list.len(),
            max: MAX_CONTACTS,
        });
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::{EmailAddress, Problem, parse_list};

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_them() {
        for (input, stored) in [
            ("ops@acme.test", "ops@acme.test"),
            (
                "  Billing.Team+alerts@Acme.CO.uk ",
                "billing.team+alerts@acme.co.uk",
            ),
            (
                "a_b-c@sub-domain.example.org",
                "a_b-c@sub-domain.example.org",
            ),
        ] {
            assert_eq!(
                EmailAddress::parse(input).map(|e| e.to_string()),
                Ok(stored.to_string())
            );
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for input in [
            "",
            "plain",
            "@acme.test",
            "ops@",
            "ops@acme",
            "ops@@acme.test",
            "o ps@acme.test",
            "ops@acme..test",
            ".ops@acme.test",
            "ops.@acme.test",
            "ops@-acme.test",
            "ops@acme.1",
            "ops@acme.test,other@acme.test",
        ] {
            assert!(
                EmailAddress::parse(input).is_err(),
                "{input:?} was accepted"
            );
        }
        assert!(EmailAddress::parse(&format!("{}@acme.test", "a".repeat(65))).is_err());
    }

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lists_skip_blanks_and_keep_each_address_once() {
        let list = parse_list(&texts(&[
            "ops@acme.test",
            " ",
            "OPS@acme.test",
            "b@acme.test",
        ]))
        .expect("valid");
        assert_eq!(
            list.iter().map(EmailAddress::as_str).collect::<Vec<_>>(),
            ["ops@acme.test", "b@acme.test"]
        );
        assert_eq!(parse_list(&[]), Ok(vec![]));
    }

    #[test]
    fn a_list_names_each_bad_entry_and_refuses_more_than_twenty() {
        let errors = parse_list(&texts(&["ok@acme.test", "nope", "", "x@y"])).unwrap_err();
        assert_eq!(
            errors.entries.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(errors.at(1), Some(&Problem::Invalid("nope".into())));
        assert_eq!(
            errors.at(1).map(ToString::to_string).as_deref(),
            Some("`nope` is not a valid email address")
        );
        assert_eq!(errors.at(0), None);
        let many: Vec<String> = (0..21).map(|n| format!("p{n}@acme.test")).collect();
        assert_eq!(
            parse_list(&many).unwrap_err().list,
            Some(Problem::TooMany { count: 21, max: 20 })
        );
        let twenty_with_repeats: Vec<String> =
            (0..25).map(|n| format!("p{}@acme.test", n % 20)).collect();
        assert_eq!(parse_list(&twenty_with_repeats).map(|l| l.len()), Ok(20));
    }

    #[test]
    fn the_refusal_names_the_address() {
        let message = EmailAddress::parse("not-an-email").unwrap_err();
        assert!(message.contains("not-an-email"), "{message}");
    }
}
