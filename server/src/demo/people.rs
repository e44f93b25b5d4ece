//! Names, roles, channels, skills and dialogue the demo draws from.

use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::model::event::{FulfillmentType, SkillKind};

const FIRST: &[&str] = &[
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Grace", "Hiro", "Isabela", "João",
    "Karen", "Lucas", "Maria", "Nina", "Omar", "Paula", "Quentin", "Rafael", "Sofia", "Tiago",
    "Uma", "Victor", "Wei", "Ximena", "Yusuf", "Zoe", "Amir", "Beatriz", "Chen", "Dmitri",
];
const LAST: &[&str] = &[
    "Almeida",
    "Brown",
    "Costa",
    "Dubois",
    "Evans",
    "Ferreira",
    "García",
    "Hughes",
    "Ito",
    "Johnson",
    "Kowalski",
    "Lima",
    "Martins",
    "Nakamura",
    "Oliveira",
    "Patel",
    "Quinn",
    "Rocha",
    "Silva",
    "Tanaka",
    "Usman",
    "Vargas",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
];
const ROLES: &[&str] = &[
    "Employee",
    "Employee",
    "Employee",
    "Manager",
    "IT Agent",
    "HR Partner",
    "Contractor",
];
pub const CHANNELS: &[&str] = &["MS Teams", "Slack", "Web Widget", "Skype for Business"];
pub const AGENTS: &[&str] = &["agent.lopes", "agent.kim", "agent.smith", "agent.nakata"];

/// (skill, kind, fulfillment type, fulfillment details).
pub const SKILLS: &[(&str, SkillKind, FulfillmentType, &str)] = &[
    (
        "View Ticket",
        SkillKind::Itsm,
        FulfillmentType::WebService,
        "ServiceDesk connector: getTicket",
    ),
    (
        "Add Worklog",
        SkillKind::Itsm,
        FulfillmentType::WebService,
        "ServiceDesk connector: addWorklog",
    ),
    (
        "Reset Password",
        SkillKind::Custom,
        FulfillmentType::AutomationWorkflow,
        "Password reset workflow",
    ),
    (
        "Provision Laptop",
        SkillKind::Custom,
        FulfillmentType::AutomationWorkflow,
        "Laptop provisioning workflow",
    ),
    (
        "Office Hours",
        SkillKind::Custom,
        FulfillmentType::Text,
        "Text",
    ),
    (
        "Send Payslip",
        SkillKind::Custom,
        FulfillmentType::Email,
        "Email",
    ),
    (
        "VPN Help",
        SkillKind::Custom,
        FulfillmentType::PreConversationAction,
        "Pre-Conversation Action",
    ),
    ("FAQ", SkillKind::Faq, FulfillmentType::Faq, "FAQ"),
    ("Welcome", SkillKind::System, FulfillmentType::Text, "Text"),
    (
        "Talk to an Agent",
        SkillKind::TransferToAgent,
        FulfillmentType::Text,
        "Text",
    ),
    (
        "Small Talk",
        SkillKind::SmallTalk,
        FulfillmentType::Text,
        "Text",
    ),
];

/// Short exchanges, alternating between the person and the bot or agent.
pub const DIALOGUE: &[&[&str]] = &[
    &[
        "Hi, I can't connect to the VPN.",
        "Let me check your account. Are you on the office network?",
        "No, I'm at home.",
        "Please restart the client; I've reset your token.",
    ],
    &[
        "Show me my open tickets.",
        "You have 3 open tickets. The newest is INC-2041, 'Printer offline'.",
    ],
    &[
        "I need a new laptop.",
        "I've started the provisioning workflow. You'll get an email when it ships.",
        "Thanks!",
    ],
    &[
        "When is the service desk open?",
        "Monday to Friday, 8:00 to 18:00.",
    ],
    &[
        "Reset my password please",
        "Done. A temporary password was sent to your email.",
        "Got it, thanks",
        "You're welcome!",
    ],
];

/// A person a license or session belongs to.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub user_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
}

pub fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// The `index`-th person of a tenant, with a stable id and plausible name.
pub fn person(rng: &mut ChaCha8Rng, slug: &str, index: usize) -> Person {
    let first_name = pick(rng, FIRST).to_string();
    let last_name = pick(rng, LAST).to_string();
    let ascii = |s: &str| {
        s.chars()
            .map(|c| match c {
                'á' | 'ã' | 'â' => 'a',
                'é' | 'ê' => 'e',
                'í' => 'i',
                'ó' | 'õ' | 'ô' => 'o',
                'ú' => 'u',
                'ç' => 'c',
                other => other.to_ascii_lowercase(),
            })
            .collect::<String>()
    };
    let user_name = format!("{}.{}{}", ascii(&first_name), ascii(&last_name), index);
    Person {
        id: format!("{slug}-u{index:06}"),
        email: format!("{user_name}@{slug}.test"),
        user_name,
        first_name,
        last_name,
        role: if rng.gen_bool(0.9) {
            pick(rng, ROLES).to_string()
        } else {
            "Administrator".to_string()
        },
    }
}

/// The people of a tenant who come back again and again.
pub struct Population {
    slug: &'static str,
    people: Vec<Person>,
}

impl Population {
    pub fn new(rng: &mut ChaCha8Rng, slug: &'static str, size: usize) -> Self {
        let people = (0..size.max(3)).map(|i| person(rng, slug, i)).collect();
        Self { slug, people }
    }

    /// One of them (a newcomer numbered `index` should there be nobody).
    pub fn anyone(&self, rng: &mut ChaCha8Rng, index: usize) -> Person {
        self.people
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| person(rng, self.slug, index))
    }
}
