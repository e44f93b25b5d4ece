//! The reader's language on both sides: conversions between the stored [`Locale`] and the
//! translations' own, and numbers written the reader's way.
//!
//! Numbers are formatted here rather than by ICU: the two languages need only CLDR's two
//! separators (`en`: group `,` decimal `.`; `pt`: group `.` decimal `,`; both group from four
//! digits on), and ICU's formatter with its compiled data weighed more in the browser's wasm
//! than every page that uses it.

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

/// The page's language, as a context: the server chose it for the request, and the browser reads
/// it back from `<html lang>`, which the server wrote from the same choice. It never changes while
/// a page is open (a change of language is a form that reloads the page), so it is a plain value
/// rather than `leptos_i18n`'s reactive context, whose locale matching the browser does not need.
#[derive(Debug, Clone, Copy)]
struct PageLocale(Ui);

/// Makes the page's language known to every component below (see [`PageLocale`]).
pub fn provide_locale(locale: Locale) {
    leptos::prelude::provide_context(PageLocale(locale.into()));
}

/// The language the page is shown in.
pub fn use_locale() -> Ui {
    leptos::prelude::use_context::<PageLocale>().map_or(Ui::en, |page| page.0)
}

/// In the browser, the language the server wrote into `<html lang>`; English when it is absent
/// or unknown.
#[cfg(feature = "hydrate")]
pub fn document_locale() -> Locale {
    leptos::prelude::document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|lang| lang.parse().ok())
        .unwrap_or(Locale::En)
}

/// A translation with its `{name}` placeholders filled in (values already formatted).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// CLDR's separators for `locale`: (grouping, decimal).
fn separators(locale: Ui) -> (char, char) {
    match locale {
        Ui::en => (',', '.'),
        Ui::pt_BR => ('.', ','),
    }
}

/// A whole number with the reader's grouping: `12,345` or `12.345`.
pub fn number(locale: Ui, n: i64) -> String {
    grouped(n < 0, n.unsigned_abs(), separators(locale).0)
}

/// `digits` in groups of three from the right, after a minus sign when `negative`.
fn grouped(negative: bool, digits: u64, group: char) -> String {
    let digits = digits.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    out
}

/// A number to `decimals` places, rounded half away from zero: `97.5` or `97,5`.
pub fn decimal(locale: Ui, value: f64, decimals: u8) -> String {
    let (group, point) = separators(locale);
    let (negative, whole, fraction) = rounded(value, decimals);
    let mut out = grouped(negative, whole, group);
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(&fraction);
    }
    out
}

/// `value` rounded half away from zero to `decimals` places: whether it is below zero (never a
/// negative zero), its whole part, and the digits after the point (none without decimals).
fn rounded(value: f64, decimals: u8) -> (bool, u64, String) {
    let scale = 10_u64.saturating_pow(u32::from(decimals));
    let scaled = (value.abs() * scale as f64).round() as u64;
    let fraction = if decimals == 0 {
        String::new()
    } else {
        format!("{:0width$}", scaled % scale, width = usize::from(decimals))
    };
    (value < 0.0 && scaled != 0, scaled / scale, fraction)
}

/// `value` with `decimals` decimals after a point and no grouping, whatever the language: the
/// numbers of SVG coordinates and lengths. The digits of `format!("{value:.N}")` (ties aside),
/// through integers: a year's chart writes over a thousand of them per page, and float
/// formatting showed in the server's profile under load.
pub fn fixed(value: f64, decimals: u8) -> String {
    let (negative, whole, fraction) = rounded(value, decimals);
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
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
    fn fixed_numbers_have_a_point_and_no_grouping_in_every_language() {
        assert_eq!(fixed(83.233_333, 1), "83.2");
        assert_eq!(fixed(100.0, 1), "100.0");
        assert_eq!(fixed(0.0, 1), "0.0");
        assert_eq!(fixed(12_345.678, 2), "12345.68");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(-3.25, 2), "-3.25");
        assert_eq!(fixed(719.6, 0), "720");
        // No negative zero.
        assert_eq!(fixed(-0.004, 2), "0.00");
    }

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

    /// CLDR's patterns for both languages (`#,##0.###`, minimum grouping digits 1), at the edges
    /// of each group and of the type.
    #[test]
    fn numbers_group_as_cldr_says() {
        let cases: &[(i64, &str, &str)] = &[
            (0, "0", "0"),
            (7, "7", "7"),
            (999, "999", "999"),
            (1_000, "1,000", "1.000"),
            (-1_000, "-1,000", "-1.000"),
            (99_999, "99,999", "99.999"),
            (100_000, "100,000", "100.000"),
            (1_000_000, "1,000,000", "1.000.000"),
            (
                i64::MAX,
                "9,223,372,036,854,775,807",
                "9.223.372.036.854.775.807",
            ),
            (
                i64::MIN,
                "-9,223,372,036,854,775,808",
                "-9.223.372.036.854.775.808",
            ),
        ];
        for (n, en, pt) in cases {
            assert_eq!(number(Ui::en, *n), *en);
            assert_eq!(number(Ui::pt_BR, *n), *pt);
        }
        assert_eq!(decimal(Ui::en, 0.04, 1), "0.0");
        assert_eq!(decimal(Ui::en, -0.04, 1), "0.0");
        assert_eq!(decimal(Ui::en, -2.25, 1), "-2.3");
        assert_eq!(decimal(Ui::pt_BR, 1234.567, 2), "1.234,57");
        assert_eq!(decimal(Ui::en, 0.5, 0), "1");
        assert_eq!(decimal(Ui::pt_BR, 12.0, 3), "12,000");
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
