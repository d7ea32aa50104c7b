//! Reads a scenario from the JSON tree (`json::Node`) by hand, with the rules serde's derived
//! readers follow for the same types (`spec.rs` keeps its derives: serde_json reads the same files
//! in the tests, which check that both agree). By hand because the derived readers, one large
//! visitor per type, were the biggest part of the wasm after the UI framework.
//!
//! The rules: an object's unknown or repeated field is an error, as is a missing field unless it
//! has a default or is optional; an optional field may be `null`; an enum is `"name"` or
//! `{"name": {...}}`.
//!
//! The first problem found is kept and reading goes on with placeholder values (an empty string,
//! a missing object read as having no fields), so no reader returns early: an early return out
//! of a half-built value needs drop code for every field built so far, and that code was most of
//! the reader's size.
use super::json::{Json, Node};
use super::spec::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A problem and the byte offset of the value it is about.
pub struct Fail {
    pub at: usize,
    pub msg: String,
}

/// Where the first problem is kept while reading goes on.
#[derive(Default)]
struct Cx {
    first: RefCell<Option<Fail>>,
}

impl Cx {
    fn fail(&self, at: usize, msg: String) {
        self.first.borrow_mut().get_or_insert(Fail { at, msg });
    }
    fn wrong(&self, n: &Node, expected: &str) {
        self.fail(
            n.at,
            format!("invalid type: {}, expected {expected}", what(n)),
        );
    }
}

/// A reader of one type.
type Read<T> = fn(&Cx, &Node) -> T;

/// What a missing field is read as, after its problem is noted.
static NULL: Node = Node {
    at: 0,
    v: Json::Null,
};

/// What a value is, in the words of serde's "invalid type" messages.
fn what(n: &Node) -> String {
    match &n.v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("boolean `{b}`"),
        Json::Int(i) => format!("integer `{i}`"),
        Json::Frac(t) => t.clone(),
        Json::Str(s) => format!("string \"{s}\""),
        Json::Arr(_) => "sequence".into(),
        Json::Obj(_) => "map".into(),
    }
}

fn string(cx: &Cx, n: &Node) -> String {
    match &n.v {
        Json::Str(s) => s.clone(),
        _ => {
            cx.wrong(n, "a string");
            String::new()
        }
    }
}

fn boolean(cx: &Cx, n: &Node) -> bool {
    match n.v {
        Json::Bool(b) => b,
        _ => {
            cx.wrong(n, "a boolean");
            false
        }
    }
}

fn int(cx: &Cx, n: &Node) -> i64 {
    match n.v {
        Json::Int(i) => i,
        _ => {
            cx.wrong(n, "i64");
            0
        }
    }
}

fn value(cx: &Cx, n: &Node) -> Value {
    match &n.v {
        Json::Int(i) => Value::Int(*i),
        Json::Str(s) => Value::Ref(s.clone()),
        _ => {
            cx.wrong(n, "a whole number or a \"$knob\" name");
            Value::Int(0)
        }
    }
}

// A loop rather than `collect` into a BTreeMap, which sorts first: sorting code is several KB.
fn list<T>(cx: &Cx, n: &Node, item: Read<T>) -> Vec<T> {
    match &n.v {
        Json::Arr(items) => items.iter().map(|i| item(cx, i)).collect(),
        _ => {
            cx.wrong(n, "a sequence");
            Vec::new()
        }
    }
}

/// A JSON object as a map; a repeated key keeps its last value.
fn map<T>(cx: &Cx, n: &Node, item: Read<T>) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    match &n.v {
        Json::Obj(members) => {
            for (k, v) in members {
                out.insert(k.clone(), item(cx, v));
            }
        }
        _ => cx.wrong(n, "a map"),
    }
    out
}

/// "`a`, `b`, `c`", for "expected one of" messages.
fn names(known: &[&str]) -> String {
    let quoted: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

/// An object whose fields are being read: checked up front for unknown and repeated names.
struct Obj<'a> {
    cx: &'a Cx,
    at: usize,
    members: &'a [(String, Node)],
}

/// `n` as an object with no fields other than `known`, each at most once (`kind` names the type
/// for a message about a value that is not an object, which then reads as having no fields).
fn obj<'a>(cx: &'a Cx, n: &'a Node, kind: &str, known: &[&str]) -> Obj<'a> {
    let Json::Obj(members) = &n.v else {
        cx.wrong(n, kind);
        return Obj {
            cx,
            at: n.at,
            members: &[],
        };
    };
    for (i, (k, v)) in members.iter().enumerate() {
        if !known.contains(&k.as_str()) {
            let msg = format!("unknown field `{k}`, expected one of {}", names(known));
            cx.fail(v.at, msg);
        } else if members[..i].iter().any(|(j, _)| j == k) {
            cx.fail(v.at, format!("duplicate field `{k}`"));
        }
    }
    Obj {
        cx,
        at: n.at,
        members,
    }
}

