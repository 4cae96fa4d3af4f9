//! A small per-process memo: values worked out once and kept under a key,
//! for what every call of a process asks again with the same few inputs
//! (a panel's address, a CA file, a set of secrets). Bounded: when full, it
//! starts over, so a process that meets many inputs keeps only recent ones.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Memo<K, V> {
    entries: Mutex<Option<HashMap<K, V>>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    pub const fn new(capacity: usize) -> Self {
        Memo { entries: Mutex::new(None), capacity }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).as_ref()?.get(key).cloned()
    }

    /// Keeps `value` under `key`, replacing what was there; a new key in a
    /// full memo first empties it.
    pub fn insert(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let entries = entries.get_or_insert_with(HashMap::new);
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_keeps_values_replaces_them_and_starts_over_when_full() {
        let memo: Memo<String, u32> = Memo::new(2);
        assert_eq!(memo.get("a"), None);
        memo.insert("a".into(), 1);
        memo.insert("b".into(), 2);
        memo.insert("a".into(), 3);
        assert_eq!((memo.get("a"), memo.get("b")), (Some(3), Some(2)), "replacing a key does not empty a full memo");
        memo.insert("c".into(), 4);
        assert_eq!((memo.get("a"), memo.get("b"), memo.get("c")), (None, None, Some(4)), "a new key in a full memo starts it over");
    }
}
