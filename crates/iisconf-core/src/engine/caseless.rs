//! Maps keyed by config paths and site names, which IIS compares case-insensitively: keys
//! hash and compare by their lower-case characters, and are looked up with a borrowed
//! `&str` in any case, so no lookup allocates a lower-cased copy.

use hashbrown::Equivalent;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

/// A map whose keys compare case-insensitively.
pub(crate) type CaselessMap<V> = hashbrown::HashMap<Caseless, V, rustc_hash::FxBuildHasher>;

/// An owned key of a [`CaselessMap`] (it keeps the case it was written in).
#[derive(Clone, Debug)]
pub(crate) struct Caseless(pub Arc<str>);

/// A borrowed key to look a [`CaselessMap`] up with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CaselessStr<'a>(pub &'a str);

/// Hashes the UTF-8 bytes of `text` lower-cased, in one `write` (so texts equal once
/// lower-cased hash alike, whichever path computed them).
fn hash_caseless<H: Hasher>(text: &str, state: &mut H) {
    const STACK: usize = 128;
    if text.is_ascii() && text.len() <= STACK {
        let mut buf = [0u8; STACK];
        let lower = &mut buf[..text.len()];
        lower.copy_from_slice(text.as_bytes());
        lower.make_ascii_lowercase();
        state.write(lower);
    } else {
        // A non-ASCII character may lower-case to ASCII (the Kelvin sign to 'k').
        let lower: String = text.chars().flat_map(char::to_lowercase).collect();
        state.write(lower.as_bytes());
    }
    state.write_u8(0xff);
}

/// Whether two texts are equal once lower-cased.
pub(crate) fn eq_caseless(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

impl Hash for Caseless {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_caseless(&self.0, state);
    }
}

impl PartialEq for Caseless {
    fn eq(&self, other: &Caseless) -> bool {
        eq_caseless(&self.0, &other.0)
    }
}

impl Eq for Caseless {}

impl Hash for CaselessStr<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_caseless(self.0, state);
    }
}

impl Equivalent<Caseless> for CaselessStr<'_> {
    fn equivalent(&self, key: &Caseless) -> bool {
        eq_caseless(self.0, &key.0)
    }
}

/// The positions of the names of a list (site names), looked up by name case-insensitively.
/// It holds positions only: the names stay in the list, which each lookup is given, so
/// indexing tens of thousands of sites copies none of their names.
#[derive(Clone, Default)]
pub(crate) struct CaselessIndex(hashbrown::HashTable<u32>);

/// The hash of `text` lower-cased.
fn caseless_hash(text: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(CaselessStr(text))
}

impl CaselessIndex {
    /// Indexes `names`, where `name(i)` is the name at position `i`: of names equal once
    /// lower-cased, the last one is found.
    pub fn build<'a>(count: usize, name: impl Fn(usize) -> &'a str) -> CaselessIndex {
        let mut table = hashbrown::HashTable::with_capacity(count);
        for i in 0..count {
            let text = name(i);
            let hash = caseless_hash(text);
            let position = i as u32;
            match table.find_mut(hash, |j: &u32| eq_caseless(name(*j as usize), text)) {
                Some(slot) => *slot = position,
                None => {
                    table.insert_unique(hash, position, |j: &u32| caseless_hash(name(*j as usize)));
                }
            }
        }
        CaselessIndex(table)
    }

    /// The position of `text` (in any case), `name(i)` giving the name at position `i` of
    /// the list indexed.
    pub fn get<'a>(&self, text: &str, name: impl Fn(usize) -> Option<&'a str>) -> Option<usize> {
        self.0
            .find(caseless_hash(text), |j: &u32| {
                name(*j as usize).is_some_and(|n| eq_caseless(n, text))
            })
            .map(|j| *j as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_in_any_case() {
        let mut map = CaselessMap::default();
        map.insert(Caseless(Arc::from("Default Web Site/Shop")), 1);
        map.insert(Caseless(Arc::from("Ünïcode")), 2);
        assert_eq!(map.get(&CaselessStr("default web site/SHOP")), Some(&1));
        assert_eq!(map.get(&CaselessStr("ÜNÏCODE")), Some(&2));
        assert_eq!(map.get(&CaselessStr("Default Web Site")), None);
        // The Kelvin sign lower-cases to an ASCII 'k'.
        map.insert(Caseless(Arc::from("k")), 3);
        assert_eq!(map.get(&CaselessStr("\u{212A}")), Some(&3));
    }

    #[test]
    fn indexes_positions_in_any_case_the_last_of_equal_names_found() {
        let names = ["Default Web Site", "Shop", "SHOP", "Ünïcode"];
        let index = CaselessIndex::build(names.len(), |i| names[i]);
        let name = |i: usize| names.get(i).copied();
        assert_eq!(index.get("default web site", name), Some(0));
        assert_eq!(index.get("shop", name), Some(2));
        assert_eq!(index.get("ünÏcode", name), Some(3));
        assert_eq!(index.get("Default", name), None);
    }
}
