//! A trip as one plan: each needed leg with its state, and the one sentence
//! that says what is still missing ("You still need a bed for Oct 28–30").
//! Everything here is written over [`Leg::ALL`], so a new leg only adds its
//! words to the `match`es below.

use chrono::{Datelike, NaiveDate};

use crate::domain::leg::{Leg, LegState};
use crate::i18n::Lang;

/// The heading of a leg in the plan, in travel order.
pub fn title(leg: Leg) -> &'static str {
    match leg {
        Leg::RideThere => "Getting there",
        Leg::Nights => "The nights",
        Leg::RideHome => "Getting home",
    }
}

/// A short key for the leg, used in addresses (`?ride_there=2`) and anchors.
pub fn key(leg: Leg) -> &'static str {
    match leg {
        Leg::RideThere => "ride_there",
        Leg::Nights => "nights",
        Leg::RideHome => "ride_home",
    }
}

/// What the leg's offers are called in a list: "rides", "beds".
pub fn offers_noun(leg: Leg, n: usize) -> &'static str {
    match (leg, n) {
        (Leg::RideThere, 1) => "ride",
        (Leg::RideThere, _) => "rides",
        (Leg::Nights, 1) => "place to sleep",
        (Leg::Nights, _) => "places to sleep",
        (Leg::RideHome, 1) => "ride home",
        (Leg::RideHome, _) => "rides home",
    }
}

/// "Oct 28", or a span "Oct 28–30" / "Oct 30–Nov 2".
pub fn span(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        first.format("%b %-d").to_string()
    } else if first.year() == last.year() && first.month() == last.month() {
        format!("{}–{}", first.format("%b %-d"), last.format("%-d"))
    } else {
        format!("{}–{}", first.format("%b %-d"), last.format("%b %-d"))
    }
}

/// The one sentence at the top of a trip (and beside it on `/me`) saying
/// what is still missing, from the needed legs and their states (legs not
/// needed are left out of `legs`, as [`crate::domain::leg::states`] does),
/// in English: the CLI and logs read it.
pub fn still_missing(legs: &[(Leg, LegState)], arrive: NaiveDate, leave: NaiveDate) -> String {
    missing_sentence(Lang::En, legs, arrive, leave)
}

/// [`title`] in `lang`.
pub fn title_in(lang: Lang, leg: Leg) -> String {
    lang.t(match leg {
        Leg::RideThere => "plan-title-there",
        Leg::Nights => "plan-title-nights",
        Leg::RideHome => "plan-title-home",
    })
}

/// "Oct 28–30" in English, as the emails write it; other languages say
/// both dates in full.
pub fn span_in(first: NaiveDate, last: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => span(first, last),
        _ if first == last => lang.date_short(first),
        _ => lang.t_args(
            "dates-to",
            &[
                ("from", &lang.date_short(first)),
                ("to", &lang.date_short(last)),
            ],
        ),
    }
}

/// "a ride there on Oct 28" (`whose` is "a") or "your bed for Oct 28–30"
/// ("your"), in `lang`.
fn leg_phrase(lang: Lang, leg: Leg, whose: &str, arrive: NaiveDate, leave: NaiveDate) -> String {
    let (key, date) = match leg {
        Leg::RideThere => ("ride-there", lang.date_short(arrive)),
        Leg::Nights => ("nights", span_in(arrive, leave, lang)),
        Leg::RideHome => ("ride-home", lang.date_short(leave)),
    };
    lang.t_args(&format!("missing-{whose}-{key}"), &[("date", &date)])
}

