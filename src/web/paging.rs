//! Pages of a long list, from a `?page=N` query value: what is left out of a
//! list is always one link away, and the page says how many there are. A
//! page number that is missing, not a number or out of range is clamped to
//! the nearest page, never an error.

/// One page of a list of `total` items, `per_page` at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pager {
    /// 1-based, within `1..=pages`.
    pub page: usize,
    /// At least 1, also for an empty list.
    pub pages: usize,
    pub total: usize,
    pub per_page: usize,
}

impl Pager {
    /// The page asked for as typed in the address (`None`: the first).
    pub fn new(asked: Option<&str>, total: usize, per_page: usize) -> Pager {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = match asked.map(str::trim) {
            // Digits only; too long to be a page number means "the last".
            Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse::<usize>().unwrap_or(usize::MAX)
            }
            _ => 1,
        }
        .clamp(1, pages);
        Pager {
            page,
            pages,
            total,
            per_page,
        }
    }

    /// Items to skip before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per_page
    }

    /// The 1-based positions of the first and last item shown (0, 0 when empty).
    pub fn range(&self) -> (usize, usize) {
        if self.total == 0 {
            return (0, 0);
        }
        let first = self.offset() + 1;
        (first, (self.offset() + self.per_page).min(self.total))
    }

    /// How many this page shows.
    pub fn shown(&self) -> usize {
        let (first, last) = self.range();
        if self.total == 0 {
            0
        } else {
            last - first + 1
        }
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages
    }

    /// Whether the list is longer than one page (the pager is worth showing).
    pub fn is_cut(&self) -> bool {
        self.pages > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_and_say_what_they_show() {
        let p = Pager::new(None, 29, 20);
        assert_eq!((p.page, p.pages, p.range(), p.shown()), (1, 2, (1, 20), 20));
        assert!(p.has_next() && !p.has_prev() && p.is_cut());
        let p = Pager::new(Some("2"), 29, 20);
        assert_eq!(
            (p.page, p.offset(), p.range(), p.shown()),
            (2, 20, (21, 29), 9)
        );
        assert!(!p.has_next() && p.has_prev());
    }

    #[test]
    fn bad_page_numbers_clamp() {
        for (asked, page) in [
            ("0", 1),
            ("-3", 1),
            ("abc", 1),
            ("", 1),
            ("2.5", 1),
            ("99", 2),
            ("99999999999999999999999999", 2),
            (" 2 ", 2),
        ] {
            assert_eq!(Pager::new(Some(asked), 29, 20).page, page, "{asked:?}");
        }
    }

    #[test]
    fn an_empty_list_has_one_empty_page() {
        let p = Pager::new(Some("3"), 0, 20);
        assert_eq!((p.page, p.pages, p.range(), p.shown()), (1, 1, (0, 0), 0));
        assert!(!p.is_cut());
    }
}
