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

#[cfg(test)]
mod tests {
    use super::EmailAddress;

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

    #[test]
    fn the_refusal_names_the_address() {
        let message = EmailAddress::parse("not-an-email").unwrap_err();
        assert!(message.contains("not-an-email"), "{message}");
    }
}
