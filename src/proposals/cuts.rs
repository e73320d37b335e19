//! Stronger rows for a seat or a bed-night than "parties ≤ room".
//!
//! Room is small (a car has 1–8 seats, a home a few beds) and parties come
//! in few sizes, so the plain row lets the relaxation split parties in ways
//! no choice can: two parties of 2 at ¾ each in a 3-seat car. Parties of
//! the same size are interchangeable in a room, so a valid row can be
//! written over how many parties of each size it takes: `Σ a[size] ×
//! (parties of that size) ≤ b`, with `b` the most any real filling reaches.
//! Those that cut off a split filling are added to the programs; with them
//! the relaxation's bound is near the optimum, which is what lets a level
//! be proven without branching.

use std::collections::HashMap;

/// Rooms larger than this get no extra rows: parties split less there, and
/// the fillings to enumerate grow fast.
const MAX_ROOM: i64 = 8;
/// The largest coefficient tried.
const MAX_COEF: i64 = 4;

/// A row over party sizes: `Σ coef[k] × (parties of size sizes[k]) ≤ rhs`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Row {
    pub coef: Vec<i64>,
    pub rhs: i64,
}

/// A room and the party sizes sharing it: (size, parties of that size).
type Room = (i64, Vec<(i64, i64)>);

/// Rows for a room of `cap` shared by parties of `sizes` (distinct, each
/// with how many could use it), kept per room and sizes: most rooms repeat.
#[derive(Default)]
pub(super) struct Cuts {
    known: HashMap<Room, Vec<Row>>,
}

impl Cuts {
    /// `sizes`: (party size, parties of that size with a pair here), sorted.
    pub(super) fn rows(&mut self, cap: i64, sizes: &[(i64, i64)]) -> &[Row] {
        // More parties of a size than could fit, and one more (so that a
        // split filling can still fill the room), change nothing.
        let key: Vec<(i64, i64)> = sizes
            .iter()
            .map(|&(w, n)| (w, n.min(cap / w.max(1) + 1)))
            .collect();
        self.known
            .entry((cap, key.clone()))
            .or_insert_with(|| rows_for(cap, &key))
    }
}

fn rows_for(cap: i64, sizes: &[(i64, i64)]) -> Vec<Row> {
    if cap > MAX_ROOM {
        return vec![];
    }
    let fillings = fillings(cap, sizes);
    let mut found: Vec<Row> = vec![];
    let k = sizes.len();
    let mut coef = vec![0i64; k];
    loop {
        if coef.iter().any(|c| *c > 0) && gcd_all(&coef) == 1 {
            let rhs = fillings
                .iter()
                .map(|f| f.iter().zip(&coef).map(|(n, c)| n * c).sum::<i64>())
                .max()
                .unwrap_or(0);
            if split_best(cap, sizes, &coef) > rhs as f64 + 1e-9 {
                found.push(Row {
                    coef: coef.clone(),
                    rhs,
                });
            }
        }
        // The next coefficient vector, like an odometer.
        let mut i = 0;
        loop {
            if i == k {
                return strongest(found);
            }
            coef[i] += 1;
            if coef[i] <= MAX_COEF {
                break;
            }
            coef[i] = 0;
            i += 1;
        }
    }
}

/// Every filling of the room: how many parties of each size.
fn fillings(cap: i64, sizes: &[(i64, i64)]) -> Vec<Vec<i64>> {
    let mut out = vec![];
    let mut f = vec![0i64; sizes.len()];
    fn walk(i: usize, left: i64, sizes: &[(i64, i64)], f: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) {
        if i == sizes.len() {
            out.push(f.clone());
            return;
        }
        let (w, n) = sizes[i];
        let mut c = 0;
        while c <= n && c * w <= left {
            f[i] = c;
            walk(i + 1, left - c * w, sizes, f, out);
            c += 1;
        }
        f[i] = 0;
    }
    walk(0, cap, sizes, &mut f, &mut out);
    out
}

/// The most `coef` reaches when parties may be split (the plain row and
/// each size's count): best value per seat first.
fn split_best(cap: i64, sizes: &[(i64, i64)], coef: &[i64]) -> f64 {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (
            coef[a] as f64 / sizes[a].0 as f64,
            coef[b] as f64 / sizes[b].0 as f64,
        );
        rb.total_cmp(&ra)
    });
    let mut left = cap as f64;
    let mut value = 0.0;
    for i in order {
        let (w, n) = sizes[i];
        let take = (n as f64).min(left / w as f64);
        value += take * coef[i] as f64;
        left -= take * w as f64;
        if left <= 0.0 {
            break;
        }
    }
    value
}

/// Drops a row another implies: coefficients at least as large with a
/// right-hand side no larger.
fn strongest(rows: Vec<Row>) -> Vec<Row> {
    let implied = |a: &Row, b: &Row| {
        a != b && b.rhs <= a.rhs && b.coef.iter().zip(&a.coef).all(|(x, y)| x >= y)
    };
    rows.iter()
        .filter(|a| !rows.iter().any(|b| implied(a, b)))
        .cloned()
        .collect()
}

fn gcd_all(xs: &[i64]) -> i64 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    xs.iter().fold(0, |g, x| gcd(g, *x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_pairs_of_two_cannot_share_three_seats() {
        let rows = rows_for(3, &[(1, 3), (2, 2), (3, 1)]);
        assert!(rows.contains(&Row {
            coef: vec![0, 1, 1],
            rhs: 1
        }));
    }

    #[test]
    fn a_party_of_three_leaves_no_room_for_two_in_four_seats() {
        let rows = rows_for(4, &[(1, 4), (2, 2), (3, 1)]);
        assert!(rows.contains(&Row {
            coef: vec![0, 1, 2],
            rhs: 2
        }));
    }

    #[test]
    fn every_row_holds_for_every_filling_and_cuts_a_split_one() {
        for cap in 1..=MAX_ROOM {
            let sizes = [(1, 5), (2, 4), (3, 3), (4, 2)];
            for row in rows_for(cap, &sizes) {
                for f in fillings(cap, &sizes) {
                    let v: i64 = f.iter().zip(&row.coef).map(|(n, c)| n * c).sum();
                    assert!(v <= row.rhs, "{row:?} fails {f:?} at {cap}");
                }
                assert!(split_best(cap, &sizes, &row.coef) > row.rhs as f64);
            }
        }
    }

    #[test]
    fn one_size_alone_is_counted_in_whole_parties() {
        assert_eq!(
            rows_for(3, &[(2, 2)]),
            vec![Row {
                coef: vec![1],
                rhs: 1
            }]
        );
        assert!(rows_for(4, &[(2, 1)]).is_empty());
        // Parties of 1 only: the plain row is already exact.
        assert!(rows_for(4, &[(1, 6)]).is_empty());
    }
}
