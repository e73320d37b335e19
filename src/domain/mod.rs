//! Pure types and rules. Values here can only hold what is valid: they are
//! parsed once at the edge (forms, CSV, CLI) and trusted everywhere after.

pub mod account;
pub mod alert;
pub mod booking;
pub mod distance;
pub mod ids;
pub mod leg;
pub mod offer;
pub mod office;
pub mod plan;

/// Trims and collapses inner runs of whitespace.
pub fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` as the start of a sentence: its first letter upper-cased and nothing
/// else touched, so names and towns keep the case people typed them in
/// (askama's `capitalize` lower-cases the rest: "tariq's in south milwaukee").
pub fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A number with its noun, singular for one: "1 bed", "3 beds", "0 beds".
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::{count, sentence};

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "bed", "beds"), "1 bed");
        assert_eq!(count(0, "bed", "beds"), "0 beds");
        assert_eq!(count(3_i64, "seat free", "seats free"), "3 seats free");
    }

    #[test]
    fn a_sentence_starts_upper_case_and_keeps_the_rest_as_typed() {
        assert_eq!(
            sentence("a bed at Tariq's in South Milwaukee, WI"),
            "A bed at Tariq's in South Milwaukee, WI"
        );
        assert_eq!(sentence("éa McDonald"), "Éa McDonald");
        assert_eq!(sentence(""), "");
    }
}
