//! TEMPORARY STUB (replaced by the real matching engine).
pub fn format_km(km: f64) -> String {
    if km < 10.0 {
        format!("{km:.1} km")
    } else {
        format!("{km:.0} km")
    }
}
