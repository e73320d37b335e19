//! The languages people read Trip Planner in, and the messages in each.
//!
//! Every message lives in `locales/<lang>/*.ftl` (Fluent), embedded at
//! compile time, so a translator edits text files and never Rust. Pages call
//! [`Lang::t`] (through the page context), emails and calendar files call it
//! with the recipient's language. Dates are spelled from the catalogue too
//! (month and weekday names, and the order of the parts). The CLI and the
//! logs stay English and do not come through here.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps every placeable in invisible bidi isolation marks;
        // both languages here run left to right, and the marks would end up
        // in emails, calendar files and copied text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language Trip Planner speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// A value given to a message (`{ $name }`); numbers choose plural forms.
pub enum Arg {
    Str(String),
    Num(f64),
}

/// What can be given to a message as an argument.
pub trait ToArg {
    fn to_arg(&self) -> Arg;
}

impl ToArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Str(self.to_string())
    }
}
impl ToArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Str(self.clone())
    }
}
impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg {
                Arg::Num(*self as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u8, u16, u32, u64, usize, f64);

impl Lang {
    /// Every language, English (the fallback) first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The code stored on accounts and in the cookie, and put in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// Reads a stored code or a language tag (`es`, `es-MX`, `EN-us`);
    /// anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the one with the
    /// highest weight that Trip Planner speaks (the first listed on a tie).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
            let Some(q) = q.filter(|q| *q > 0.0 && *q <= 1.0) else {
                continue;
            };
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    fn id(self) -> &'static LanguageIdentifier {
        static IDS: OnceLock<[LanguageIdentifier; 2]> = OnceLock::new();
        let ids = IDS.get_or_init(|| {
            Lang::ALL.map(|l| l.code().parse().expect("language codes are valid tags"))
        });
        &ids[self as usize]
    }

    /// The message `key`; a missing key shows itself (a test keeps every
    /// key in both languages).
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The message `key` with arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, &dyn ToArg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let v = match value.to_arg() {
                    Arg::Str(s) => FluentValue::from(s),
                    Arg::Num(n) => FluentValue::from(n),
                };
                (Cow::Borrowed(*name), v)
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// An English text (a flash or an error written in Rust) in this
    /// language, when the English catalogue has a message that reads exactly
    /// so; otherwise the text as it is. Lets code below the web layer keep
    /// writing plain English (the CLI and logs read it too) while pages show
    /// it translated.
    pub fn translate_english(self, text: &str) -> String {
        if self == Lang::En {
            return text.to_string();
        }
        match english_index().get(text) {
            Some(key) => self.t(key),
            None => text.to_string(),
        }
    }

    /// "Saturday October 31" / "sábado 31 de octubre".
    pub fn date_long(self, d: NaiveDate) -> String {
        self.date("date-long", d)
    }

    /// "Saturday October 31, 2026" / "sábado 31 de octubre de 2026".
    pub fn date_long_year(self, d: NaiveDate) -> String {
        self.date("date-long-year", d)
    }

    /// "Sat Oct 31" / "sáb 31 oct".
    pub fn date_day(self, d: NaiveDate) -> String {
        self.date("date-day", d)
    }

    /// "Oct 31" / "31 oct".
    pub fn date_short(self, d: NaiveDate) -> String {
        self.date("date-short", d)
    }

    /// "Oct 31, 2026" / "31 oct 2026".
    pub fn date_short_year(self, d: NaiveDate) -> String {
        self.date("date-short-year", d)
    }

    fn date(self, pattern: &str, d: NaiveDate) -> String {
        let weekday = d.weekday().number_from_monday();
        let month = d.month();
        self.t_args(
            pattern,
            &[
                ("weekday", &self.t(&format!("weekday-{weekday}"))),
                ("wd", &self.t(&format!("weekday-abbr-{weekday}"))),
                ("month", &self.t(&format!("month-{month}"))),
                ("mon", &self.t(&format!("month-abbr-{month}"))),
                // As text, so Fluent does not group the year's digits.
                ("day", &d.day().to_string()),
                ("year", &d.year().to_string()),
            ],
        )
    }
}

/// English message text → its key, for [`Lang::translate_english`]. Only
/// messages without arguments can match a finished text.
fn english_index() -> &'static HashMap<String, String> {
    static INDEX: OnceLock<HashMap<String, String>> = OnceLock::new();
    INDEX.get_or_init(|| {
        catalogue(Lang::En)
            .into_iter()
            .filter(|(_, source)| !source.contains('{'))
            .map(|(key, _)| (Lang::En.t(&key), key))
            .collect()
    })
}

