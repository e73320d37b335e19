//! Pure types and rules. Values here can only hold what is valid: they are
//! parsed once at the edge (forms, CSV, CLI) and trusted everywhere after.

pub mod account;
pub mod booking;
pub mod distance;
pub mod ids;
pub mod leg;
pub mod offer;
pub mod office;

/// Trims and collapses inner runs of whitespace.
pub fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
