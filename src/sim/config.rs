//! A configuration: one scenario with its switches and knobs fixed, compiled to flat code.
//! Switch and knob conditions are resolved here, so the run-time state never carries them.
use super::spec::*;
use std::collections::BTreeMap;

pub const MAX_RESOURCES: usize = 64;
pub const MAX_ACTORS: usize = 64;
pub const MAX_REGS: usize = 3;
pub const MAX_CAPACITY: i64 = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResKind {
    Channel { cap: u8 },
    Lock,
    Flag { initial: bool },
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub id: String,
    pub label: String,
    pub kind: ResKind,
    pub process: Option<usize>,
    pub dump_name: Option<String>,
    /// Channels: offset of the length byte in `State::mem`; locks: offset of the holder byte.
    pub off: usize,
}

#[derive(Clone, Debug)]
pub struct Process {
    pub id: String,
    pub label: String,
    pub kind: String,
}

/// Where a timed operation goes when its timer fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout {
    pub ms: u64,
    pub handler: u16,
    pub say: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Tag(u8),
    Last,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    // Visible operations: each is one step.
    Send {
        res: u8,
        msg: Msg,
        timeout: Option<Timeout>,
    },
    Recv {
        res: u8,
        timeout: Option<Timeout>,
    },
    Select {
        cases: Vec<Case>,
    },
    Lock {
        res: u8,
        timeout: Option<Timeout>,
    },
    Unlock {
        res: u8,
    },
    Set {
        res: u8,
    },
    Clear {
        res: u8,
    },
    Await {
        res: u8,
        timeout: Option<Timeout>,
    },
    Sleep {
        ms: u64,
    },
    Act {
        label: u16,
    },
    Fail,
    Exit {
        reason: u16,
    },
    End,
    // Control flow: taken as part of the step that reaches it.
    Jump {
        to: u16,
    },
    SetReg {
        reg: u8,
        value: u16,
    },
    /// If the register is zero go to `exit`, else decrement it and fall through.
    LoopTest {
        reg: u8,
        exit: u16,
    },
    IfMsg {
        msg: u8,
        otherwise: u16,
    },
    IfFlag {
        res: u8,
        otherwise: u16,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub res: u8,
    pub label: u16,
    pub target: u16,
    pub say: Option<u16>,
}

impl Op {
    pub fn is_control(&self) -> bool {
        matches!(
            self,
            Op::Jump { .. }
                | Op::SetReg { .. }
                | Op::LoopTest { .. }
                | Op::IfMsg { .. }
                | Op::IfFlag { .. }
        )
    }
    pub fn timeout(&self) -> Option<Timeout> {
        match self {
            Op::Send { timeout, .. }
            | Op::Recv { timeout, .. }
            | Op::Lock { timeout, .. }
            | Op::Await { timeout, .. } => *timeout,
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Instr {
    pub op: Op,
    pub say: Option<u16>,
    /// Stack frames around this instruction, outermost first (indices into `Config::strings`).
    pub frames: Vec<u16>,
    /// Resources this actor may still fill / drain / set / unlock from here on (bit per resource).
    pub may_fill: u64,
    pub may_drain: u64,
    pub may_set: u64,
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    /// Name in thread dumps.
    pub thread: String,
    pub label: String,
    pub process: usize,
    pub daemon: bool,
    pub root_frame: Option<String>,
    pub code: Vec<Instr>,
}

/// A step of the narrative: which actor moves, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    Actor {
        actor: u8,
        how: How,
    },
    Tick,
    /// Names an actor the current knobs leave out; never matches.
    Absent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Any,
    Case(u8),
    Timeout,
}

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
    /// Each tag's human name from the scenario's `messages` table (the tag itself when it has none).
    pub message_names: Vec<String>,
    /// Interned strings: frame names, narration keys, act labels, exit reasons, case labels.
    pub strings: Vec<String>,
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
    /// Narration text of a `say` index (already looked up and filled in when compiling).
    pub fn say(&self, i: u16) -> &str {
        self.string(i)
    }
    /// A message tag's human name.
    pub fn message(&self, tag: u8) -> &str {
        self.message_names
            .get(tag as usize)
            .map_or("?", String::as_str)
    }
}