/// What is still missing, in one sentence, in `lang` (see [`still_missing`]).
pub fn missing_sentence(
    lang: Lang,
    legs: &[(Leg, LegState)],
    arrive: NaiveDate,
    leave: NaiveDate,
) -> String {
    let of = |state: LegState| -> Vec<Leg> {
        legs.iter()
            .filter(|(_, s)| *s == state)
            .map(|(l, _)| *l)
            .collect()
    };
    let (open, pending) = (of(LegState::Open), of(LegState::Pending));
    if legs.is_empty() {
        return lang.t("missing-nothing-needed");
    }
    if open.is_empty() && pending.is_empty() {
        return lang.t("missing-complete");
    }
    let list = |legs: &[Leg], whose: &str| {
        let items: Vec<String> = legs
            .iter()
            .map(|l| leg_phrase(lang, *l, whose, arrive, leave))
            .collect();
        match items.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), lang.t("word-and")),
        }
    };
    let (needed, waiting) = (list(&open, "a"), list(&pending, "your"));
    if open.is_empty() {
        lang.t_args("missing-waiting", &[("waiting", &waiting)])
    } else if pending.is_empty() {
        lang.t_args("missing-need", &[("needed", &needed)])
    } else {
        lang.t_args(
            "missing-need-and-waiting",
            &[("needed", &needed), ("waiting", &waiting)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LegState::{Confirmed, Open, Pending};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn say(legs: &[(Leg, LegState)]) -> String {
        still_missing(legs, d("2026-10-28"), d("2026-10-30"))
    }

    #[test]
    fn the_sentence_names_what_is_missing() {
        assert_eq!(
            say(&[(Leg::RideThere, Confirmed), (Leg::Nights, Open)]),
            "You still need a bed for Oct 28–30."
        );
        assert_eq!(
            say(&[(Leg::RideThere, Open), (Leg::Nights, Open)]),
            "You still need a ride there on Oct 28 and a bed for Oct 28–30."
        );
        assert_eq!(
            say(&[(Leg::RideThere, Pending), (Leg::Nights, Open)]),
            "You still need a bed for Oct 28–30, and you're waiting to hear about your ride there on Oct 28."
        );
        assert_eq!(
            say(&[(Leg::RideThere, Pending), (Leg::Nights, Confirmed)]),
            "Nothing is missing but an answer: you're waiting to hear about your ride there on Oct 28."
        );
        assert_eq!(
            say(&[(Leg::RideThere, Confirmed), (Leg::Nights, Confirmed)]),
            "Your plan is complete: everything you need is confirmed."
        );
        assert_eq!(
            say(&[]),
            "You need no ride and no bed: the office expects you on your own."
        );
    }

    /// Every leg in every state (not needed, open, pending, confirmed), in
    /// every combination: each open leg is asked for, each pending one
    /// waited on, and confirmed or unneeded legs are not mentioned.
    #[test]
    fn every_combination_of_leg_states_says_exactly_what_is_missing() {
        let choices = [None, Some(Open), Some(Pending), Some(Confirmed)];
        let n = Leg::ALL.len() as u32;
        let (arrive, leave) = (d("2026-10-28"), d("2026-11-02"));
        for combo in 0..choices.len().pow(n) {
            let legs: Vec<(Leg, LegState)> = Leg::ALL
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    choices[combo / choices.len().pow(i as u32) % choices.len()].map(|s| (*l, s))
                })
                .collect();
            let text = still_missing(&legs, arrive, leave);
            assert!(text.ends_with('.'), "{text}");
            for leg in Leg::ALL {
                let state = legs.iter().find(|(l, _)| *l == leg).map(|p| p.1);
                let asked = text.contains(&leg_phrase(Lang::En, leg, "a", arrive, leave));
                let waited = text.contains(&leg_phrase(Lang::En, leg, "your", arrive, leave));
                assert_eq!(asked, state == Some(Open), "{legs:?}: {text}");
                assert_eq!(waited, state == Some(Pending), "{legs:?}: {text}");
            }
            let all_done = legs.iter().all(|(_, s)| *s == Confirmed);
            assert_eq!(
                text.starts_with("Your plan is complete"),
                all_done && !legs.is_empty(),
                "{legs:?}: {text}"
            );
        }
    }

    #[test]
    fn spans_name_the_month_once_unless_it_changes() {
        assert_eq!(span(d("2026-10-28"), d("2026-10-28")), "Oct 28");
        assert_eq!(span(d("2026-10-28"), d("2026-10-30")), "Oct 28–30");
        assert_eq!(span(d("2026-10-30"), d("2026-11-02")), "Oct 30–Nov 2");
        assert_eq!(span(d("2026-12-30"), d("2027-01-02")), "Dec 30–Jan 2");
    }
}