impl Obj<'_> {
    fn get(&self, name: &str) -> Option<&Node> {
        self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    /// A field that must be there (when it is not: a problem, and what `null` reads as).
    fn req<T>(&self, name: &str, read: Read<T>) -> T {
        let n = self.get(name).unwrap_or_else(|| {
            self.cx.fail(self.at, format!("missing field `{name}`"));
            &NULL
        });
        read(self.cx, n)
    }
    /// An optional field: absent or `null` is `None`.
    fn opt<T>(&self, name: &str, read: Read<T>) -> Option<T> {
        match self.get(name) {
            Some(n) if n.v != Json::Null => Some(read(self.cx, n)),
            _ => None,
        }
    }
    /// A field with a default: absent is `default`.
    fn or<T>(&self, name: &str, read: Read<T>, default: T) -> T {
        self.get(name).map_or(default, |n| read(self.cx, n))
    }
    fn or_default<T: Default>(&self, name: &str, read: Read<T>) -> T {
        self.or(name, read, T::default())
    }
}

/// A unit-only enum: `"name"` (or `{"name": null}`), one of `variants` (the first when it is
/// not one of them).
fn unit_enum(cx: &Cx, n: &Node, kind: &str, variants: &[&str]) -> usize {
    let (name, at) = match &n.v {
        Json::Str(s) => (s.as_str(), n.at),
        Json::Obj(m) if m.len() == 1 && m[0].1.v == Json::Null => (m[0].0.as_str(), m[0].1.at),
        Json::Obj(m) if m.len() == 1 => {
            cx.wrong(&m[0].1, "unit variant");
            return 0;
        }
        _ => {
            cx.wrong(n, "a name, or an object with a single key");
            return 0;
        }
    };
    variants.iter().position(|v| *v == name).unwrap_or_else(|| {
        let expected = names(variants);
        cx.fail(
            at,
            format!("unknown variant `{name}`, expected one of {expected} (in {kind})"),
        );
        0
    })
}

/// Reads a whole scenario file's tree; the error is the first problem found.
pub fn scenario(n: &Node) -> Result<Scenario, Fail> {
    let cx = Cx::default();
    let sc = read_scenario(&cx, n);
    match cx.first.into_inner() {
        Some(f) => Err(f),
        None => Ok(sc),
    }
}

fn read_scenario(cx: &Cx, n: &Node) -> Scenario {
    let o = obj(cx, n, "struct Scenario", SCENARIO_FIELDS);
    Scenario {
        id: o.req("id", string),
        tag: o.req("tag", string),
        title: o.req("title", string),
        summary: o.req("summary", string),
        intro: o.req("intro", |cx, n| list(cx, n, string)),
        credit: o.req("credit", credit),
        switches: o.or_default("switches", |cx, n| list(cx, n, switch)),
        knobs: o.or_default("knobs", |cx, n| list(cx, n, knob)),
        lists: o.or_default("lists", |cx, n| map(cx, n, |cx, n| list(cx, n, string))),
        processes: o.req("processes", |cx, n| list(cx, n, process)),
        resources: o.req("resources", |cx, n| list(cx, n, resource)),
        actors: o.req("actors", |cx, n| list(cx, n, actor)),
        messages: o.or_default("messages", |cx, n| map(cx, n, string)),
        narrative: o.req("narrative", |cx, n| list(cx, n, string)),
        narration: o.or_default("narration", |cx, n| map(cx, n, sentence)),
        lessons: o.or_default("lessons", |cx, n| list(cx, n, string)),
        challenges: o.or_default("challenges", |cx, n| list(cx, n, challenge)),
        chapters: o.or_default("chapters", |cx, n| list(cx, n, chapter)),
        hash: 0,
    }
}

const SCENARIO_FIELDS: &[&str] = &[
    "id",
    "tag",
    "title",
    "summary",
    "intro",
    "credit",
    "switches",
    "knobs",
    "lists",
    "processes",
    "resources",
    "actors",
    "messages",
    "narrative",
    "narration",
    "lessons",
    "challenges",
    "chapters",
];

