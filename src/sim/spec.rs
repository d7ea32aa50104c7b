//! Scenario files: the serde data an incident is written in. Nothing here runs; `compile`
//! turns a [`Scenario`] plus switch and knob values into an executable [`crate::sim::Config`].
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One incident, as written in `assets/scenarios/*.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    /// Short tag shown in the picker, e.g. "A".
    pub tag: String,
    pub title: String,
    /// A one-line summary for the picker.
    pub summary: String,
    /// Introduction paragraphs, in the project's own words.
    pub intro: Vec<String>,
    pub credit: Credit,
    #[serde(default)]
    pub switches: Vec<Switch>,
    #[serde(default)]
    pub knobs: Vec<Knob>,
    /// Named lists of words, used by `for_each` and by `replicate.vars`.
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
    pub processes: Vec<ProcessSpec>,
    pub resources: Vec<ResourceSpec>,
    pub actors: Vec<ActorSpec>,
    /// Human names for message tags; a tag without one is shown as written.
    #[serde(default)]
    pub messages: BTreeMap<String, String>,
    /// The write-up's story as a schedule: one selector per step (see `Selector`).
    pub narrative: Vec<String>,
    /// Narration sentences, referenced by `say` keys on operations: one sentence, or variants
    /// of it for different settings and moments (see `Sentence`).
    #[serde(default)]
    pub narration: BTreeMap<String, Sentence>,
    /// What each fix teaches, shown when the fix matrix is explained.
    #[serde(default)]
    pub lessons: Vec<String>,
    /// Goals for a student who chooses the schedule; the app judges them by running the model.
    #[serde(default)]
    pub challenges: Vec<Challenge>,
    /// A guided lesson: chapters a teacher walks through, each at a step of the story.
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    /// FNV-1a of the text it was read from (`parse_json`), for links: a link made for other
    /// content says so instead of showing a run that may differ.
    #[serde(skip)]
    pub hash: u32,
}

/// One chapter of a lesson: text, the switches and story step it shows, and maybe a question.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub title: String,
    pub text: String,
    /// The story's step shown (0 is the start); a `u32`, so wasm and native accept the same files.
    #[serde(default)]
    pub at: u32,
    /// Switches flipped from their shipped setting, by id.
    #[serde(default)]
    pub flip: Vec<String>,
    /// What the class is asked here; the model computes the answer.
    #[serde(default)]
    pub ask: Option<Ask>,
    /// Actors and resources the chapter points at in both drawings, by id.
    #[serde(default)]
    pub show: Vec<String>,
}

/// A kind of question. A lesson only says what to ask where; the answer comes from the run and
/// the explorer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Ask {
    /// Which actor takes the story's next step?
    NextActor {},
    /// Does turning this switch on mean no order can close a wait-for cycle?
    FixBreaks { fix: String },
    /// At which step of the story does the cycle close?
    CycleStep {},
}

/// One goal for a student who chooses the schedule ("make it deadlock").
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub goal: Goal,
    /// The goal in the scenario's words, shown as the challenge.
    pub text: String,
    /// Only counts at the shipped switches and knobs.
    #[serde(default)]
    pub shipped: bool,
}

/// What a challenge asks of the run the student made.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// A wait-for cycle closes.
    Deadlock,
    /// A wait-for cycle closes in no more steps than the explorer's shortest.
    FewestDeadlock,
    /// The run ends with every request served.
    AllServed,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    pub title: String,
    /// Who wrote it; empty when the write-up does not say.
    #[serde(default)]
    pub author: String,
    /// What kind of write-up it is, for a credit without an author ("a developer's blog post").
    #[serde(default)]
    pub about: String,
    pub note: String,
}

impl Credit {
    /// The credit line: "Drawn from “T” by A. Note" or, without an author, "Drawn from “T”, a
    /// developer's blog post. Note".
    pub fn sentence(&self) -> String {
        let by = match (self.author.is_empty(), self.about.is_empty()) {
            (false, _) => format!(" by {}", self.author),
            (true, false) => format!(", {}", self.about),
            (true, true) => String::new(),
        };
        format!("Drawn from “{}”{by}. {}", self.title, self.note)
    }
}

/// A narration sentence: one text, or variants, of which the first whose `when` holds is said
/// (none holding: nothing is said).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Sentence {
    One(String),
    Variants(Vec<Variant>),
}

/// One variant of a sentence. `when` is a list of conditions joined by `&`: a switch or knob
/// condition as `if` takes it (chosen when compiling), or a condition on the moment it is said,
/// checked in the state before the step: `done:ACTOR` (the actor has finished) or `flag:FLAG`
/// (the flag is set), each negated by a leading `!`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    #[serde(default)]
    pub when: Option<String>,
    pub text: String,
}

/// By hand, as for `Value`: a string or a list of variants.
impl<'de> Deserialize<'de> for Sentence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sentence, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Sentence;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sentence or a list of {\"when\", \"text\"} variants")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Sentence, E> {
                Ok(Sentence::One(s.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Sentence, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<Variant>()? {
                    out.push(v);
                }
                Ok(Sentence::Variants(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A yes/no choice the user flips. `fix: true` means "on" is the remedy; `fix: false` means "on"
/// is the risky setting (e.g. a library default that blocks).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    pub id: String,
    pub label: String,
    pub help: String,
    #[serde(default)]
    pub default: bool,
    #[serde(default = "yes")]
    pub fix: bool,
}

fn yes() -> bool {
    true
}

/// A number the user chooses. With `options`, the UI offers exactly those values.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Knob {
    pub id: String,
    pub label: String,
    pub help: String,
    pub min: i64,
    pub max: i64,
    pub default: i64,
    #[serde(default)]
    pub unit: String,
    /// The unit after a value of 1 ("template"); the unit without its final "s" when absent.
    #[serde(default)]
    pub unit_one: Option<String>,
    #[serde(default)]
    pub options: Vec<KnobOption>,
}

impl Knob {
    /// A value with its unit, singular for 1: "1 template", "3 templates", "200 ms".
    pub fn value_text(&self, v: i64) -> String {
        let unit = match (&self.unit_one, v) {
            (Some(one), 1) => one.as_str(),
            (None, 1) => self.unit.strip_suffix('s').unwrap_or(&self.unit),
            _ => self.unit.as_str(),
        };
        if unit.is_empty() {
            v.to_string()
        } else {
            format!("{v} {unit}")
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KnobOption {
    pub value: i64,
    pub label: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProcessSpec {
    pub id: String,
    pub label: String,
    /// Drawing and dump style: "go", "c", "jvm", "client", "store".
    pub kind: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// A bounded FIFO buffer: sending blocks when full, receiving when empty.
    Channel,
    /// A mutual-exclusion lock with one holder.
    Lock,
    /// A boolean that actors can set, clear and wait for (a latch, a health check).
    Flag,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    /// May contain `{var}` when `for_each` is given.
    pub id: String,
    pub kind: ResourceKind,
    pub label: String,
    /// Which process draws it (optional).
    #[serde(default)]
    pub process: Option<String>,
    /// Channel capacity (a number or `"$knob"`).
    #[serde(default)]
    pub capacity: Option<Value>,
    /// Flags: initially set.
    #[serde(default)]
    pub initial: bool,
    /// Present only when this switch/knob condition holds (same syntax as `if`).
    #[serde(default)]
    pub when: Option<String>,
    /// Create one resource per word of a list: `{"var": "key", "in": "templates"}`.
    #[serde(default)]
    pub for_each: Option<ForEachSpec>,
    /// The name used for the object in thread dumps, e.g.
    /// `java.util.concurrent.ConcurrentHashMap$Node`.
    #[serde(default)]
    pub dump_name: Option<String>,
    /// The dump name while none of the flags `empty_unless` is set (e.g. a hash-map bin that
    /// holds no entry, locked through `ConcurrentHashMap$ReservationNode`).
    #[serde(default)]
    pub empty_name: Option<String>,
    #[serde(default)]
    pub empty_unless: Vec<String>,
    /// Another resource's id: this id is one more name for that resource (two hash-map keys
    /// that land in one bin share its lock).
    #[serde(default)]
    pub same_as: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ForEachSpec {
    pub var: String,
    #[serde(rename = "in")]
    pub list: String,
    /// How many words of the list to use (a number or `"$knob"`); all when absent.
    #[serde(default)]
    pub take: Option<Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    /// May contain `{n}` (1-based replica number) and `{var}` from `replicate.vars`.
    pub id: String,
    pub label: String,
    pub process: String,
    /// A server loop that may wait for work forever without that being a failure.
    #[serde(default)]
    pub daemon: bool,
    /// The outermost stack frame for dumps, e.g. `main.main` or `java.lang.Thread.run`.
    #[serde(default)]
    pub root_frame: Option<String>,
    /// Present only when this switch/knob condition holds (same syntax as `if`).
    #[serde(default)]
    pub when: Option<String>,
    /// The thread or goroutine name in dumps (may use `{n}` and replica variables).
    #[serde(default)]
    pub thread: Option<String>,
    /// What sentences call it, e.g. "the main goroutine" (may use the replica's variables);
    /// the label when absent.
    #[serde(default)]
    pub called: Option<String>,
    #[serde(default)]
    pub replicate: Option<Replicate>,
    pub program: Vec<OpSpec>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replicate {
    pub count: Value,
    /// `{"key": {"from": "requested", "cycle": "$keys"}}`: replica n takes word (n-1) mod cycle.
    #[serde(default)]
    pub vars: BTreeMap<String, ReplicaVar>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReplicaVar {
    pub from: String,
    #[serde(default)]
    pub cycle: Option<Value>,
}

/// A number, or `"$name"` naming a knob.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Ref(String),
}

/// By hand rather than `#[serde(untagged)]`, whose derived reader buffers the value in serde's
/// generic `Content` tree first (several KB of code for two cases).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number or a \"$knob\" name")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Int(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Value, E> {
                i64::try_from(n)
                    .map(Value::Int)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
                Ok(Value::Ref(s.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TimeoutSpec {
    /// Simulated milliseconds (a number or `"$knob"`).
    pub ms: Value,
    /// The error path taken when the timer fires; afterwards the program continues after the
    /// timed operation (unless the path exits, returns or finishes).
    #[serde(default)]
    pub then: Vec<OpSpec>,
    #[serde(default)]
    pub say: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    pub recv: String,
    pub label: String,
    #[serde(default)]
    pub then: Vec<OpSpec>,
    #[serde(default)]
    pub say: Option<String>,
}

/// One operation of an actor's program. Visible operations are steps; control flow
/// (`repeat`, `loop`, `if*`, `call`, `for_each`, `return`, `finish`) takes no step of its own.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum OpSpec {
    Send {
        to: String,
        /// A message tag, or `"$last"` for the message this actor last received.
        msg: String,
        #[serde(default)]
        timeout: Option<TimeoutSpec>,
        #[serde(default)]
        say: Option<String>,
    },
    Recv {
        from: String,
        #[serde(default)]
        timeout: Option<TimeoutSpec>,
        #[serde(default)]
        say: Option<String>,
    },
    Select {
        cases: Vec<CaseSpec>,
    },
    Lock {
        lock: String,
        #[serde(default)]
        timeout: Option<TimeoutSpec>,
        #[serde(default)]
        say: Option<String>,
    },
    Unlock {
        lock: String,
        #[serde(default)]
        say: Option<String>,
    },
    Set {
        flag: String,
        #[serde(default)]
        say: Option<String>,
    },
    Clear {
        flag: String,
        #[serde(default)]
        say: Option<String>,
    },
    Await {
        flag: String,
        #[serde(default)]
        timeout: Option<TimeoutSpec>,
        #[serde(default)]
        say: Option<String>,
    },
    Sleep {
        ms: Value,
        #[serde(default)]
        say: Option<String>,
    },
    /// A visible step that touches no resource (e.g. "renders the page").
    Act {
        label: String,
        #[serde(default)]
        say: Option<String>,
    },
    /// Count one failed request (the client got an error) and go on.
    Fail {
        #[serde(default)]
        say: Option<String>,
    },
    /// The whole process exits: the run ends as crashed.
    Exit {
        reason: String,
        #[serde(default)]
        say: Option<String>,
    },
    Repeat {
        times: Value,
        body: Vec<OpSpec>,
    },
    Loop {
        body: Vec<OpSpec>,
    },
    /// Chosen when the configuration is built: `cond` names a switch or knob (`!name` negates;
    /// a knob counts as true when non-zero).
    If {
        cond: String,
        #[serde(default)]
        then: Vec<OpSpec>,
        #[serde(default, rename = "else")]
        otherwise: Vec<OpSpec>,
    },
    /// Chosen at run time on the message this actor last received.
    IfMsg {
        msg: String,
        #[serde(default)]
        then: Vec<OpSpec>,
        #[serde(default, rename = "else")]
        otherwise: Vec<OpSpec>,
    },
    /// Chosen at run time on a flag.
    IfFlag {
        flag: String,
        #[serde(default)]
        then: Vec<OpSpec>,
        #[serde(default, rename = "else")]
        otherwise: Vec<OpSpec>,
    },
    /// A named stack frame around its body, for thread dumps; `return` leaves it.
    Call {
        frame: String,
        body: Vec<OpSpec>,
    },
    ForEach {
        var: String,
        #[serde(rename = "in")]
        list: String,
        #[serde(default)]
        take: Option<Value>,
        body: Vec<OpSpec>,
    },
    Return {},
    Finish {},
}

impl OpSpec {
    /// The JSON tag of this operation, for error messages.
    pub fn name(&self) -> &'static str {
        match self {
            OpSpec::Send { .. } => "send",
            OpSpec::Recv { .. } => "recv",
            OpSpec::Select { .. } => "select",
            OpSpec::Lock { .. } => "lock",
            OpSpec::Unlock { .. } => "unlock",
            OpSpec::Set { .. } => "set",
            OpSpec::Clear { .. } => "clear",
            OpSpec::Await { .. } => "await",
            OpSpec::Sleep { .. } => "sleep",
            OpSpec::Act { .. } => "act",
            OpSpec::Fail { .. } => "fail",
            OpSpec::Exit { .. } => "exit",
            OpSpec::Repeat { .. } => "repeat",
            OpSpec::Loop { .. } => "loop",
            OpSpec::If { .. } => "if",
            OpSpec::IfMsg { .. } => "if_msg",
            OpSpec::IfFlag { .. } => "if_flag",
            OpSpec::Call { .. } => "call",
            OpSpec::ForEach { .. } => "for_each",
            OpSpec::Return {} => "return",
            OpSpec::Finish {} => "finish",
        }
    }
}

