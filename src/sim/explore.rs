//! Outcomes, and the exhaustive explorer: breadth-first search over every interleaving of a
//! configuration, with shortest traces to the first deadlock, crash or stall.
use super::config::*;
use super::graph::WaitEdge;
use super::model::*;
use super::spec::{Scenario, ScenarioError, Settings};
use serde::{Deserialize, Serialize};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Some actor can still move.
    Running,
    /// Every non-daemon actor finished and no request failed.
    Completed,
    /// Every non-daemon actor finished, but timeouts failed some requests.
    Recovered { failed: u16 },
    /// A wait-for cycle: its actors can never move again unless a timer fires (`timer`, the
    /// earliest one pending among them).
    Deadlocked {
        cycle: Vec<WaitEdge>,
        timer: Option<u64>,
    },
    /// A process exited on a timeout's error path.
    Crashed { actor: u8, at: u64, reason: u16 },
    /// Nobody can move and no timer is pending, without a cycle: someone waits for an actor that
    /// has finished.
    Stalled { blocked: u64 },
}

impl Outcome {
    pub fn is_bad(&self) -> bool {
        matches!(
            self,
            Outcome::Deadlocked { .. } | Outcome::Crashed { .. } | Outcome::Stalled { .. }
        )
    }
}

impl Config {
    pub fn outcome(&self, s: &State) -> Outcome {
        if let Some(c) = s.crash {
            let reason = match self.actors[c.actor as usize].code[c.pc as usize].op {
                Op::Exit { reason } => reason,
                _ => 0,
            };
            return Outcome::Crashed {
                actor: c.actor,
                at: c.at,
                reason,
            };
        }
        let g = self.wait_graph(s);
        if g.has_cycle() {
            let timer = (0..self.actors.len())
                .filter(|&a| g.deadlocked >> a & 1 == 1)
                .filter_map(|a| match self.status(s, a) {
                    Status::Blocked { timer } => timer,
                    _ => None,
                })
                .min();
            return Outcome::Deadlocked {
                cycle: g.cycle,
                timer,
            };
        }
        if !self.enabled(s).is_empty() {
            return Outcome::Running;
        }
        let unfinished = (0..self.actors.len())
            .filter(|&a| !self.actors[a].daemon && !self.is_done(s, a))
            .fold(0u64, |m, a| m | 1 << a);
        match (unfinished, s.failed) {
            (0, 0) => Outcome::Completed,
            (0, failed) => Outcome::Recovered { failed },
            (blocked, _) => Outcome::Stalled { blocked },
        }
    }
}

/// FxHash: a fast, deterministic hasher (no random seed, so runs repeat exactly).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64)
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(i as u64)
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64)
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64)
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// No interleaving deadlocks, crashes or stalls.
    Safe,
    /// Some interleavings go wrong, others end well.
    Possible,
    /// Every interleaving goes wrong.
    Always,
    /// The state limit was reached first: nothing bad was found within it.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exploration {
    pub states: usize,
    pub transitions: usize,
    /// False when the state limit stopped the search.
    pub complete: bool,
    /// Shortest schedule reaching a wait-for cycle that no timer can break.
    pub deadlock: Option<Vec<Choice>>,
    /// Shortest schedule reaching a wait-for cycle that a pending timer will break.
    pub timed_deadlock: Option<Vec<Choice>>,
    /// Shortest schedule reaching a process exit.
    pub crash: Option<Vec<Choice>>,
    /// Shortest schedule reaching a stall.
    pub stall: Option<Vec<Choice>>,
    /// Terminal states that completed cleanly / with failed requests / badly.
    pub completed_ends: usize,
    pub recovered_ends: usize,
    pub bad_ends: usize,
    pub verdict: Verdict,
}

impl Exploration {
    /// The schedule worth showing: the shortest to a permanent deadlock, else to a crash, else
    /// to a stall, else to a cycle that a timer breaks.
    pub fn counterexample(&self) -> Option<&Vec<Choice>> {
        self.deadlock
            .as_ref()
            .or(self.crash.as_ref())
            .or(self.stall.as_ref())
            .or(self.timed_deadlock.as_ref())
    }
}