fn credit(cx: &Cx, n: &Node) -> Credit {
    let o = obj(
        cx,
        n,
        "struct Credit",
        &["title", "author", "about", "note"],
    );
    Credit {
        title: o.req("title", string),
        author: o.or_default("author", string),
        about: o.or_default("about", string),
        note: o.req("note", string),
    }
}

fn challenge(cx: &Cx, n: &Node) -> Challenge {
    let o = obj(cx, n, "struct Challenge", &["goal", "text", "shipped"]);
    Challenge {
        goal: o.req("goal", goal),
        text: o.req("text", string),
        shipped: o.or_default("shipped", boolean),
    }
}

fn chapter(cx: &Cx, n: &Node) -> Chapter {
    let known = ["title", "text", "at", "flip", "ask", "show"];
    let o = obj(cx, n, "struct Chapter", &known);
    Chapter {
        title: o.req("title", string),
        text: o.req("text", string),
        at: o.or_default("at", step),
        flip: o.or_default("flip", |cx, n| list(cx, n, string)),
        ask: o.opt("ask", ask),
        show: o.or_default("show", |cx, n| list(cx, n, string)),
    }
}

/// A step number: a whole number that fits a `u32`.
fn step(cx: &Cx, n: &Node) -> u32 {
    match n.v {
        Json::Int(i) => u32::try_from(i).unwrap_or_else(|_| {
            cx.fail(n.at, format!("invalid value: integer `{i}`, expected u32"));
            0
        }),
        _ => {
            cx.wrong(n, "u32");
            0
        }
    }
}

/// `{"next_actor": {}}`, `{"fix_breaks": {"fix": "split"}}` or `{"cycle_step": {}}`.
fn ask(cx: &Cx, n: &Node) -> Ask {
    let kinds = ["next_actor", "fix_breaks", "cycle_step"];
    let (name, body) = match &n.v {
        Json::Obj(m) if m.len() == 1 => (m[0].0.as_str(), &m[0].1),
        _ => {
            cx.wrong(n, "a name, or an object with a single key");
            return Ask::NextActor {};
        }
    };
    let k = kinds.iter().position(|x| *x == name).unwrap_or_else(|| {
        let msg = format!(
            "unknown variant `{name}`, expected one of {}",
            names(&kinds)
        );
        cx.fail(body.at, msg);
        0
    });
    let fields: &[&str] = if k == 1 { &["fix"] } else { &[] };
    let o = obj(cx, body, "struct variant", fields);
    match k {
        1 => Ask::FixBreaks {
            fix: o.req("fix", string),
        },
        2 => Ask::CycleStep {},
        _ => Ask::NextActor {},
    }
}

fn goal(cx: &Cx, n: &Node) -> Goal {
    let goals = [Goal::Deadlock, Goal::FewestDeadlock, Goal::AllServed];
    goals[unit_enum(
        cx,
        n,
        "Goal",
        &["deadlock", "fewest_deadlock", "all_served"],
    )]
}

fn sentence(cx: &Cx, n: &Node) -> Sentence {
    match &n.v {
        Json::Str(s) => Sentence::One(s.clone()),
        Json::Arr(_) => Sentence::Variants(list(cx, n, variant)),
        _ => {
            cx.wrong(n, "a sentence or a list of {\"when\", \"text\"} variants");
            Sentence::One(String::new())
        }
    }
}

fn variant(cx: &Cx, n: &Node) -> Variant {
    let o = obj(cx, n, "struct Variant", &["when", "text"]);
    Variant {
        when: o.opt("when", string),
        text: o.req("text", string),
    }
}

fn switch(cx: &Cx, n: &Node) -> Switch {
    let o = obj(
        cx,
        n,
        "struct Switch",
        &["id", "label", "help", "default", "fix"],
    );
    Switch {
        id: o.req("id", string),
        label: o.req("label", string),
        help: o.req("help", string),
        default: o.or_default("default", boolean),
        fix: o.or("fix", boolean, true),
    }
}

fn knob(cx: &Cx, n: &Node) -> Knob {
    let known = [
        "id", "label", "help", "min", "max", "default", "unit", "unit_one", "options",
    ];
    let o = obj(cx, n, "struct Knob", &known);
    Knob {
        id: o.req("id", string),
        label: o.req("label", string),
        help: o.req("help", string),
        min: o.req("min", int),
        max: o.req("max", int),
        default: o.req("default", int),
        unit: o.or_default("unit", string),
        unit_one: o.opt("unit_one", string),
        options: o.or_default("options", |cx, n| list(cx, n, knob_option)),
    }
}