/// The files of a language's catalogue, as embedded in the binary.
fn sources(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &[
            include_str!("../locales/en/frame.ftl"),
            include_str!("../locales/en/pages.ftl"),
            include_str!("../locales/en/emails.ftl"),
            include_str!("../locales/en/dates.ftl"),
            include_str!("../locales/en/messages.ftl"),
        ],
        Lang::Es => &[
            include_str!("../locales/es/frame.ftl"),
            include_str!("../locales/es/pages.ftl"),
            include_str!("../locales/es/emails.ftl"),
            include_str!("../locales/es/dates.ftl"),
            include_str!("../locales/es/messages.ftl"),
        ],
    }
}

/// Every message of a language: (key, its source text as written in the
/// file, continuation lines joined). Tests compare the two catalogues with it.
pub fn catalogue(lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for file in sources(lang) {
        for line in file.lines() {
            let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if starts_message {
                if let Some((key, value)) = line.split_once('=') {
                    out.push((key.trim().to_string(), value.trim().to_string()));
                }
            } else if line.starts_with(' ') && !line.trim().is_empty() {
                if let Some((_, value)) = out.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<String> {
        catalogue(lang).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en = keys(Lang::En);
        let es = keys(Lang::Es);
        let only_en: Vec<_> = en.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_es.is_empty(),
            "only in English: {only_en:?}; only in Spanish: {only_es:?}"
        );
        assert!(en.len() > 100, "the catalogue was read ({} keys)", en.len());
    }

    #[test]
    fn every_catalogue_file_is_embedded() {
        // `sources` lists the files by hand (the reverse index and these
        // tests read them); a new file must be listed there too.
        for lang in Lang::ALL {
            let dir = format!("{}/locales/{}", env!("CARGO_MANIFEST_DIR"), lang.code());
            let on_disk = std::fs::read_dir(&dir).unwrap().count();
            assert_eq!(on_disk, sources(lang).len(), "files in {dir}");
        }
    }

    #[test]
    fn no_message_is_defined_twice() {
        for lang in Lang::ALL {
            let all = catalogue(lang);
            let unique: BTreeSet<_> = all.iter().map(|(k, _)| k).collect();
            assert_eq!(unique.len(), all.len(), "a key repeats in {lang:?}");
        }
    }

    #[test]
    fn every_message_renders_in_both_languages() {
        // A message with a syntax error is dropped by Fluent and would show
        // its key instead.
        for lang in Lang::ALL {
            for (key, source) in catalogue(lang) {
                // Every variable the message uses, so a missing one is no error.
                let args: HashMap<Cow<'static, str>, FluentValue> = source
                    .split('$')
                    .skip(1)
                    .map(|rest| {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                            .collect();
                        (Cow::Owned(name), FluentValue::from(2))
                    })
                    .collect();
                assert!(
                    LOCALES
                        .try_lookup_with_args(lang.id(), &key, &args)
                        .is_some(),
                    "{key} does not parse in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn the_language_comes_from_the_best_weighted_accepted_tag() {
        let pick = Lang::from_accept_language;
        assert_eq!(pick("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(pick("en-US,en;q=0.9,es;q=0.8"), Some(Lang::En));
        assert_eq!(pick("fr-FR,es;q=0.5,en;q=0.4"), Some(Lang::Es));
        assert_eq!(pick("en;q=0.2, es;q=0.7"), Some(Lang::Es));
        assert_eq!(pick("es;q=0, en"), Some(Lang::En));
        assert_eq!(pick("fr, de"), None);
        assert_eq!(pick(""), None);
        assert_eq!(pick("es;q=abc"), None);
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        assert_eq!(Lang::En.date_long(d), "Saturday October 31");
        assert_eq!(Lang::Es.date_long(d), "sábado 31 de octubre");
        assert_eq!(Lang::Es.date_long_year(d), "sábado 31 de octubre de 2026");
        assert_eq!(Lang::En.date_long_year(d), "Saturday October 31, 2026");
        assert_eq!(Lang::En.date_day(d), "Sat Oct 31");
        assert_eq!(Lang::Es.date_day(d), "sáb 31 oct");
        assert_eq!(Lang::Es.date_short(d), "31 oct");
        assert_eq!(Lang::En.date_short_year(d), "Oct 31, 2026");
    }

    #[test]
    fn numbers_choose_the_plural_form() {
        assert_eq!(Lang::Es.t_args("count-nights", &[("n", &1)]), "1 noche");
        assert_eq!(Lang::Es.t_args("count-nights", &[("n", &3)]), "3 noches");
        assert_eq!(Lang::En.t_args("count-nights", &[("n", &1)]), "1 night");
    }

    #[test]
    fn an_english_text_with_a_message_is_shown_translated() {
        let en = Lang::En.t("flash-signed-out");
        assert_ne!(Lang::Es.translate_english(&en), en);
        assert_eq!(Lang::Es.translate_english("Tariq"), "Tariq");
        assert_eq!(Lang::En.translate_english(&en), en);
    }
}