struct Ctx<'a> {
    sc: &'a Scenario,
    settings: &'a Settings,
    resources: Vec<Resource>,
    messages: Vec<String>,
    strings: Vec<String>,
}

fn fail<T>(place: &str, problem: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError {
        place: place.to_string(),
        problem: problem.into(),
    })
}

/// Replaces `{var}` by its value.
fn subst(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

impl Ctx<'_> {
    fn value(&self, v: &Value, place: &str) -> Result<i64, ScenarioError> {
        match v {
            Value::Int(n) => Ok(*n),
            Value::Ref(raw) => {
                let Some(name) = raw.strip_prefix('$') else {
                    return fail(
                        place,
                        format!("\"{raw}\" is neither a number nor \"$knob\""),
                    );
                };
                match self.sc.knob_index(name) {
                    Some(i) => Ok(self.settings.knobs[i]),
                    None => fail(place, format!("\"${name}\" names no knob")),
                }
            }
        }
    }

    fn cond(&self, c: &str, place: &str) -> Result<bool, ScenarioError> {
        let (neg, name) = match c.strip_prefix('!') {
            Some(n) => (true, n),
            None => (false, c),
        };
        let v = if let Some(i) = self.sc.switch_index(name) {
            self.settings.switches[i]
        } else if let Some(i) = self.sc.knob_index(name) {
            self.settings.knobs[i] != 0
        } else {
            return fail(place, format!("condition \"{c}\" names no switch or knob"));
        };
        Ok(v != neg)
    }

    fn list(
        &self,
        name: &str,
        take: &Option<Value>,
        place: &str,
    ) -> Result<Vec<String>, ScenarioError> {
        let Some(words) = self.sc.lists.get(name) else {
            return fail(place, format!("\"{name}\" names no list"));
        };
        let n = match take {
            Some(v) => self.value(v, place)?.clamp(0, words.len() as i64) as usize,
            None => words.len(),
        };
        Ok(words[..n].to_vec())
    }

    fn intern(&mut self, s: &str) -> u16 {
        match self.strings.iter().position(|x| x == s) {
            Some(i) => i as u16,
            None => {
                self.strings.push(s.to_string());
                (self.strings.len() - 1) as u16
            }
        }
    }

    fn msg(&mut self, m: &str, vars: &BTreeMap<String, String>) -> Result<u8, ScenarioError> {
        let m = subst(m, vars);
        Ok(match self.messages.iter().position(|x| *x == m) {
            Some(i) => i as u8,
            None => {
                if self.messages.len() >= 255 {
                    return fail("messages", "more than 255 distinct message tags");
                }
                self.messages.push(m);
                (self.messages.len() - 1) as u8
            }
        })
    }

    fn res(
        &self,
        id: &str,
        vars: &BTreeMap<String, String>,
        want: &str,
        place: &str,
    ) -> Result<u8, ScenarioError> {
        let id = subst(id, vars);
        let Some(i) = self.resources.iter().position(|r| r.id == id) else {
            return fail(place, format!("\"{id}\" names no resource"));
        };
        let ok = matches!(
            (&self.resources[i].kind, want),
            (ResKind::Channel { .. }, "channel")
                | (ResKind::Lock, "lock")
                | (ResKind::Flag { .. }, "flag")
        );
        if !ok {
            return fail(place, format!("\"{id}\" is not a {want}"));
        }
        Ok(i as u8)
    }
}

/// Builds flat code for one actor.
struct Emitter<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    code: Vec<Instr>,
    frames: Vec<u16>,
    regs: usize,
    depth: usize,
    /// Jumps emitted by `return`, patched to the end of each `call`.
    returns: Vec<Vec<usize>>,
    finishes: Vec<usize>,
    /// Loop and replica variables in scope (`{key}`, `{n}`).
    vars: BTreeMap<String, String>,
}

