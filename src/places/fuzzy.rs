//! Edit-distance scoring for suggestions: how close a town key is to what was typed,
//! bounded so that scanning every town in the country stays cheap.

/// Fuzzy matching is skipped for keys longer than this; no town key comes close.
const MAX_FUZZY_KEY: usize = 64;

/// Scores town keys against a typed key: the edit distance when it is small for the
/// key's length, or a caller-chosen score when one key starts with the other
/// ("winston" / "winstonsalem"). Reuses its buffers across thousands of candidates.
pub(super) struct Fuzzy<'a> {
    key: &'a [u8],
    /// The largest edit distance that counts as close for this key.
    pub(super) max: usize,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl<'a> Fuzzy<'a> {
    pub(super) fn new(key: &'a str) -> Self {
        let key = key.as_bytes();
        let max = match key.len() {
            0..=2 => 0,
            3..=5 => 1,
            6..=11 => 2,
            _ => 3,
        };
        Fuzzy {
            key,
            max,
            prev: Vec::new(),
            cur: Vec::new(),
        }
    }

    /// The edit distance when within the allowance, else `prefix_score` when one key
    /// starts with the other.
    pub(super) fn score(&mut self, candidate: &str, prefix_score: Option<usize>) -> Option<usize> {
        let (a, b) = (self.key, candidate.as_bytes());
        if a.is_empty() || a.len() > MAX_FUZZY_KEY {
            return None;
        }
        if let Some(d) = bounded_levenshtein(a, b, self.max, &mut self.prev, &mut self.cur) {
            return Some(d);
        }
        let prefix = (a.len() >= 4 && b.starts_with(a)) || (b.len() >= 5 && a.starts_with(b));
        prefix_score.filter(|_| prefix)
    }
}

pub(super) fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    bounded_levenshtein(a, b, usize::MAX, &mut prev, &mut cur).unwrap_or(usize::MAX)
}

/// Levenshtein distance between byte strings, or `None` as soon as it must exceed `max`.
fn bounded_levenshtein(
    a: &[u8],
    b: &[u8],
    max: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            let v = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    prev.last().copied().filter(|&d| d <= max)
}