fn knob_option(cx: &Cx, n: &Node) -> KnobOption {
    let o = obj(cx, n, "struct KnobOption", &["value", "label"]);
    KnobOption {
        value: o.req("value", int),
        label: o.req("label", string),
    }
}

fn process(cx: &Cx, n: &Node) -> ProcessSpec {
    let o = obj(cx, n, "struct ProcessSpec", &["id", "label", "kind"]);
    ProcessSpec {
        id: o.req("id", string),
        label: o.req("label", string),
        kind: o.req("kind", string),
    }
}

const RESOURCE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "label",
    "process",
    "capacity",
    "initial",
    "when",
    "for_each",
    "dump_name",
    "empty_name",
    "empty_unless",
    "same_as",
];

fn resource(cx: &Cx, n: &Node) -> ResourceSpec {
    let o = obj(cx, n, "struct ResourceSpec", RESOURCE_FIELDS);
    ResourceSpec {
        id: o.req("id", string),
        kind: o.req("kind", resource_kind),
        label: o.req("label", string),
        process: o.opt("process", string),
        capacity: o.opt("capacity", value),
        initial: o.or_default("initial", boolean),
        when: o.opt("when", string),
        for_each: o.opt("for_each", for_each),
        dump_name: o.opt("dump_name", string),
        empty_name: o.opt("empty_name", string),
        empty_unless: o.or_default("empty_unless", |cx, n| list(cx, n, string)),
        same_as: o.opt("same_as", string),
    }
}

fn resource_kind(cx: &Cx, n: &Node) -> ResourceKind {
    let kinds = [
        ResourceKind::Channel,
        ResourceKind::Lock,
        ResourceKind::Flag,
    ];
    kinds[unit_enum(cx, n, "ResourceKind", &["channel", "lock", "flag"])].clone()
}

fn for_each(cx: &Cx, n: &Node) -> ForEachSpec {
    let o = obj(cx, n, "struct ForEachSpec", &["var", "in", "take"]);
    ForEachSpec {
        var: o.req("var", string),
        list: o.req("in", string),
        take: o.opt("take", value),
    }
}

const ACTOR_FIELDS: &[&str] = &[
    "id",
    "label",
    "process",
    "daemon",
    "root_frame",
    "when",
    "thread",
    "called",
    "replicate",
    "program",
];

fn actor(cx: &Cx, n: &Node) -> ActorSpec {
    let o = obj(cx, n, "struct ActorSpec", ACTOR_FIELDS);
    ActorSpec {
        id: o.req("id", string),
        label: o.req("label", string),
        process: o.req("process", string),
        daemon: o.or_default("daemon", boolean),
        root_frame: o.opt("root_frame", string),
        when: o.opt("when", string),
        thread: o.opt("thread", string),
        called: o.opt("called", string),
        replicate: o.opt("replicate", replicate),
        program: o.req("program", ops),
    }
}

fn replicate(cx: &Cx, n: &Node) -> Replicate {
    let o = obj(cx, n, "struct Replicate", &["count", "vars"]);
    Replicate {
        count: o.req("count", value),
        vars: o.or_default("vars", |cx, n| map(cx, n, replica_var)),
    }
}

fn replica_var(cx: &Cx, n: &Node) -> ReplicaVar {
    let o = obj(cx, n, "struct ReplicaVar", &["from", "cycle"]);
    ReplicaVar {
        from: o.req("from", string),
        cycle: o.opt("cycle", value),
    }
}

fn timeout(cx: &Cx, n: &Node) -> TimeoutSpec {
    let o = obj(cx, n, "struct TimeoutSpec", &["ms", "then", "say"]);
    TimeoutSpec {
        ms: o.req("ms", value),
        then: o.or_default("then", ops),
        say: o.opt("say", string),
    }
}

fn case(cx: &Cx, n: &Node) -> CaseSpec {
    let o = obj(cx, n, "struct CaseSpec", &["recv", "label", "then", "say"]);
    CaseSpec {
        recv: o.req("recv", string),
        label: o.req("label", string),
        then: o.or_default("then", ops),
        say: o.opt("say", string),
    }
}

fn ops(cx: &Cx, n: &Node) -> Vec<OpSpec> {
    list(cx, n, op)
}

/// Every operation's name, in `OpSpec`'s order.
const OPS: &[&str] = &[
    "send", "recv", "select", "lock", "unlock", "set", "clear", "await", "sleep", "act", "fail",
    "exit", "repeat", "loop", "if", "if_msg", "if_flag", "call", "for_each", "return", "finish",
];