impl Emitter<'_, '_> {
    fn push(&mut self, op: Op, say: Option<u16>) -> usize {
        self.code.push(Instr {
            op,
            say,
            frames: self.frames.clone(),
            may_fill: 0,
            may_drain: 0,
            may_set: 0,
        });
        self.code.len() - 1
    }
    fn here(&self) -> u16 {
        self.code.len() as u16
    }
    /// Narration text for a `say` key, with variables filled in, interned.
    fn say(&mut self, s: &Option<String>) -> Option<u16> {
        let text = s.as_ref().map(|k| {
            self.ctx
                .sc
                .narration
                .get(k)
                .cloned()
                .unwrap_or_else(|| k.clone())
        })?;
        let text = subst(&text, &self.vars);
        Some(self.ctx.intern(&text))
    }
    fn patch(&mut self, at: usize, to: u16) {
        match &mut self.code[at].op {
            Op::Jump { to: t } => *t = to,
            Op::LoopTest { exit, .. } => *exit = to,
            Op::IfMsg { otherwise, .. } | Op::IfFlag { otherwise, .. } => *otherwise = to,
            _ => unreachable!("patching a non-jump"),
        }
    }

    /// Emits a timed operation with its error path placed inline and skipped on success:
    /// `op; jump after; handler...; jump after`.
    fn timed(
        &mut self,
        make: impl FnOnce(Option<Timeout>) -> Op,
        t: &Option<TimeoutSpec>,
        say: Option<u16>,
        place: &str,
    ) -> Result<(), ScenarioError> {
        let Some(t) = t else {
            self.push(make(None), say);
            return Ok(());
        };
        let ms = self.ctx.value(&t.ms, place)?;
        if ms <= 0 {
            return fail(place, "a timeout must be positive");
        }
        let tsay = self.say(&t.say);
        let at = self.push(
            make(Some(Timeout {
                ms: ms as u64,
                handler: 0,
                say: tsay,
            })),
            say,
        );
        let skip = self.push(Op::Jump { to: 0 }, None);
        let handler = self.here();
        self.ops(&t.then, &format!("{place}.timeout.then"))?;
        let back = self.push(Op::Jump { to: 0 }, None);
        let after = self.here();
        self.patch(skip, after);
        self.patch(back, after);
        if let Some(tm) = match &mut self.code[at].op {
            Op::Send { timeout, .. }
            | Op::Recv { timeout, .. }
            | Op::Lock { timeout, .. }
            | Op::Await { timeout, .. } => timeout.as_mut(),
            _ => None,
        } {
            tm.handler = handler;
        }
        Ok(())
    }

    fn ops(&mut self, ops: &[OpSpec], place: &str) -> Result<(), ScenarioError> {
        for (i, op) in ops.iter().enumerate() {
            let place = format!("{place}[{i}].{}", op.name());
            self.op(op, &place)?;
        }
        Ok(())
    }

