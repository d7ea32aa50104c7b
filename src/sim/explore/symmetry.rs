//! Symmetry reduction: a canonical member of each state's orbit under permutations of
//! interchangeable actors (`Actor::class`), so that the explorer stores one state per orbit.
//!
//! Permuting interchangeable actors is an automorphism of the transition system (see
//! `config::symmetry`): a permuted state has the permuted successors and the same kind of
//! outcome. So a breadth-first search over canonical states reaches every orbit the plain search
//! reaches, at the same depth, and finds the same kinds of trouble with equally short traces.
use crate::sim::config::{Config, ResKind, MAX_ACTORS};
use crate::sim::model::{ActorState, State};
use std::cmp::Ordering;

/// What canonicalising needs of a configuration: its classes of two or more actors and where the
/// lock holders are.
#[derive(Clone)]
pub(super) struct Canon {
    /// Each class with at least two actors, in index order.
    classes: Vec<Vec<u8>>,
    /// `State::mem` offsets of the lock holder bytes.
    locks: Vec<usize>,
    /// One class's actor states in their new order (reused).
    scratch: Vec<ActorState>,
}

impl Canon {
    /// `None` when no two actors are interchangeable (nothing to reduce).
    pub(super) fn new(cfg: &Config) -> Option<Canon> {
        let mut classes: Vec<Vec<u8>> = Vec::new();
        for (i, a) in cfg.actors.iter().enumerate() {
            if a.class as usize == i {
                classes.push(vec![i as u8]);
            } else if let Some(c) = classes.iter_mut().find(|c| c[0] == a.class) {
                c.push(i as u8);
            }
        }
        classes.retain(|c| c.len() > 1);
        if classes.is_empty() {
            return None;
        }
        let locks = cfg
            .resources
            .iter()
            .filter(|r| r.kind == ResKind::Lock)
            .map(|r| r.off)
            .collect();
        Some(Canon {
            classes,
            locks,
            scratch: Vec::new(),
        })
    }

    /// Rewrites `s` into the canonical member of its orbit: within each class the actors sorted
    /// by their local state, the locks they hold and whether they crashed (two actors equal in
    /// all of these are identical, since a lock has one holder and a run one crash), with the
    /// lock holders and the crash renamed along. Returns whether anything moved.
    pub(super) fn canonicalise(&mut self, s: &mut State) -> bool {
        let mut held = [0u64; MAX_ACTORS];
        for (k, &off) in self.locks.iter().enumerate() {
            if let Some(h) = (s.mem[off] as usize).checked_sub(1) {
                held[h] |= 1 << k;
            }
        }
        let crashed = s.crash.map(|c| c.actor as usize);
        let key = |a: usize, st: &ActorState| Key {
            state: (st.pc, st.last, st.regs, st.deadline),
            held: held[a],
            crashed: crashed == Some(a),
        };
        // `rename[a]`: where actor `a` goes.
        let mut rename: [u8; MAX_ACTORS] = std::array::from_fn(|a| a as u8);
        let mut moved = false;
        for class in &self.classes {
            let mut order = [0u8; MAX_ACTORS];
            let order = &mut order[..class.len()];
            order.copy_from_slice(class);
            // Insertion sort: classes are small, and mostly sorted already.
            for i in 1..order.len() {
                let mut j = i;
                while j > 0 && {
                    let (x, y) = (order[j - 1] as usize, order[j] as usize);
                    key(x, &s.actors[x]).cmp(&key(y, &s.actors[y])) == Ordering::Greater
                } {
                    order.swap(j - 1, j);
                    j -= 1;
                }
            }
            if order == &class[..] {
                continue;
            }
            moved = true;
            self.scratch.clear();
            self.scratch
                .extend(order.iter().map(|&from| s.actors[from as usize]));
            for ((&slot, &from), st) in class.iter().zip(order.iter()).zip(&self.scratch) {
                rename[from as usize] = slot;
                s.actors[slot as usize] = *st;
            }
        }
        if !moved {
            return false;
        }
        for &off in &self.locks {
            if s.mem[off] != 0 {
                s.mem[off] = rename[s.mem[off] as usize - 1] + 1;
            }
        }
        if let Some(c) = &mut s.crash {
            c.actor = rename[c.actor as usize];
        }
        true
    }
}

/// The order actors of one class are sorted in.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    state: (u16, u8, [u16; crate::sim::config::MAX_REGS], u64),
    held: u64,
    crashed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::explore::test_states::{configs, reachable};

    /// Swaps two actors of a state, with the locks they hold and the crash.
    fn swap(cfg: &Config, s: &State, a: usize, b: usize) -> State {
        let mut t = s.clone();
        t.actors.swap(a, b);
        let name = |x: usize| {
            if x == a {
                b
            } else if x == b {
                a
            } else {
                x
            }
        };
        for r in cfg.resources.iter().filter(|r| r.kind == ResKind::Lock) {
            if t.mem[r.off] != 0 {
                t.mem[r.off] = name(t.mem[r.off] as usize - 1) as u8 + 1;
            }
        }
        if let Some(c) = &mut t.crash {
            c.actor = name(c.actor as usize) as u8;
        }
        t
    }

    #[test]
    fn canonical_forms_are_members_of_the_orbit_and_one_per_orbit() {
        let mut checked = 0;
        for cfg in configs() {
            let Some(mut canon) = Canon::new(&cfg) else {
                continue;
            };
            let pairs: Vec<(usize, usize)> = (0..cfg.actors.len())
                .flat_map(|a| (a + 1..cfg.actors.len()).map(move |b| (a, b)))
                .filter(|&(a, b)| cfg.actors[a].class == cfg.actors[b].class)
                .collect();
            for s in &reachable(&cfg, 2000) {
                let mut c = s.clone();
                canon.canonicalise(&mut c);
                // Idempotent, and the same for every swap of two interchangeable actors.
                let mut again = c.clone();
                assert!(!canon.canonicalise(&mut again));
                for &(a, b) in &pairs {
                    let mut t = swap(&cfg, s, a, b);
                    canon.canonicalise(&mut t);
                    assert_eq!(t, c, "swapping {a} and {b} of {s:?}");
                }
                // Same kind of outcome as the state it stands for.
                assert_eq!(
                    super::super::Trouble::of(&cfg.outcome(&c)),
                    super::super::Trouble::of(&cfg.outcome(s))
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "only {checked} states checked");
    }
}
