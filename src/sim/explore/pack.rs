//! Bit-packing of states into fixed-size records of 64-bit words, the form in which the explorer
//! stores, compares and hashes them.
use super::hash::FxHasher;
use crate::sim::config::{Config, Op, MAX_REGS};
use crate::sim::model::{ActorState, Crash, State};
use std::hash::Hasher;

/// How a [`State`] of one configuration is packed into a fixed-size record of 64-bit words:
/// the fields in declaration order, bit-packed, each only as wide as this configuration can need
/// (a pc as wide as its actor's code, flags one bit per resource), leaving out the fields its
/// code can never change from zero (no timer or sleep: no clock and no deadlines; no `fail`: no
/// failure count; no `exit`: no crash; no receive: no `last`; no `repeat`: no registers). The
/// number of actors and the memory size are fixed by the configuration, so on reachable states
/// the packing is injective: two records are equal exactly when the states are.
pub(super) struct Packing {
    time: bool,
    flag_bits: u32,
    failed: bool,
    crash: bool,
    actors: Vec<ActorLayout>,
    mem: usize,
    /// Record size in words.
    pub(super) stride: usize,
}

#[derive(Clone, Copy)]
struct ActorLayout {
    pc_bits: u32,
    last: bool,
    regs: usize,
    deadline: bool,
}