    fn op(&mut self, op: &OpSpec, place: &str) -> Result<(), ScenarioError> {
        let vars = self.vars.clone();
        match op {
            OpSpec::Send {
                to,
                msg,
                timeout,
                say,
            } => {
                let res = self.ctx.res(to, &vars, "channel", place)?;
                let msg = if msg == "$last" {
                    Msg::Last
                } else {
                    Msg::Tag(self.ctx.msg(msg, &vars)?)
                };
                let say = self.say(say);
                self.timed(
                    |timeout| Op::Send { res, msg, timeout },
                    timeout,
                    say,
                    place,
                )?;
            }
            OpSpec::Recv { from, timeout, say } => {
                let res = self.ctx.res(from, &vars, "channel", place)?;
                let say = self.say(say);
                self.timed(|timeout| Op::Recv { res, timeout }, timeout, say, place)?;
            }
            OpSpec::Lock { lock, timeout, say } => {
                let res = self.ctx.res(lock, &vars, "lock", place)?;
                let say = self.say(say);
                self.timed(|timeout| Op::Lock { res, timeout }, timeout, say, place)?;
            }
            OpSpec::Await { flag, timeout, say } => {
                let res = self.ctx.res(flag, &vars, "flag", place)?;
                let say = self.say(say);
                self.timed(|timeout| Op::Await { res, timeout }, timeout, say, place)?;
            }
            OpSpec::Unlock { lock, say } => {
                let res = self.ctx.res(lock, &vars, "lock", place)?;
                let say = self.say(say);
                self.push(Op::Unlock { res }, say);
            }
            OpSpec::Set { flag, say } => {
                let res = self.ctx.res(flag, &vars, "flag", place)?;
                let say = self.say(say);
                self.push(Op::Set { res }, say);
            }
            OpSpec::Clear { flag, say } => {
                let res = self.ctx.res(flag, &vars, "flag", place)?;
                let say = self.say(say);
                self.push(Op::Clear { res }, say);
            }
            OpSpec::Sleep { ms, say } => {
                let ms = self.ctx.value(ms, place)?;
                if ms < 0 {
                    return fail(place, "sleep needs ms >= 0");
                }
                let say = self.say(say);
                if ms > 0 {
                    self.push(Op::Sleep { ms: ms as u64 }, say);
                }
            }
            OpSpec::Act { label, say } => {
                let label = self.ctx.intern(&subst(label, &vars));
                let say = self.say(say);
                self.push(Op::Act { label }, say);
            }
            OpSpec::Fail { say } => {
                let say = self.say(say);
                self.push(Op::Fail, say);
            }
            OpSpec::Exit { reason, say } => {
                let reason = self.ctx.intern(reason);
                let say = self.say(say);
                self.push(Op::Exit { reason }, say);
            }
            OpSpec::Select { cases } => {
                if cases.is_empty() {
                    return fail(place, "a select needs at least one case");
                }
                let mut cs = Vec::new();
                for (i, c) in cases.iter().enumerate() {
                    let p = format!("{place}.cases[{i}]");
                    let res = self.ctx.res(&c.recv, &vars, "channel", &p)?;
                    let label = self.ctx.intern(&c.label);
                    let say = self.say(&c.say);
                    cs.push(Case {
                        res,
                        label,
                        target: 0,
                        say,
                    });
                }
                let at = self.push(Op::Select { cases: cs }, None);
                let mut ends = Vec::new();
                for (i, c) in cases.iter().enumerate() {
                    let target = self.here();
                    if let Op::Select { cases } = &mut self.code[at].op {
                        cases[i].target = target;
                    }
                    self.ops(&c.then, &format!("{place}.cases[{i}].then"))?;
                    ends.push(self.push(Op::Jump { to: 0 }, None));
                }
                let after = self.here();
                for e in ends {
                    self.patch(e, after);
                }
            }
            OpSpec::Repeat { times, body } => {
                let n = self.ctx.value(times, place)?;
                if !(0..=u16::MAX as i64).contains(&n) {
                    return fail(place, "repeat needs 0 <= times <= 65535");
                }
                if self.depth >= MAX_REGS {
                    return fail(place, format!("repeats nest at most {MAX_REGS} deep"));
                }
                let reg = self.depth as u8;
                self.depth += 1;
                self.regs = self.regs.max(self.depth);
                self.push(
                    Op::SetReg {
                        reg,
                        value: n as u16,
                    },
                    None,
                );
                let top = self.push(Op::LoopTest { reg, exit: 0 }, None);
                self.ops(body, &format!("{place}.body"))?;
                self.push(Op::Jump { to: top as u16 }, None);
                let exit = self.here();
                self.patch(top, exit);
                self.depth -= 1;
            }
            OpSpec::Loop { body } => {
                let top = self.here();
                self.ops(body, &format!("{place}.body"))?;
                self.push(Op::Jump { to: top }, None);
            }
            OpSpec::If {
                cond,
                then,
                otherwise,
            } => {
                if self.ctx.cond(cond, place)? {
                    self.ops(then, &format!("{place}.then"))?;
                } else {
                    self.ops(otherwise, &format!("{place}.else"))?;
                }
            }
            OpSpec::IfMsg {
                msg,
                then,
                otherwise,
            } => {
                let msg = self.ctx.msg(msg, &vars)?;
                self.branch(Op::IfMsg { msg, otherwise: 0 }, then, otherwise, place)?;
            }
            OpSpec::IfFlag {
                flag,
                then,
                otherwise,
            } => {
                let res = self.ctx.res(flag, &vars, "flag", place)?;
                self.branch(Op::IfFlag { res, otherwise: 0 }, then, otherwise, place)?;
            }
            OpSpec::Call { frame, body } => {
                let f = self.ctx.intern(&subst(frame, &vars));
                self.frames.push(f);
                self.returns.push(Vec::new());
                self.ops(body, &format!("{place}.body"))?;
                self.frames.pop();
                let end = self.here();
                for r in self.returns.pop().unwrap_or_default() {
                    self.patch(r, end);
                }
            }
            OpSpec::ForEach {
                var,
                list,
                take,
                body,
            } => {
                for word in self.ctx.list(list, take, place)? {
                    self.vars.insert(var.clone(), word);
                    self.ops(body, &format!("{place}.body"))?;
                }
                self.vars = vars;
            }
            OpSpec::Return {} => {
                if self.returns.is_empty() {
                    return fail(place, "return outside any call");
                }
                let j = self.push(Op::Jump { to: 0 }, None);
                self.returns.last_mut().unwrap().push(j);
            }
            OpSpec::Finish {} => {
                let j = self.push(Op::Jump { to: 0 }, None);
                self.finishes.push(j);
            }
        }
        Ok(())
    }