/// Why a scenario could not be used. `place` names where (a JSON line/column, or a path such as
/// `actors[2] "main" program[0].select.cases[1]`), `problem` says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub place: String,
    pub problem: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses a scenario file. Malformed JSON or wrong fields give an error naming the line and
    /// column; the result is then checked by compiling it at its default settings, so unknown
    /// names, bad knob ranges and unreplayable narratives are caught here too.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario = Scenario::parse_json(text)?;
        scenario.check()?;
        Ok(scenario)
    }

    /// Parses without `check`: only for the built-in files, which the tests check (checking them
    /// at start-up would delay the first frame).
    pub fn parse_json(text: &str) -> Result<Scenario, ScenarioError> {
        let located = |at: usize, problem: String| {
            let (line, column) = super::json::locate(text, at);
            ScenarioError {
                place: format!("line {line}, column {column}"),
                problem,
            }
        };
        let tree = super::json::parse(text).map_err(|e| located(e.at, e.problem.into()))?;
        let mut sc = super::read::scenario(&tree).map_err(|f| located(f.at, f.msg))?;
        sc.hash = Scenario::hash_of(text);
        Ok(sc)
    }

    /// FNV-1a (32 bits) of a scenario file's text.
    pub fn hash_of(text: &str) -> u32 {
        (text.bytes()).fold(0x811c_9dc5, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
    }

    /// Checks everything that does not depend on switch/knob values, then compiles the default
    /// configuration (which checks names and programs).
    pub fn check(&self) -> Result<(), ScenarioError> {
        if self.id.trim().is_empty() {
            return err("id".into(), "must not be empty".into());
        }
        self.check_controls()?;
        self.check_processes()?;
        self.check_says()?;
        let settings = self.default_settings();
        let cfg = crate::sim::compile(self, &settings)?;
        crate::sim::run::check_narrative(&cfg).map_err(|problem| ScenarioError {
            place: "narrative".into(),
            problem,
        })?;
        self.check_chapters()
    }

    /// Switches and knobs: one name each (across both), knob ranges, at most 8 switches.
    fn check_controls(&self) -> Result<(), ScenarioError> {
        // Names seen so far: short lists (a set type would add its own code to the wasm).
        let mut seen: Vec<&str> = Vec::new();
        for (i, s) in self.switches.iter().enumerate() {
            if !super::first_time(&mut seen, s.id.as_str()) {
                return err(
                    format!("switches[{i}]"),
                    format!("the name \"{}\" is used twice", s.id),
                );
            }
        }
        for (i, k) in self.knobs.iter().enumerate() {
            if !super::first_time(&mut seen, k.id.as_str()) {
                return err(
                    format!("knobs[{i}]"),
                    format!("the name \"{}\" is used twice", k.id),
                );
            }
            check_knob(i, k)?;
        }
        if self.switches.len() > 8 {
            return err(
                "switches".into(),
                "at most 8 switches (the fix matrix has 2^n cells)".into(),
            );
        }
        Ok(())
    }

    /// One name per process, and at least one process and one actor.
    fn check_processes(&self) -> Result<(), ScenarioError> {
        let mut pids: Vec<&str> = Vec::new();
        for (i, p) in self.processes.iter().enumerate() {
            if !super::first_time(&mut pids, p.id.as_str()) {
                return err(
                    format!("processes[{i}]"),
                    format!("the name \"{}\" is used twice", p.id),
                );
            }
        }
        if self.processes.is_empty() || self.actors.is_empty() {
            return err(
                "processes/actors".into(),
                "a scenario needs at least one process and one actor".into(),
            );
        }
        Ok(())
    }

    /// Every `say` key has its narration text.
    fn check_says(&self) -> Result<(), ScenarioError> {
        for (i, a) in self.actors.iter().enumerate() {
            for key in says(&a.program) {
                if !self.narration.contains_key(key) {
                    return err(
                        format!("actors[{i}] \"{}\"", a.id),
                        format!("say key \"{key}\" has no narration text"),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn default_settings(&self) -> Settings {
        Settings {
            switches: self.switches.iter().map(|s| s.default).collect(),
            knobs: self.knobs.iter().map(|k| k.default).collect(),
        }
    }

    pub fn switch_index(&self, id: &str) -> Option<usize> {
        self.switches.iter().position(|s| s.id == id)
    }

    pub fn knob_index(&self, id: &str) -> Option<usize> {
        self.knobs.iter().position(|k| k.id == id)
    }
}

fn err(place: String, problem: String) -> Result<(), ScenarioError> {
    Err(ScenarioError { place, problem })
}

/// min <= default <= max, and every option within min..max.
fn check_knob(i: usize, k: &Knob) -> Result<(), ScenarioError> {
    if k.min > k.max || k.default < k.min || k.default > k.max {
        return err(
            format!("knobs[{i}] \"{}\"", k.id),
            format!(
                "needs min <= default <= max (got {} <= {} <= {})",
                k.min, k.default, k.max
            ),
        );
    }
    if let Some(o) = k
        .options
        .iter()
        .find(|o| o.value < k.min || o.value > k.max)
    {
        return err(
            format!("knobs[{i}] \"{}\"", k.id),
            format!("option {} is outside min..max", o.value),
        );
    }
    Ok(())
}

/// Every `say` key used in a program, including timeout paths and select cases.
fn says(ops: &[OpSpec]) -> Vec<&str> {
    let mut out = Vec::new();
    fn timeout<'a>(t: &'a Option<TimeoutSpec>, out: &mut Vec<&'a str>) {
        if let Some(t) = t {
            out.extend(t.say.as_deref());
            out.extend(says(&t.then));
        }
    }
    for op in ops {
        match op {
            OpSpec::Send {
                timeout: t, say, ..
            }
            | OpSpec::Recv {
                timeout: t, say, ..
            }
            | OpSpec::Lock {
                timeout: t, say, ..
            }
            | OpSpec::Await {
                timeout: t, say, ..
            } => {
                out.extend(say.as_deref());
                timeout(t, &mut out);
            }
            OpSpec::Unlock { say, .. }
            | OpSpec::Set { say, .. }
            | OpSpec::Clear { say, .. }
            | OpSpec::Sleep { say, .. }
            | OpSpec::Act { say, .. }
            | OpSpec::Fail { say }
            | OpSpec::Exit { say, .. } => out.extend(say.as_deref()),
            OpSpec::Select { cases } => {
                for c in cases {
                    out.extend(c.say.as_deref());
                    out.extend(says(&c.then));
                }
            }
            OpSpec::Repeat { body, .. }
            | OpSpec::Loop { body }
            | OpSpec::Call { body, .. }
            | OpSpec::ForEach { body, .. } => out.extend(says(body)),
            OpSpec::If {
                then, otherwise, ..
            }
            | OpSpec::IfMsg {
                then, otherwise, ..
            }
            | OpSpec::IfFlag {
                then, otherwise, ..
            } => {
                out.extend(says(then));
                out.extend(says(otherwise));
            }
            OpSpec::Return {} | OpSpec::Finish {} => {}
        }
    }
    out
}

/// The values of a scenario's switches and knobs, in declaration order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Settings {
    pub switches: Vec<bool>,
    pub knobs: Vec<i64>,
}