impl Packing {
    pub(super) fn new(cfg: &Config) -> Packing {
        let ops = || cfg.actors.iter().flat_map(|a| a.code.iter().map(|i| &i.op));
        let timed = |op: &Op| matches!(op, Op::Sleep { .. }) || op.timeout().is_some();
        let actors: Vec<ActorLayout> = cfg
            .actors
            .iter()
            .map(|a| ActorLayout {
                // Enough bits for every pc in 0..code.len() (at least one).
                pc_bits: (usize::BITS - a.code.len().saturating_sub(1).leading_zeros()).max(1),
                last: a
                    .code
                    .iter()
                    .any(|i| matches!(i.op, Op::Recv { .. } | Op::Select { .. })),
                regs: a
                    .code
                    .iter()
                    .filter_map(|i| match i.op {
                        Op::SetReg { reg, .. } | Op::LoopTest { reg, .. } => Some(reg as usize + 1),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0)
                    .min(MAX_REGS),
                deadline: a.code.iter().any(|i| timed(&i.op)),
            })
            .collect();
        let mut p = Packing {
            time: ops().any(timed),
            flag_bits: cfg.resources.len().clamp(1, 64) as u32,
            failed: ops().any(|op| matches!(op, Op::Fail)),
            crash: ops().any(|op| matches!(op, Op::Exit { .. })),
            actors,
            mem: cfg.mem_len,
            stride: 0,
        };
        let bits = p.time as usize * 64
            + p.flag_bits as usize
            + p.failed as usize * 16
            + p.crash as usize * (1 + 8 + 16 + 64)
            + p.actors
                .iter()
                .map(|l| {
                    l.pc_bits as usize
                        + l.last as usize * 8
                        + 16 * l.regs
                        + l.deadline as usize * 64
                })
                .sum::<usize>()
            + 8 * p.mem;
        p.stride = bits.max(1).div_ceil(64);
        p
    }

    pub(super) fn encode(&self, s: &State, out: &mut [u64]) {
        debug_assert!(
            s.actors.len() == self.actors.len()
                && s.mem.len() == self.mem
                && out.len() == self.stride
        );
        let mut w = BitWriter {
            out,
            word: 0,
            acc: 0,
            used: 0,
        };
        if self.time {
            w.put(s.now, 64);
        }
        w.put(s.flags, self.flag_bits);
        if self.failed {
            w.put(s.failed as u64, 16);
        }
        if self.crash {
            let c = s.crash.unwrap_or(Crash {
                actor: 0,
                pc: 0,
                at: 0,
            });
            w.put(
                s.crash.is_some() as u64 | (c.actor as u64) << 1 | (c.pc as u64) << 9,
                25,
            );
            w.put(c.at, 64);
        }
        for (a, l) in s.actors.iter().zip(&self.actors) {
            w.put(a.pc as u64, l.pc_bits);
            if l.last {
                w.put(a.last as u64, 8);
            }
            for &r in &a.regs[..l.regs] {
                w.put(r as u64, 16);
            }
            if l.deadline {
                w.put(a.deadline, 64);
            }
        }
        for &b in &s.mem {
            w.put(b as u64, 8);
        }
        w.finish();
    }

    /// The inverse of `encode`, into a state of the right shape (its allocations are reused);
    /// fields left out are zero.
    pub(super) fn decode(&self, rec: &[u64], s: &mut State) {
        let mut r = BitReader {
            rec,
            word: 0,
            used: 0,
        };
        s.now = if self.time { r.take(64) } else { 0 };
        s.flags = r.take(self.flag_bits);
        s.failed = if self.failed { r.take(16) as u16 } else { 0 };
        s.crash = None;
        if self.crash {
            let head = r.take(25);
            let at = r.take(64);
            if head & 1 == 1 {
                s.crash = Some(Crash {
                    actor: (head >> 1) as u8,
                    pc: (head >> 9) as u16,
                    at,
                });
            }
        }
        s.actors.resize(
            self.actors.len(),
            ActorState {
                pc: 0,
                last: 0,
                regs: [0; MAX_REGS],
                deadline: 0,
            },
        );
        for (a, l) in s.actors.iter_mut().zip(&self.actors) {
            a.pc = r.take(l.pc_bits) as u16;
            a.last = if l.last { r.take(8) as u8 } else { 0 };
            for (k, v) in a.regs.iter_mut().enumerate() {
                *v = if k < l.regs { r.take(16) as u16 } else { 0 };
            }
            a.deadline = if l.deadline { r.take(64) } else { 0 };
        }
        s.mem.clear();
        s.mem.extend((0..self.mem).map(|_| r.take(8) as u8));
    }

    /// FxHash over the record's words, finished with a full avalanche so that the table can use
    /// the top bits.
    pub(super) fn hash(&self, rec: &[u64]) -> u64 {
        let mut h = FxHasher::default();
        for &w in rec {
            h.write_u64(w);
        }
        let mut x = h.finish();
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

/// Appends bit fields to a record, lowest bits first; `finish` zero-fills the rest.
struct BitWriter<'a> {
    out: &'a mut [u64],
    word: usize,
    acc: u64,
    used: u32,
}

impl BitWriter<'_> {
    /// Appends the low `bits` (1..=64) bits of `v`; `v` must have no higher bits set.
    #[inline(always)]
    fn put(&mut self, v: u64, bits: u32) {
        debug_assert!(
            bits == 64 || v >> bits == 0,
            "{v} does not fit in {bits} bits"
        );
        self.acc |= v << self.used;
        let used = self.used + bits;
        if used >= 64 {
            self.out[self.word] = self.acc;
            self.word += 1;
            // The bits of `v` that did not fit (none when it ended exactly at the word's end).
            self.acc = if self.used == 0 {
                0
            } else {
                v >> (64 - self.used)
            };
            self.used = used - 64;
        } else {
            self.used = used;
        }
    }

    fn finish(self) {
        let mut word = self.word;
        if self.used > 0 {
            self.out[word] = self.acc;
            word += 1;
        }
        self.out[word..].fill(0);
    }
}

/// Reads what `BitWriter` wrote.
struct BitReader<'a> {
    rec: &'a [u64],
    word: usize,
    used: u32,
}

impl BitReader<'_> {
    #[inline(always)]
    fn take(&mut self, bits: u32) -> u64 {
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        let mut v = self.rec[self.word] >> self.used;
        let used = self.used + bits;
        if used >= 64 {
            self.word += 1;
            if used > 64 {
                v |= self.rec[self.word] << (64 - self.used);
            }
            self.used = used - 64;
        } else {
            self.used = used;
        }
        v & mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::explore::test_states::{configs, reachable};
    use std::collections::HashSet;

    #[test]
    fn packing_round_trips() {
        let mut checked = 0;
        for cfg in configs() {
            let pack = Packing::new(&cfg);
            let mut rec = vec![0u64; pack.stride];
            let mut back = cfg.init();
            let states = reachable(&cfg, 3000);
            let mut hashes = HashSet::new();
            for s in &states {
                pack.encode(s, &mut rec);
                pack.decode(&rec, &mut back);
                assert_eq!(&back, s);
                hashes.insert(pack.hash(&rec));
                checked += 1;
            }
            // Distinct states, (almost surely) distinct hashes.
            assert!(hashes.len() + 2 >= states.len());
        }
        assert!(checked > 10_000, "only {checked} states checked");
    }
}