    fn branch(
        &mut self,
        test: Op,
        then: &[OpSpec],
        otherwise: &[OpSpec],
        place: &str,
    ) -> Result<(), ScenarioError> {
        let t = self.push(test, None);
        self.ops(then, &format!("{place}.then"))?;
        let skip = self.push(Op::Jump { to: 0 }, None);
        let else_at = self.here();
        self.patch(t, else_at);
        self.ops(otherwise, &format!("{place}.else"))?;
        let after = self.here();
        self.patch(skip, after);
        Ok(())
    }
}

/// Successor program counters of an instruction (including timeout paths).
pub fn successors(code: &[Instr], pc: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(2);
    match &code[pc].op {
        Op::End | Op::Exit { .. } => {}
        Op::Jump { to } => out.push(*to as usize),
        Op::LoopTest { exit, .. } => out.extend([pc + 1, *exit as usize]),
        Op::IfMsg { otherwise, .. } | Op::IfFlag { otherwise, .. } => {
            out.extend([pc + 1, *otherwise as usize])
        }
        Op::Select { cases } => out.extend(cases.iter().map(|c| c.target as usize)),
        op => {
            out.push(pc + 1);
            if let Some(t) = op.timeout() {
                out.push(t.handler as usize);
            }
        }
    }
    out
}

