//! The reader's language on both sides: conversions between the stored [`Locale`] and the
//! translations' own, and numbers written the reader's way (ICU, through `leptos_i18n`).

use leptos_i18n::formatting::td_format_string;
use leptos_i18n::reexports::fixed_decimal::Decimal;

use crate::i18n::Locale as Ui;
use crate::model::Locale;

impl From<Locale> for Ui {
    fn from(locale: Locale) -> Self {
        match locale {
            Locale::En => Ui::en,
            Locale::PtBr => Ui::pt_BR,
        }
    }
}

impl From<Ui> for Locale {
    fn from(locale: Ui) -> Self {
        match locale {
            Ui::en => Locale::En,
            Ui::pt_BR => Locale::PtBr,
        }
    }
}

/// The language the page is shown in.
pub fn use_locale() -> Ui {
    crate::i18n::use_i18n().get_locale_untracked()
}

/// A translation with its `{name}` placeholders filled in (values already formatted).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A whole number with the reader's grouping: `12,345` or `12.345`.
pub fn number(locale: Ui, n: i64) -> String {
    td_format_string!(locale, n, formatter: number)
}

/// A number to `decimals` places: `97.5` or `97,5`.
pub fn decimal(locale: Ui, value: f64, decimals: u8) -> String {
    let scale = 10_f64.powi(i32::from(decimals));
    let places = i16::from(decimals);
    let mut d = Decimal::from((value * scale).round() as i64);
    d.multiply_pow10(-places);
    td_format_string!(locale, d, formatter: number)
}

/// Main pools by their translated names; product pools keep their product names.
pub fn pool_label(l: Ui, key: &str, label: String) -> String {
    match key {
        "user_licenses" => crate::i18n::td_string!(l, pool.user_licenses).to_string(),
        "session_licenses" => crate::i18n::td_string!(l, pool.session_licenses).to_string(),
        "conversation_transactions" => {
            crate::i18n::td_string!(l, pool.conversation_transactions).to_string()
        }
        "workflow_transactions" => {
            crate::i18n::td_string!(l, pool.workflow_transactions).to_string()
        }
        _ => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_reader() {
        assert_eq!(number(Ui::en, 1_234_567), "1,234,567");
        assert_eq!(number(Ui::pt_BR, 1_234_567), "1.234.567");
        assert_eq!(number(Ui::pt_BR, -5), "-5");
        assert_eq!(decimal(Ui::en, 97.46, 1), "97.5");
        assert_eq!(decimal(Ui::pt_BR, 97.46, 1), "97,5");
        assert_eq!(decimal(Ui::pt_BR, 100.0, 1), "100,0");
        assert_eq!(decimal(Ui::en, 1234.5, 0), "1,235");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("From {from} to {to}, {from}", &[("from", "a"), ("to", "b")]),
            "From a to b, a"
        );
        assert_eq!(fill("No {gap} here", &[]), "No {gap} here");
    }

    /// Every translation has the placeholders of its English original, so a filled sentence
    /// never shows a `{name}` nor drops a value.
    #[test]
    fn both_languages_have_the_same_keys_and_placeholders() {
        fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        flatten(&format!("{prefix}.{k}"), v, out);
                    }
                }
                other => out.push((prefix.to_string(), other.as_str().unwrap_or("").to_string())),
            }
        }
        let load = |text: &str| {
            let mut out = Vec::new();
            flatten("", &serde_json::from_str(text).expect("json"), &mut out);
            out.sort();
            out
        };
        let en = load(include_str!("../locales/en.json"));
        let pt = load(include_str!("../locales/pt-BR.json"));
        let names = |text: &str| {
            let mut names: Vec<String> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            names.sort();
            names
        };
        assert_eq!(en.len(), pt.len());
        for ((key_en, text_en), (key_pt, text_pt)) in en.iter().zip(&pt) {
            assert_eq!(key_en, key_pt);
            assert_eq!(names(text_en), names(text_pt), "{key_en}");
            assert!(!text_pt.is_empty(), "{key_pt}");
        }
    }

    #[test]
    fn the_two_locales_convert_both_ways() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from(Ui::from(*locale)), *locale);
        }
    }
}