/// Breadth-first search of every interleaving, up to `limit` unique states. States are stored
/// once, bit-packed into fixed-size records of one flat arena (see `Packing`); an open-addressing
/// table of record numbers finds them again.
pub fn explore(cfg: &Config, limit: usize) -> Exploration {
    let pack = Packing::new(cfg);
    let init = cfg.init();
    let mut arena: Vec<u64> = vec![0; pack.stride];
    pack.encode(&init, &mut arena);
    let mut parent: Vec<(u32, Choice)> = vec![(u32::MAX, Choice::Tick)];
    let mut table = Table::with_capacity(1024);
    table.insert(pack.hash(&arena), 0);
    let (mut deadlock, mut timed_deadlock, mut crash, mut stall) = (None, None, None, None);
    let (mut completed_ends, mut recovered_ends, mut bad_ends, mut transitions) = (0, 0, 0, 0);
    let mut complete = true;
    let mut choices = Vec::new();
    let trace = |parent: &[(u32, Choice)], mut i: u32| {
        let mut t = Vec::new();
        while parent[i as usize].0 != u32::MAX {
            t.push(parent[i as usize].1);
            i = parent[i as usize].0;
        }
        t.reverse();
        t
    };
    // The state being expanded, a successor, and the successors' records with their hashes and
    // choices: allocated once, reused for every state.
    let (mut cur, mut next_state) = (init.clone(), init);
    let (mut succ, mut hashes, mut succ_choice): (Vec<u64>, Vec<u64>, Vec<Choice>) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut count = 1usize;
    let mut next = 0usize;
    while next < count {
        let i = next;
        next += 1;
        pack.decode(&arena[i * pack.stride..(i + 1) * pack.stride], &mut cur);
        cfg.enabled_into(&cur, &mut choices);
        // The outcome matters for an end state, or for a state with a wait-for cycle while a
        // kind of deadlock is still unseen; any other state is simply running.
        let wanted = choices.is_empty()
            || ((deadlock.is_none() || timed_deadlock.is_none())
                && cfg.deadlocked_mask(&cur, movable(&choices)) != 0);
        let out = if wanted {
            cfg.outcome(&cur)
        } else {
            Outcome::Running
        };
        match &out {
            Outcome::Deadlocked { timer: None, .. } if deadlock.is_none() => {
                deadlock = Some(trace(&parent, i as u32))
            }
            Outcome::Deadlocked { timer: Some(_), .. } if timed_deadlock.is_none() => {
                timed_deadlock = Some(trace(&parent, i as u32))
            }
            Outcome::Crashed { .. } if crash.is_none() => crash = Some(trace(&parent, i as u32)),
            Outcome::Stalled { .. } if stall.is_none() => stall = Some(trace(&parent, i as u32)),
            _ => {}
        }
        if choices.is_empty() {
            match out {
                Outcome::Completed => completed_ends += 1,
                Outcome::Recovered { .. } => recovered_ends += 1,
                _ => bad_ends += 1,
            }
            continue;
        }
        // Successors first, then the lookups: independent lookups overlap their cache misses.
        let stride = pack.stride;
        let mut k = 0;
        for &c in &choices {
            if cfg.step_into(&cur, c, &mut next_state).is_err() {
                continue;
            }
            transitions += 1;
            if succ.len() < (k + 1) * stride {
                succ.resize((k + 1) * stride, 0);
                hashes.push(0);
                succ_choice.push(c);
            }
            pack.encode(&next_state, &mut succ[k * stride..(k + 1) * stride]);
            hashes[k] = pack.hash(&succ[k * stride..(k + 1) * stride]);
            succ_choice[k] = c;
            k += 1;
        }
        for j in 0..k {
            let rec = &succ[j * stride..(j + 1) * stride];
            if table
                .find(hashes[j], |id| {
                    arena[id as usize * stride..(id as usize + 1) * stride] == *rec
                })
                .is_some()
            {
                continue;
            }
            if count >= limit {
                complete = false;
                continue;
            }
            arena.extend_from_slice(rec);
            parent.push((i as u32, succ_choice[j]));
            table.insert(hashes[j], count as u32);
            count += 1;
        }
    }
    let bad = deadlock.is_some() || crash.is_some() || stall.is_some();
    let verdict = match (complete, bad, completed_ends + recovered_ends) {
        (_, true, 0) if complete => Verdict::Always,
        (_, true, _) => Verdict::Possible,
        (true, false, _) => Verdict::Safe,
        (false, false, _) => Verdict::Unknown,
    };
    Exploration {
        states: count,
        transitions,
        complete,
        deadlock,
        timed_deadlock,
        crash,
        stall,
        completed_ends,
        recovered_ends,
        bad_ends,
        verdict,
    }
}

