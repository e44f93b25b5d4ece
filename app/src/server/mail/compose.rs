//! An alert as an email in the tenant's language: a subject a person can sort by (`[Tally]
//! tenant · pool · what happened`), then the same facts as plain text and as HTML, from the
//! templates in `app/templates/email`.

use askama::Template;
use chrono::NaiveDate;

use super::super::db::alerts::AlertRow;
use super::super::language;
use crate::model::alert::AlertKind;
use crate::model::{Locale, PoolKey};

/// What an alert email says, gathered by the delivery worker when it sends it.
pub struct Facts<'a> {
    pub tenant_name: &'a str,
    pub locale: Locale,
    pub alert: &'a AlertRow,
    /// When the pool runs out at the recent burn rate (the chart's forecast).
    pub runs_out: Option<NaiveDate>,
    /// Automatic refills allowed per month (the cap alert names it).
    pub refills_per_month: i32,
    /// Whom to contact about licenses: the tenant's billing contacts.
    pub billing: &'a [String],
    /// Where people reach Tally (`--base-url`), without a trailing slash.
    pub base_url: &'a str,
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "email/alert.txt")]
struct Text<'a> {
    view: &'a View,
}

#[derive(Template)]
#[template(path = "email/alert.html")]
struct Html<'a> {
    view: &'a View,
}

/// The words of one email, in its language; the templates only lay them out.
struct View {
    lang: &'static str,
    subject: String,
    heading: String,
    lines: Vec<String>,
    facts: Vec<(String, String)>,
    link_label: &'static str,
    link: String,
    contact: String,
    footer: String,
}

// The templates name the view's fields directly.
impl std::ops::Deref for Text<'_> {
    type Target = View;
    fn deref(&self) -> &View {
        self.view
    }
}

impl std::ops::Deref for Html<'_> {
    type Target = View;
    fn deref(&self) -> &View {
        self.view
    }
}

/// The email of `facts`' alert.
pub fn compose(facts: &Facts<'_>) -> Email {
    let view = view(facts);
    Email {
        subject: view.subject.clone(),
        // The templates have only strings to write; they cannot fail.
        text: Text { view: &view }.render().unwrap_or_default(),
        html: Html { view: &view }.render().unwrap_or_default(),
    }
}