/// Compiles a scenario at the given settings. Errors name the place and the problem.
pub fn compile(sc: &Scenario, settings: &Settings) -> Result<Config, ScenarioError> {
    if settings.switches.len() != sc.switches.len() || settings.knobs.len() != sc.knobs.len() {
        return fail(
            "settings",
            format!(
                "expected {} switches and {} knobs",
                sc.switches.len(),
                sc.knobs.len()
            ),
        );
    }
    for (k, v) in sc.knobs.iter().zip(&settings.knobs) {
        if *v < k.min || *v > k.max {
            return fail(
                &format!("knob \"{}\"", k.id),
                format!("{v} is outside {}..={}", k.min, k.max),
            );
        }
    }
    let processes: Vec<Process> = sc
        .processes
        .iter()
        .map(|p| Process {
            id: p.id.clone(),
            label: p.label.clone(),
            kind: p.kind.clone(),
        })
        .collect();
    let proc_of = |id: &str, place: &str| -> Result<usize, ScenarioError> {
        processes
            .iter()
            .position(|p| p.id == id)
            .map_or_else(|| fail(place, format!("\"{id}\" names no process")), Ok)
    };
    let mut ctx = Ctx {
        sc,
        settings,
        resources: Vec::new(),
        messages: Vec::new(),
        strings: Vec::new(),
    };

    // Resources, with their bytes in `State::mem`.
    let mut mem_len = 0usize;
    for (i, r) in sc.resources.iter().enumerate() {
        let place = format!("resources[{i}] \"{}\"", r.id);
        if let Some(c) = &r.when {
            if !ctx.cond(c, &place)? {
                continue;
            }
        }
        let words: Vec<BTreeMap<String, String>> = match &r.for_each {
            None => vec![BTreeMap::new()],
            Some(f) => ctx
                .list(&f.list, &f.take, &place)?
                .into_iter()
                .map(|w| BTreeMap::from([(f.var.clone(), w)]))
                .collect(),
        };
        for vars in words {
            let id = subst(&r.id, &vars);
            if ctx.resources.iter().any(|x| x.id == id) {
                return fail(&place, format!("the resource \"{id}\" is defined twice"));
            }
            let kind = match r.kind {
                ResourceKind::Channel => {
                    let Some(cap) = &r.capacity else {
                        return fail(&place, "a channel needs a capacity");
                    };
                    let cap = ctx.value(cap, &place)?;
                    if !(1..=MAX_CAPACITY).contains(&cap) {
                        return fail(
                            &place,
                            format!("capacity must be 1..={MAX_CAPACITY}, got {cap}"),
                        );
                    }
                    ResKind::Channel { cap: cap as u8 }
                }
                ResourceKind::Lock => ResKind::Lock,
                ResourceKind::Flag => ResKind::Flag { initial: r.initial },
            };
            let process = r
                .process
                .as_deref()
                .map(|p| proc_of(p, &place))
                .transpose()?;
            let off = mem_len;
            mem_len += match kind {
                ResKind::Channel { cap } => 1 + cap as usize,
                ResKind::Lock => 1,
                ResKind::Flag { .. } => 0,
            };
            ctx.resources.push(Resource {
                id,
                label: subst(&r.label, &vars),
                kind,
                process,
                dump_name: r.dump_name.clone(),
                off,
            });
        }
    }
    if ctx.resources.len() > MAX_RESOURCES {
        return fail("resources", format!("at most {MAX_RESOURCES} resources"));
    }

    // Actors, replicated and compiled.
    let mut actors = Vec::new();
    for (i, a) in sc.actors.iter().enumerate() {
        let place = format!("actors[{i}] \"{}\"", a.id);
        if let Some(c) = &a.when {
            if !ctx.cond(c, &place)? {
                continue;
            }
        }
        let process = proc_of(&a.process, &place)?;
        let replicas: Vec<BTreeMap<String, String>> = match &a.replicate {
            None => vec![BTreeMap::new()],
            Some(r) => {
                let n = ctx.value(&r.count, &place)?;
                if !(0..=MAX_ACTORS as i64).contains(&n) {
                    return fail(&place, format!("replicate count must be 0..={MAX_ACTORS}"));
                }
                let mut out = Vec::new();
                for k in 1..=n as usize {
                    let mut vars = BTreeMap::from([("n".to_string(), k.to_string())]);
                    for (name, v) in &r.vars {
                        let words = ctx.list(&v.from, &None, &place)?;
                        let cycle = match &v.cycle {
                            Some(c) => {
                                ctx.value(c, &place)?.clamp(1, words.len().max(1) as i64) as usize
                            }
                            None => words.len(),
                        };
                        if words.is_empty() {
                            return fail(&place, format!("list \"{}\" is empty", v.from));
                        }
                        vars.insert(name.clone(), words[(k - 1) % cycle].clone());
                    }
                    out.push(vars);
                }
                out
            }
        };
        for vars in replicas {
            let id = subst(&a.id, &vars);
            if actors.iter().any(|x: &Actor| x.id == id) {
                return fail(&place, format!("the actor \"{id}\" is defined twice"));
            }
            let mut e = Emitter {
                ctx: &mut ctx,
                code: Vec::new(),
                frames: Vec::new(),
                regs: 0,
                depth: 0,
                returns: Vec::new(),
                finishes: Vec::new(),
                vars: vars.clone(),
            };
            e.ops(&a.program, &format!("{place} program"))?;
            let end = e.push(Op::End, None);
            for f in std::mem::take(&mut e.finishes) {
                e.patch(f, end as u16);
            }
            let code = e.code;
            if code.len() > u16::MAX as usize {
                return fail(&place, "program too long");
            }
            check_control_loops(&code).map_err(|p| ScenarioError {
                place: place.clone(),
                problem: p,
            })?;
            let thread = subst(a.thread.as_deref().unwrap_or(&a.id), &vars);
            actors.push(Actor {
                id,
                thread,
                label: subst(&a.label, &vars),
                process,
                daemon: a.daemon,
                root_frame: a.root_frame.clone(),
                code,
            });
        }
    }
    if actors.is_empty() || actors.len() > MAX_ACTORS {
        return fail(
            "actors",
            format!(
                "a configuration needs 1..={MAX_ACTORS} actors, got {}",
                actors.len()
            ),
        );
    }
    for a in &mut actors {
        reachability(&mut a.code);
    }

    // The narrative, as selectors.
    let mut narrative = Vec::new();
    for s in &sc.narrative {
        if s == "tick" {
            narrative.push(Selector::Tick);
            continue;
        }
        let (name, how) = if let Some((n, case)) = s.split_once('/') {
            (n, Some(case))
        } else if let Some(n) = s.strip_suffix('!') {
            (n, None)
        } else {
            (s.as_str(), None)
        };
        // A step naming an actor or select case that these settings leave out never matches;
        // `run::check_narrative` insists that none is missing at the default settings.
        let Some(ai) = actors.iter().position(|a| a.id == name) else {
            narrative.push(Selector::Absent);
            continue;
        };
        let how = match how {
            Some(case) => {
                let label = ctx.strings.iter().position(|x| x == case);
                let found = actors[ai].code.iter().find_map(|ins| match &ins.op {
                    Op::Select { cases } => {
                        cases.iter().position(|c| Some(c.label as usize) == label)
                    }
                    _ => None,
                });
                match found {
                    Some(c) => How::Case(c as u8),
                    None => {
                        narrative.push(Selector::Absent);
                        continue;
                    }
                }
            }
            None if s.ends_with('!') => How::Timeout,
            None => How::Any,
        };
        narrative.push(Selector::Actor {
            actor: ai as u8,
            how,
        });
    }

    let message_names = ctx
        .messages
        .iter()
        .map(|raw| sc.messages.get(raw).unwrap_or(raw).clone())
        .collect();
    Ok(Config {
        title: sc.title.clone(),
        narrative_text: sc.narrative.clone(),
        settings: settings.clone(),
        processes,
        resources: ctx.resources,
        actors,
        messages: ctx.messages,
        message_names,
        strings: ctx.strings,
        narrative,
        mem_len,
    })
}

