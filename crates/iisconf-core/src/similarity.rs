//! How alike two names are, for "did you mean" answers: the edit distance.

/// The Levenshtein distance between `a` and `b`, in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let best = prev
                .get(j)
                .map_or(usize::MAX, |d| d + cost)
                .min(prev.get(j + 1).map_or(usize::MAX, |d| d + 1))
                .min(cur.get(j).map_or(usize::MAX, |d| d + 1));
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = best;
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances() {
        use super::edit_distance as d;
        assert_eq!(d("aps", "asp"), 2);
        assert_eq!(d("defaultDocumnt", "defaultDocument"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("same", "same"), 0);
    }
}