/// One operation: `{"name": {fields}}` (`finish` when it is not one).
fn op(cx: &Cx, n: &Node) -> OpSpec {
    let (name, body) = match &n.v {
        Json::Obj(m) if m.len() == 1 => (m[0].0.as_str(), &m[0].1),
        Json::Str(s) if OPS.contains(&s.as_str()) => {
            cx.wrong(n, "struct variant");
            return OpSpec::Finish {};
        }
        Json::Str(s) => {
            cx.fail(n.at, unknown_op(s));
            return OpSpec::Finish {};
        }
        _ => {
            cx.wrong(n, "a name, or an object with a single key");
            return OpSpec::Finish {};
        }
    };
    match OPS.iter().position(|o| *o == name) {
        Some(k) => op_body(cx, k, body),
        None => {
            cx.fail(body.at, unknown_op(name));
            OpSpec::Finish {}
        }
    }
}

fn unknown_op(name: &str) -> String {
    format!("unknown variant `{name}`, expected one of {}", names(OPS))
}

/// The fields of operation `OPS[k]`.
#[rustfmt::skip]
fn op_fields(k: usize) -> &'static [&'static str] {
    match k {
        0 => &["to", "msg", "timeout", "say"],
        1 => &["from", "timeout", "say"],
        2 => &["cases"],
        3 => &["lock", "timeout", "say"],
        4 => &["lock", "say"],
        5 | 6 => &["flag", "say"],
        7 => &["flag", "timeout", "say"],
        8 => &["ms", "say"],
        9 => &["label", "say"],
        10 => &["say"],
        11 => &["reason", "say"],
        12 => &["times", "body"],
        13 => &["body"],
        14 => &["cond", "then", "else"],
        15 => &["msg", "then", "else"],
        16 => &["flag", "then", "else"],
        17 => &["frame", "body"],
        18 => &["var", "in", "take", "body"],
        _ => &[],
    }
}

/// The body of operation `OPS[k]`, with serde's rules for a struct variant. One arm per
/// operation, in `OPS` order: reads better whole.
fn op_body(cx: &Cx, k: usize, n: &Node) -> OpSpec {
    let o = obj(cx, n, "struct variant", op_fields(k));
    let say = || o.opt("say", string);
    let timeout = || o.opt("timeout", timeout);
    let then = || o.or_default("then", ops);
    let otherwise = || o.or_default("else", ops);
    match k {
        0 => OpSpec::Send {
            to: o.req("to", string),
            msg: o.req("msg", string),
            timeout: timeout(),
            say: say(),
        },
        1 => OpSpec::Recv {
            from: o.req("from", string),
            timeout: timeout(),
            say: say(),
        },
        2 => OpSpec::Select {
            cases: o.req("cases", |cx, n| list(cx, n, case)),
        },
        3 => OpSpec::Lock {
            lock: o.req("lock", string),
            timeout: timeout(),
            say: say(),
        },
        4 => OpSpec::Unlock {
            lock: o.req("lock", string),
            say: say(),
        },
        5 => OpSpec::Set {
            flag: o.req("flag", string),
            say: say(),
        },
        6 => OpSpec::Clear {
            flag: o.req("flag", string),
            say: say(),
        },
        7 => OpSpec::Await {
            flag: o.req("flag", string),
            timeout: timeout(),
            say: say(),
        },
        8 => OpSpec::Sleep {
            ms: o.req("ms", value),
            say: say(),
        },
        9 => OpSpec::Act {
            label: o.req("label", string),
            say: say(),
        },
        10 => OpSpec::Fail { say: say() },
        11 => OpSpec::Exit {
            reason: o.req("reason", string),
            say: say(),
        },
        12 => OpSpec::Repeat {
            times: o.req("times", value),
            body: o.req("body", ops),
        },
        13 => OpSpec::Loop {
            body: o.req("body", ops),
        },
        14 => OpSpec::If {
            cond: o.req("cond", string),
            then: then(),
            otherwise: otherwise(),
        },
        15 => OpSpec::IfMsg {
            msg: o.req("msg", string),
            then: then(),
            otherwise: otherwise(),
        },
        16 => OpSpec::IfFlag {
            flag: o.req("flag", string),
            then: then(),
            otherwise: otherwise(),
        },
        17 => OpSpec::Call {
            frame: o.req("frame", string),
            body: o.req("body", ops),
        },
        18 => OpSpec::ForEach {
            var: o.req("var", string),
            list: o.req("in", string),
            take: o.opt("take", value),
            body: o.req("body", ops),
        },
        19 => OpSpec::Return {},
        _ => OpSpec::Finish {},
    }
}
