//! The explorer's set of seen states: an open-addressing hash table of record numbers.

/// An open-addressing hash table of record numbers (linear probing). A slot holds the top 32
/// bits of the record's hash and its number + 1; 0 is empty. The slot index comes from the same
/// top bits, so the table can grow without rehashing the records.
pub(super) struct Table {
    slots: Vec<u64>,
    bits: u32,
    len: usize,
}

impl Table {
    /// Grow when more than 3/4 full.
    pub(super) const MAX_LOAD_NUM: usize = 3;
    pub(super) const MAX_LOAD_DEN: usize = 4;

    pub(super) fn with_capacity(n: usize) -> Table {
        let bits = n.next_power_of_two().trailing_zeros().clamp(4, 32);
        Table {
            slots: vec![0; 1 << bits],
            bits,
            len: 0,
        }
    }

    fn home(&self, tag: u64) -> usize {
        (tag >> (32 - self.bits)) as usize
    }

    /// The number of the record with this hash for which `same` holds, if any.
    pub(super) fn find(&self, hash: u64, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
        let tag = hash >> 32;
        let mask = self.slots.len() - 1;
        let mut i = self.home(tag);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot >> 32 == tag {
                let id = (slot as u32).wrapping_sub(1);
                if same(id) {
                    return Some(id);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a record known to be absent.
    pub(super) fn insert(&mut self, hash: u64, id: u32) {
        if (self.len + 1) * Self::MAX_LOAD_DEN > self.slots.len() * Self::MAX_LOAD_NUM
            && self.bits < 32
        {
            let old = std::mem::replace(&mut self.slots, vec![0; 1 << (self.bits + 1)]);
            self.bits += 1;
            for slot in old.into_iter().filter(|&s| s != 0) {
                self.place(slot);
            }
        }
        self.place((hash >> 32) << 32 | (id as u64 + 1));
        self.len += 1;
    }

    fn place(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(slot >> 32);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_finds_what_it_holds_through_growth() {
        let mut t = Table::with_capacity(16);
        // Many shared top bits.
        let hash = |i: u64| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7) << 20;
        for i in 0..5000u32 {
            assert_eq!(t.find(hash(i as u64), |id| id == i), None);
            t.insert(hash(i as u64), i);
        }
        for i in 0..5000u32 {
            assert_eq!(t.find(hash(i as u64), |id| id == i), Some(i));
        }
    }
}