/// Control flow alone must not loop: every cycle in the code passes through a visible step.
fn check_control_loops(code: &[Instr]) -> Result<(), String> {
    // Colours: 0 unvisited, 1 on stack, 2 done; only control instructions are followed.
    fn dfs(code: &[Instr], pc: usize, colour: &mut [u8]) -> bool {
        if !code[pc].op.is_control() {
            return true;
        }
        match colour[pc] {
            1 => return false,
            2 => return true,
            _ => {}
        }
        colour[pc] = 1;
        for s in successors(code, pc) {
            if !dfs(code, s, colour) {
                return false;
            }
        }
        colour[pc] = 2;
        true
    }
    let mut colour = vec![0u8; code.len()];
    for pc in 0..code.len() {
        if !dfs(code, pc, &mut colour) {
            return Err("a loop with no step in it (it would spin forever)".into());
        }
    }
    Ok(())
}

/// Fills `may_fill` / `may_drain` / `may_set` with what is reachable from each instruction.
fn reachability(code: &mut [Instr]) {
    for ins in code.iter_mut() {
        let (f, d, s) = match &ins.op {
            Op::Send { res, .. } => (1u64 << res, 0, 0),
            Op::Recv { res, .. } => (0, 1u64 << res, 0),
            Op::Select { cases } => (0, cases.iter().fold(0, |m, c| m | 1u64 << c.res), 0),
            Op::Set { res } => (0, 0, 1u64 << res),
            _ => (0, 0, 0),
        };
        ins.may_fill = f;
        ins.may_drain = d;
        ins.may_set = s;
    }
    // Propagate backwards to a fixpoint (programs are small).
    loop {
        let mut changed = false;
        for pc in (0..code.len()).rev() {
            let (mut f, mut d, mut s) = (code[pc].may_fill, code[pc].may_drain, code[pc].may_set);
            for n in successors(code, pc) {
                f |= code[n].may_fill;
                d |= code[n].may_drain;
                s |= code[n].may_set;
            }
            let ins = &mut code[pc];
            if (f, d, s) != (ins.may_fill, ins.may_drain, ins.may_set) {
                (ins.may_fill, ins.may_drain, ins.may_set) = (f, d, s);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
