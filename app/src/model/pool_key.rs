//! License pool names, as the usage API and the entitlements answer spell them.

use serde::{Deserialize, Serialize};

use super::LicenseModel;

/// The group a pool is shown in, in display order (the Nimbus page's sections after the main
/// pools of the license model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PoolGroup {
    Main,
    Service,
    UserFeature,
    Addon,
    Modality,
    VirtualUser,
}

impl PoolGroup {
    pub fn label(self) -> &'static str {
        match self {
            Self::Main => "Licenses",
            Self::Service => "Service Licenses",
            Self::UserFeature => "User Licenses",
            Self::Addon => "Add-on Licenses",
            Self::Modality => "Modality Licenses",
            Self::VirtualUser => "Virtual User",
        }
    }
}

const MAIN: [&str; 4] = [
    "user_licenses",
    "session_licenses",
    "conversation_transactions",
    "workflow_transactions",
];
const SERVICES: [&str; 3] = ["advanced_routing", "enterprise_routing", "contact_center"];
const USER_FEATURES: [&str; 5] = [
    "contact_center",
    "interact",
    "attendant_console",
    "assistant",
    "companion",
];

/// A valid pool name: a main pool, `service:…`, `user:…`, `addon:NAME`, `modality:NAME` or
/// `virtual_user`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PoolKey(String);

impl PoolKey {
    pub fn parse(input: &str) -> Result<Self, String> {
        let valid = match input.split_once(':') {
            None => MAIN.contains(&input) || input == "virtual_user",
            Some(("service", name)) => SERVICES.contains(&name),
            Some(("user", name)) => USER_FEATURES.contains(&name),
            Some(("addon" | "modality", name)) => {
                !name.is_empty()
                    && name.len() <= 64
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            }
            Some(_) => false,
        };
        if valid {
            Ok(Self(input.to_string()))
        } else {
            Err(format!("`{input}` is not a license pool"))
        }
    }

    /// The main pools a license model counts against.
    pub fn main_pools(model: LicenseModel) -> Vec<PoolKey> {
        let names: &[&str] = match model {
            LicenseModel::UserBased => &MAIN[..1],
            LicenseModel::SessionBased => &MAIN[1..2],
            LicenseModel::TransactionBased => &MAIN[2..],
        };
        names.iter().map(|name| Self(name.to_string())).collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn group(&self) -> PoolGroup {
        match self.0.split_once(':') {
            Some(("service", _)) => PoolGroup::Service,
            Some(("user", _)) => PoolGroup::UserFeature,
            Some(("addon", _)) => PoolGroup::Addon,
            Some(("modality", _)) => PoolGroup::Modality,
            _ if self.0 == "virtual_user" => PoolGroup::VirtualUser,
            _ => PoolGroup::Main,
        }
    }

    /// Where the pool sits on the page: by group, main pools in the model's order, then by name.
    /// Service, user-feature, add-on, modality and virtual-user pools are consumed by
    /// assigning their licenses, not by usage.
    pub fn is_assignment_pool(&self) -> bool {
        self.group() != PoolGroup::Main
    }

    pub fn display_order(&self) -> (PoolGroup, usize, &str) {
        let rank = MAIN.iter().position(|m| *m == self.0).unwrap_or(MAIN.len());
        (self.group(), rank, &self.0)
    }

    /// The name a person reads.
    pub fn label(&self) -> String {
        let words = title_case;
        match self.0.split_once(':') {
            Some(("user", "contact_center")) => "Contact Center User".to_string(),
            Some((_, name)) => words(name),
            None => words(&self.0),
        }
    }
}

impl std::fmt::Display for PoolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stored code as words (`automation_workflow` → `Automation Workflow`).
pub fn title_case(code: &str) -> String {
    let mut words = String::with_capacity(code.len());
    for word in code.split('_').filter(|word| !word.is_empty()) {
        if !words.is_empty() {
            words.push(' ');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            words.extend(first.to_uppercase());
            words.push_str(chars.as_str());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_pool_spec_names() {
        for name in [
            "user_licenses",
            "session_licenses",
            "conversation_transactions",
            "workflow_transactions",
            "service:advanced_routing",
            "service:enterprise_routing",
            "service:contact_center",
            "user:contact_center",
            "user:interact",
            "user:attendant_console",
            "user:assistant",
            "user:companion",
            "addon:recording",
            "modality:chat",
            "virtual_user",
        ] {
            assert_eq!(
                PoolKey::parse(name).map(|k| k.to_string()),
                Ok(name.to_string())
            );
        }
    }

    #[test]
    fn refuses_unknown_pools() {
        for name in [
            "",
            "users",
            "service:gold",
            "user:",
            "addon:",
            "addon:Bad Name",
            "x:y",
            "modality:a:b",
        ] {
            assert!(PoolKey::parse(name).is_err(), "{name:?} was accepted");
        }
    }

    #[test]
    fn each_model_has_its_main_pools() {
        let names = |m| {
            PoolKey::main_pools(m)
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(LicenseModel::UserBased), ["user_licenses"]);
        assert_eq!(names(LicenseModel::SessionBased), ["session_licenses"]);
        assert_eq!(
            names(LicenseModel::TransactionBased),
            ["conversation_transactions", "workflow_transactions"]
        );
    }

    #[test]
    fn groups_and_labels_follow_the_nimbus_page() {
        let key = |s: &str| PoolKey::parse(s).expect("valid pool");
        assert_eq!(key("service:contact_center").group(), PoolGroup::Service);
        assert_eq!(key("user:contact_center").label(), "Contact Center User");
        assert_eq!(
            key("conversation_transactions").label(),
            "Conversation Transactions"
        );
        let mut keys = [
            key("virtual_user"),
            key("addon:x"),
            key("workflow_transactions"),
            key("conversation_transactions"),
        ];
        keys.sort_by(|a, b| a.display_order().cmp(&b.display_order()));
        let order: Vec<_> = keys.iter().map(PoolKey::as_str).collect();
        assert_eq!(
            order,
            [
                "conversation_transactions",
                "workflow_transactions",
                "addon:x",
                "virtual_user"
            ]
        );
    }
}