/// The actors with a `Choice::Step` among `choices`, as a bit set.
fn movable(choices: &[Choice]) -> u64 {
    choices.iter().fold(0, |m, c| match c {
        Choice::Step { actor, .. } => m | 1 << actor,
        _ => m,
    })
}

/// Bytes the explorer keeps per unique state (its packed record, parent link and hash-table
/// slot at the table's maximum load), for the benchmark.
pub fn bytes_per_state(cfg: &Config) -> usize {
    Packing::new(cfg).stride * 8
        + std::mem::size_of::<(u32, Choice)>()
        + std::mem::size_of::<u64>() * Table::MAX_LOAD_DEN / Table::MAX_LOAD_NUM
}

/// How a [`State`] of one configuration is packed into a fixed-size record of 64-bit words:
/// the fields in declaration order, bit-packed, each only as wide as this configuration can need
/// (a pc as wide as its actor's code, flags one bit per resource), leaving out the fields its
/// code can never change from zero (no timer or sleep: no clock and no deadlines; no `fail`: no
/// failure count; no `exit`: no crash; no receive: no `last`; no `repeat`: no registers). The
/// number of actors and the memory size are fixed by the configuration, so on reachable states
/// the packing is injective: two records are equal exactly when the states are.
struct Packing {
    time: bool,
    flag_bits: u32,
    failed: bool,
    crash: bool,
    actors: Vec<ActorLayout>,
    mem: usize,
    /// Record size in words.
    stride: usize,
}

#[derive(Clone, Copy)]
struct ActorLayout {
    pc_bits: u32,
    last: bool,
    regs: usize,
    deadline: bool,
}