fn view(f: &Facts<'_>) -> View {
    let pt = f.locale == Locale::PtBr;
    let a = f.alert;
    let tr = |en: &str, pt_br: &str| {
        if pt {
            pt_br.to_string()
        } else {
            en.to_string()
        }
    };
    let pool = a
        .pool_key
        .as_deref()
        .map(|key| PoolKey::parse(key).map_or_else(|_| key.to_string(), |k| k.label()));
    let percent = a.percent.unwrap_or(0);
    let date = |text: &str| {
        text.parse::<NaiveDate>()
            .map_or_else(|_| text.to_string(), |d| language::date(f.locale, d))
    };
    let on_date = a.on_date.as_deref().map(date).unwrap_or_default();
    let hard_stop = a.kind == AlertKind::Threshold
        && percent >= 100
        && a.enforcement.as_deref() == Some("hard");
    let (what, heading, mut lines) = match a.kind {
        AlertKind::Threshold if hard_stop => (
            tr("usage reached 100%", "uso atingiu 100%"),
            tr(
                "All licenses are used: new usage is now refused",
                "Todas as licenças foram usadas: novos usos agora são recusados",
            ),
            vec![tr(
                "Usage beyond the purchased licenses is refused until more are bought.",
                "O uso além das licenças compradas é recusado até que mais sejam compradas.",
            )],
        ),
        AlertKind::Threshold => (
            tr(
                &format!("usage reached {percent}%"),
                &format!("uso atingiu {percent}%"),
            ),
            tr(
                &format!("Usage reached {percent}% of the purchased licenses"),
                &format!("O uso atingiu {percent}% das licenças compradas"),
            ),
            Vec::new(),
        ),
        AlertKind::AutoRefill => {
            let added = a.refill_delta.unwrap_or(0);
            (
                tr(
                    &format!("{added} licenses added automatically"),
                    &format!("{added} licenças adicionadas automaticamente"),
                ),
                tr(
                    &format!("Usage reached {percent}%: {added} licenses were added automatically"),
                    &format!(
                        "O uso atingiu {percent}%: {added} licenças foram adicionadas automaticamente"
                    ),
                ),
                vec![tr(
                    "The auto-refill of your subscription added them; the totals below include them.",
                    "A recarga automática da sua assinatura as adicionou; os totais abaixo já as incluem.",
                )],
            )
        }
        AlertKind::AutoRefillCap => (
            tr(
                "automatic refills used up this month",
                "recargas automáticas esgotadas neste mês",
            ),
            tr(
                "This month's automatic refills are used up",
                "As recargas automáticas deste mês foram esgotadas",
            ),
            vec![tr(
                &format!(
                    "All {} automatic refills allowed this month were made. A hard pool stops at 100% until more licenses are bought or the month ends.",
                    f.refills_per_month
                ),
                &format!(
                    "As {} recargas automáticas permitidas neste mês foram feitas. Um pool rígido para em 100% até que mais licenças sejam compradas ou o mês termine.",
                    f.refills_per_month
                ),
            )],
        ),
        AlertKind::ContractEnd => {
            let days = a.days.unwrap_or(0);
            let when = match days {
                0 => tr("contract ends today", "contrato termina hoje"),
                1 => tr("contract ends tomorrow", "contrato termina amanhã"),
                _ => tr(
                    &format!("contract ends in {days} days"),
                    &format!("contrato termina em {days} dias"),
                ),
            };
            (
                when,
                tr(
                    &format!("Your contract ends on {on_date}"),
                    &format!("Seu contrato termina em {on_date}"),
                ),
                vec![tr(
                    "Renew before the end date to keep using the service.",
                    "Renove antes da data de término para continuar usando o serviço.",
                )],
            )
        }
        AlertKind::Forecast => (
            tr(
                &format!("projected to run out on {on_date}"),
                &format!("previsão de esgotar em {on_date}"),
            ),
            tr(
                &format!("At the recent rate, the licenses run out on {on_date}"),
                &format!("No ritmo recente, as licenças se esgotam em {on_date}"),
            ),
            vec![tr(
                "That is before your contract ends. Buy more licenses in time to avoid interruption.",
                "Isso acontece antes do fim do seu contrato. Compre mais licenças a tempo para evitar interrupções.",
            )],
        ),
        AlertKind::Test => (
            tr("test alert", "alerta de teste"),
            tr("Test alert", "Alerta de teste"),
            vec![tr(
                "You asked for this test. Alert emails look like this one, with the numbers at the time.",
                "Você pediu este teste. Os emails de alerta são como este, com os números do momento.",
            )],
        ),
    };
    let mut facts = Vec::new();
    if let Some(pool) = &pool {
        facts.push((tr("Pool", "Pool"), pool.clone()));
    }
    if let (Some(purchased), Some(consumed)) = (a.purchased, a.consumed) {
        let shown = if purchased > 0 {
            (i128::from(consumed) * 100 / i128::from(purchased)).to_string()
        } else {
            "100".to_string()
        };
        facts.push((tr("Purchased", "Compradas"), purchased.to_string()));
        facts.push((tr("Consumed", "Consumidas"), consumed.to_string()));
        facts.push((
            tr("Available", "Disponíveis"),
            (purchased - consumed).max(0).to_string(),
        ));
        facts.push((tr("Usage", "Uso"), format!("{shown}%")));
        facts.push((
            tr("Projected run-out", "Previsão de esgotamento"),
            f.runs_out.map_or_else(
                || tr("not at the recent rate", "não no ritmo recente"),
                |d| language::date(f.locale, d),
            ),
        ));
    }
    if !a.covers.is_empty() && a.kind == AlertKind::Threshold {
        lines.push(tr(
            &format!(
                "It also passed {}% on the way; this email announces them too.",
                a.covers.replace(',', "%, ")
            ),
            &format!(
                "No caminho também passou de {}%; este email anuncia esses também.",
                a.covers.replace(',', "%, ")
            ),
        ));
    }
    let contact = if f.billing.is_empty() {
        tr(
            "To buy more licenses or change the contract, contact your provider.",
            "Para comprar mais licenças ou alterar o contrato, fale com seu fornecedor.",
        )
    } else {
        tr(
            &format!(
                "To buy more licenses or change the contract, contact your billing team: {}.",
                f.billing.join(", ")
            ),
            &format!(
                "Para comprar mais licenças ou alterar o contrato, fale com sua equipe de faturamento: {}.",
                f.billing.join(", ")
            ),
        )
    };
    let subject = match &pool {
        Some(pool) => format!("[Tally] {} · {pool} · {what}", f.tenant_name),
        None => format!("[Tally] {} · {what}", f.tenant_name),
    };
    View {
        lang: if pt { "pt-BR" } else { "en" },
        subject,
        heading,
        lines,
        facts,
        link_label: if pt {
            "Abrir a aba Assinatura"
        } else {
            "Open the Subscription tab"
        },
        link: format!("{}{}", f.base_url, crate::paths::SUBSCRIPTION),
        contact,
        footer: tr(
            &format!(
                "You receive this as a contact or administrator of {} in Tally.",
                f.tenant_name
            ),
            &format!(
                "Você recebe isto como contato ou administrador de {} no Tally.",
                f.tenant_name
            ),
        ),
    }
}
