//! A configuration: one scenario with its switches and knobs fixed, compiled to flat code.
//! Switch and knob conditions are resolved here, so the run-time state never carries them.
//!
//! - `instr`: the instruction set (`Op`, `Instr`, `Case`, `Timeout`, `Msg`) and the compiled
//!   parts (`Resource`, `ResKind`, `Process`, `Actor`, `Selector`, `How`);
//! - `lower`: `compile`, as named passes over the scenario; `ctx` holds what they share and
//!   `emit` flattens one actor's program; `selector` reads the narrative's steps;
//! - `analysis`: the control-flow analyses compiling runs (`successors`, loops, reachability);
//! - `symmetry`: which actors are interchangeable (`Actor::class`), for the explorer.
//!
//! Where `Config`'s methods live (each next to the concern it serves):
//! - here: look-ups (`actor_index`, `resource_index`, `string`, `say`, `message`);
//! - `model`: the step function (`init`, `op`, `chan_len`, `chan_items`, `capacity`, `holder`,
//!   `flag`, `is_done`, `can_proceed`, `status`, `enabled`, `enabled_into`, `next_deadline`,
//!   `step`, `step_into`);
//! - `graph`: the wait-for graph (`waits`, `wait_graph`);
//! - the `explore` module's outcome classification: `outcome` (and the explorer's allocation-free
//!   `deadlocked_mask`);
//! - `narrate`: sentences (`actor_label`, `res_label`, `wait_reason`, `blocked_on`, `narrate`,
//!   `explain_cycle`, `outcome_text`, `op_summary`, `status_line`, `message_short`);
//! - `dump`: thread dumps (`stack`, `dump`).
mod analysis;
mod ctx;
mod emit;
mod instr;
mod lower;
mod selector;
mod symmetry;

pub use analysis::successors;
pub use instr::*;
pub use lower::compile;

use crate::sim::spec::Settings;

pub const MAX_RESOURCES: usize = 64;
pub const MAX_ACTORS: usize = 64;
pub const MAX_REGS: usize = 3;
pub const MAX_CAPACITY: i64 = 64;

#[derive(Clone, Debug)]
pub struct Config {
    /// The scenario's title (the rest of the scenario is compiled into the fields below; a Config
    /// does not keep a copy of it).
    pub title: String,
    /// The scenario's narrative as written (for messages about a step that does not fit).
    pub narrative_text: Vec<String>,
    pub settings: Settings,
    pub processes: Vec<Process>,
    pub resources: Vec<Resource>,
    pub actors: Vec<Actor>,
    /// Message tags (index = tag byte).
    pub messages: Vec<String>,
    /// Each tag's human name from the scenario's `messages` table (the tag itself when it has
    /// none).
    pub message_names: Vec<String>,
    /// Interned strings: frame names, narration keys, act labels, exit reasons, case labels.
    pub strings: Vec<String>,
    /// Narration sentences (`Instr::say`, `Case::say` and `Timeout::say` index these).
    pub says: Vec<Say>,
    pub narrative: Vec<Selector>,
    /// Bytes of `State::mem` (channel contents and lock holders).
    pub mem_len: usize,
}

impl Config {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
    pub fn resource_index(&self, id: &str) -> Option<usize> {
        self.resources.iter().position(|r| r.id == id)
    }
    pub fn string(&self, i: u16) -> &str {
        &self.strings[i as usize]
    }
    /// The narration of a `say` index at the moment before a step in state `s`: the first
    /// variant whose conditions hold there, if any.
    pub fn say(&self, i: u16, s: &crate::sim::State) -> Option<&str> {
        let say = self.says.get(i as usize)?;
        let v = say
            .variants
            .iter()
            .find(|v| v.when.iter().all(|m| self.moment(m, s)))?;
        Some(self.string(v.text))
    }

    fn moment(&self, m: &Moment, s: &crate::sim::State) -> bool {
        match m {
            Moment::Done { actor, holds } => {
                self.actor_index(actor).is_some_and(|a| self.is_done(s, a)) == *holds
            }
            Moment::Flag { res, holds } => self.flag(s, *res as usize) == *holds,
        }
    }
    /// A message tag's human name.
    pub fn message(&self, tag: u8) -> &str {
        self.message_names
            .get(tag as usize)
            .map_or("?", String::as_str)
    }
}