impl Packing {
    fn new(cfg: &Config) -> Packing {
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

    fn encode(&self, s: &State, out: &mut [u64]) {
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
    fn decode(&self, rec: &[u64], s: &mut State) {
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
    fn hash(&self, rec: &[u64]) -> u64 {
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

/// An open-addressing hash table of record numbers (linear probing). A slot holds the top 32
/// bits of the record's hash and its number + 1; 0 is empty. The slot index comes from the same
/// top bits, so the table can grow without rehashing the records.
struct Table {
    slots: Vec<u64>,
    bits: u32,
    len: usize,
}

impl Table {
    /// Grow when more than 3/4 full.
    const MAX_LOAD_NUM: usize = 3;
    const MAX_LOAD_DEN: usize = 4;

    fn with_capacity(n: usize) -> Table {
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
    fn find(&self, hash: u64, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
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
    fn insert(&mut self, hash: u64, id: u32) {
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

impl Config {
    /// The deadlocked set of `wait_graph(s)`, computed without allocating: exactly
    /// `self.wait_graph(s).deadlocked`, so a state has a wait-for cycle exactly when it is non-zero.
    /// `movable` has a bit for each actor with a `Choice::Step` in `enabled(s)` (for a state that
    /// has not crashed, exactly the actors that can proceed).
    fn deadlocked_mask(&self, s: &State, movable: u64) -> u64 {
        if s.crash.is_some() {
            return 0;
        }
        let n = self.actors.len();
        let ins = |b: usize| &self.actors[b].code[s.actors[b].pc as usize];
        // Without a crash nobody is dead: the alive actors are those not done.
        let alive = (0..n)
            .filter(|&b| !matches!(ins(b).op, Op::End))
            .fold(0u64, |m, b| m | 1 << b);
        let who = |res: u8, pick: fn(&Instr) -> u64| {
            (0..n)
                .filter(|&b| alive >> b & 1 == 1 && pick(ins(b)) >> res & 1 == 1)
                .fold(0u64, |m, b| m | 1 << b)
        };
        let mut release = [0u64; MAX_ACTORS];
        let mut d = 0u64;
        for (a, release_a) in release.iter_mut().enumerate().take(n) {
            // Blocked: not done, not sleeping, and unable to proceed (only these five can be).
            let by = match &ins(a).op {
                _ if movable >> a & 1 == 1 => continue,
                Op::Send { res, .. } => who(*res, |i| i.may_drain),
                Op::Recv { res, .. } => who(*res, |i| i.may_fill),
                Op::Select { cases } => cases.iter().fold(0, |m, c| m | who(c.res, |i| i.may_fill)),
                Op::Lock { res, .. } => self.holder(s, *res as usize).map_or(0, |h| 1u64 << h),
                Op::Await { res, .. } => who(*res, |i| i.may_set),
                _ => continue,
            };
            *release_a = by;
            if by != 0 {
                d |= 1 << a;
            }
        }
        // Greatest fixpoint, as in `wait_graph`.
        loop {
            let next = (0..n)
                .filter(|&a| d >> a & 1 == 1 && release[a] & !d == 0)
                .fold(0u64, |m, a| m | 1 << a);
            if next == d {
                return d;
            }
            d = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashSet, VecDeque};

    /// Every reachable state of a configuration (breadth-first, up to `limit`).
    fn reachable(cfg: &Config, limit: usize) -> Vec<State> {
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([cfg.init()]);
        let mut out = Vec::new();
        seen.insert(cfg.init());
        while let Some(s) = queue.pop_front() {
            for c in cfg.enabled(&s) {
                if let Ok((n, _)) = cfg.step(&s, c) {
                    if out.len() + queue.len() < limit && seen.insert(n.clone()) {
                        queue.push_back(n);
                    }
                }
            }
            out.push(s);
        }
        out
    }

    fn configs() -> Vec<Config> {
        let mut out = Vec::new();
        for sc in crate::sim::scenarios::builtin().expect("built-in scenarios") {
            let mut knob_sets = vec![sc.default_settings().knobs];
            knob_sets.push(sc.knobs.iter().map(|k| k.min).collect());
            knob_sets.push(sc.knobs.iter().map(|k| (k.min + k.max) / 2).collect());
            for knobs in knob_sets {
                for bits in 0..1usize << sc.switches.len() {
                    let switches = (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect();
                    out.push(
                        crate::sim::compile(
                            &sc,
                            &Settings {
                                switches,
                                knobs: knobs.clone(),
                            },
                        )
                        .expect("compiles"),
                    );
                }
            }
        }
        out
    }

    #[test]
    fn packing_round_trips_and_deadlocked_mask_matches_the_wait_graph() {
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
                assert_eq!(
                    cfg.deadlocked_mask(s, movable(&cfg.enabled(s))),
                    cfg.wait_graph(s).deadlocked,
                    "state {s:?}"
                );
                checked += 1;
            }
            // Distinct states, (almost surely) distinct hashes.
            assert!(hashes.len() + 2 >= states.len());
        }
        assert!(checked > 10_000, "only {checked} states checked");
    }

    #[test]
    fn table_finds_what_it_holds_through_growth() {
        let mut t = Table::with_capacity(16);
        let hash = |i: u64| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7) << 20; // many shared top bits
        for i in 0..5000u32 {
            assert_eq!(t.find(hash(i as u64), |id| id == i), None);
            t.insert(hash(i as u64), i);
        }
        for i in 0..5000u32 {
            assert_eq!(t.find(hash(i as u64), |id| id == i), Some(i));
        }
    }
}

/// One cell of the fix matrix: the switch values and what the explorer found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub switches: Vec<bool>,
    pub exploration: Exploration,
}

/// The explorer run for every combination of a scenario's switches, knobs held fixed. Cell `i`
/// has switch `j` on when bit `j` of `i` is set.
pub fn fix_matrix(
    sc: &Scenario,
    knobs: &[i64],
    limit: usize,
) -> Result<Vec<MatrixCell>, ScenarioError> {
    let n = sc.switches.len();
    (0..1usize << n)
        .map(|bits| {
            let switches: Vec<bool> = (0..n).map(|j| bits >> j & 1 == 1).collect();
            let cfg = super::compile(
                sc,
                &Settings {
                    switches: switches.clone(),
                    knobs: knobs.to_vec(),
                },
            )?;
            Ok(MatrixCell {
                switches,
                exploration: explore(&cfg, limit),
            })
        })
        .collect()
}
