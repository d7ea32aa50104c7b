//! Lowering one actor's program: structured operations (`repeat`, `call`, `if_msg`, timeouts,
//! selects...) become flat code with jumps, its switch and knob conditions already resolved.
use super::ctx::{fail, fill_in, subst, Ctx, Vars};
use super::instr::{Case, Instr, Moment, Msg, Op, Say, SayVariant, Timeout};
use super::MAX_REGS;
use crate::sim::spec::{CaseSpec, OpSpec, ScenarioError, Sentence, TimeoutSpec, Value, Variant};

type Emitted = Result<(), ScenarioError>;

/// Builds flat code for one actor.
pub(super) struct Emitter<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    code: Vec<Instr>,
    frames: Vec<u16>,
    regs: usize,
    depth: usize,
    /// Jumps emitted by `return`, patched to the end of each `call`.
    returns: Vec<Vec<usize>>,
    finishes: Vec<usize>,
    vars: Vars,
}

impl<'c, 'a> Emitter<'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, vars: Vars) -> Self {
        Emitter {
            ctx,
            code: Vec::new(),
            frames: Vec::new(),
            regs: 0,
            depth: 0,
            returns: Vec::new(),
            finishes: Vec::new(),
            vars,
        }
    }

    /// The whole program, ending in `End`, with every `finish` jumping there.
    pub fn program(mut self, ops: &[OpSpec], place: &str) -> Result<Vec<Instr>, ScenarioError> {
        self.ops(ops, place)?;
        let end = self.push(Op::End, None);
        for f in std::mem::take(&mut self.finishes) {
            self.patch(f, end as u16);
        }
        Ok(self.code)
    }
}

/// Code-building primitives: push, patch, narration.
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
    /// A jump whose target `patch` fills in later.
    fn jump_to_patch(&mut self) -> usize {
        self.push(Op::Jump { to: 0 }, None)
    }
    fn here(&self) -> u16 {
        self.code.len() as u16
    }
    /// The narration of a `say` key: its variants that these settings allow, with variables
    /// (`{key}`, `{n}`) and knob values (`{$knob}`) filled in, added to `Ctx::says`.
    fn say(&mut self, s: &Option<String>, place: &str) -> Result<Option<u16>, ScenarioError> {
        let Some(key) = s else { return Ok(None) };
        let variants = match self.ctx.sc.narration.get(key) {
            Some(Sentence::One(text)) => vec![Variant {
                when: None,
                text: text.clone(),
            }],
            Some(Sentence::Variants(v)) => v.clone(),
            None => vec![Variant {
                when: None,
                text: key.clone(),
            }],
        };
        let place = format!("{place} (narration \"{key}\")");
        let mut say = Say {
            variants: Vec::new(),
        };
        for v in &variants {
            let Some(when) = self.moments(v.when.as_deref().unwrap_or(""), &place)? else {
                continue;
            };
            let text = self.fill(&v.text);
            let text = self.ctx.intern(&text);
            say.variants.push(SayVariant { when, text });
        }
        if say.variants.is_empty() {
            return Ok(None);
        }
        let at = match self.ctx.says.iter().position(|x| *x == say) {
            Some(i) => i,
            None => {
                self.ctx.says.push(say);
                self.ctx.says.len() - 1
            }
        };
        Ok(Some(at as u16))
    }

    /// A variant's conditions: `None` when a switch or knob condition fails, otherwise the
    /// conditions left for the moment it is said.
    fn moments(&self, when: &str, place: &str) -> Result<Option<Vec<Moment>>, ScenarioError> {
        let mut out = Vec::new();
        for atom in when.split('&').map(str::trim).filter(|a| !a.is_empty()) {
            let (holds, body) = match atom.strip_prefix('!') {
                Some(b) => (false, b),
                None => (true, atom),
            };
            if let Some(actor) = body.strip_prefix("done:") {
                let actor = subst(actor, &self.vars);
                out.push(Moment::Done { actor, holds });
            } else if let Some(flag) = body.strip_prefix("flag:") {
                let res = self.res(flag, "flag", place)?;
                out.push(Moment::Flag { res, holds });
            } else if !self.ctx.cond(atom, place)? {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }

    /// Variables and knob values filled into a narration text.
    fn fill(&self, text: &str) -> String {
        let knobs = self.ctx.sc.knobs.iter().zip(&self.ctx.settings.knobs);
        fill_in(text, |name| match name.strip_prefix('$') {
            Some(id) => knobs
                .clone()
                .find(|(k, _)| k.id == id)
                .map(|(_, v)| v.to_string()),
            None => self.vars.get(name).cloned(),
        })
    }

    fn patch(&mut self, at: usize, to: u16) {
        match &mut self.code[at].op {
            Op::Jump { to: t } => *t = to,
            Op::LoopTest { exit, .. } => *exit = to,
            Op::IfMsg { otherwise, .. } | Op::IfFlag { otherwise, .. } => *otherwise = to,
            _ => unreachable!("patching a non-jump"),
        }
    }
    /// The index of the resource `id` names, which must be of kind `want`.
    fn res(&self, id: &str, want: &str, place: &str) -> Result<u8, ScenarioError> {
        self.ctx.res(id, &self.vars, want, place)
    }

    fn ops(&mut self, ops: &[OpSpec], place: &str) -> Emitted {
        for (i, op) in ops.iter().enumerate() {
            let place = format!("{place}[{i}].{}", op.name());
            self.op(op, &place)?;
        }
        Ok(())
    }

    /// One operation, by group: waits that may time out, plain steps, selects, branches, and
    /// blocks (loops, calls, `for_each`, `return`, `finish`). Each group's function is called
    /// with its own kinds only.
    fn op(&mut self, op: &OpSpec, place: &str) -> Emitted {
        match op {
            OpSpec::Send { .. }
            | OpSpec::Recv { .. }
            | OpSpec::Lock { .. }
            | OpSpec::Await { .. } => self.wait_op(op, place),
            OpSpec::Select { cases } => self.select(cases, place),
            OpSpec::If { .. } | OpSpec::IfMsg { .. } | OpSpec::IfFlag { .. } => {
                self.branch_op(op, place)
            }
            OpSpec::Repeat { times, body } => self.repeat(times, body, place),
            OpSpec::Loop { .. }
            | OpSpec::Call { .. }
            | OpSpec::ForEach { .. }
            | OpSpec::Return {}
            | OpSpec::Finish {} => self.block_op(op, place),
            _ => self.plain_op(op, place),
        }
    }
}

/// Visible operations.
impl Emitter<'_, '_> {
    /// Operations that wait and may carry a timeout: send, recv, lock, await.
    fn wait_op(&mut self, op: &OpSpec, place: &str) -> Emitted {
        match op {
            OpSpec::Send {
                to,
                msg,
                timeout,
                say,
            } => {
                let res = self.res(to, "channel", place)?;
                let msg = if msg == "$last" {
                    Msg::Last
                } else {
                    Msg::Tag(self.ctx.msg(msg, &self.vars)?)
                };
                let say = self.say(say, place)?;
                self.timed(
                    |timeout| Op::Send { res, msg, timeout },
                    timeout,
                    say,
                    place,
                )
            }
            OpSpec::Recv { from, timeout, say } => {
                let res = self.res(from, "channel", place)?;
                let say = self.say(say, place)?;
                self.timed(|timeout| Op::Recv { res, timeout }, timeout, say, place)
            }
            OpSpec::Lock { lock, timeout, say } => {
                let res = self.res(lock, "lock", place)?;
                let say = self.say(say, place)?;
                self.timed(|timeout| Op::Lock { res, timeout }, timeout, say, place)
            }
            OpSpec::Await { flag, timeout, say } => {
                let res = self.res(flag, "flag", place)?;
                let say = self.say(say, place)?;
                self.timed(|timeout| Op::Await { res, timeout }, timeout, say, place)
            }
            _ => unreachable!(),
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
    ) -> Emitted {
        let Some(t) = t else {
            self.push(make(None), say);
            return Ok(());
        };
        let ms = self.ctx.value(&t.ms, place)?;
        if ms <= 0 {
            return fail(place, "a timeout must be positive");
        }
        let tsay = self.say(&t.say, place)?;
        let timeout = Timeout {
            ms: ms as u64,
            handler: 0,
            say: tsay,
        };
        let at = self.push(make(Some(timeout)), say);
        let skip = self.jump_to_patch();
        let handler = self.here();
        self.ops(&t.then, &format!("{place}.timeout.then"))?;
        let back = self.jump_to_patch();
        let after = self.here();
        self.patch(skip, after);
        self.patch(back, after);
        if let Some(tm) = self.code[at].op.timeout_mut() {
            tm.handler = handler;
        }
        Ok(())
    }

    /// Steps that never wait: unlock, set, clear, sleep, act, fail, exit.
    fn plain_op(&mut self, op: &OpSpec, place: &str) -> Emitted {
        let (op, say) = match op {
            OpSpec::Unlock { lock, say } => (
                Op::Unlock {
                    res: self.res(lock, "lock", place)?,
                },
                say,
            ),
            OpSpec::Set { flag, say } => (
                Op::Set {
                    res: self.res(flag, "flag", place)?,
                },
                say,
            ),
            OpSpec::Clear { flag, say } => (
                Op::Clear {
                    res: self.res(flag, "flag", place)?,
                },
                say,
            ),
            OpSpec::Sleep { ms, say } => return self.sleep(ms, say, place),
            OpSpec::Act { label, say } => {
                let label = self.ctx.intern(&subst(label, &self.vars));
                (Op::Act { label }, say)
            }
            OpSpec::Fail { say } => (Op::Fail, say),
            OpSpec::Exit { reason, say } => (
                Op::Exit {
                    reason: self.ctx.intern(reason),
                },
                say,
            ),
            _ => unreachable!(),
        };
        let say = self.say(say, place)?;
        self.push(op, say);
        Ok(())
    }

    /// A sleep of zero emits nothing (its narration too is dropped).
    fn sleep(&mut self, ms: &Value, say: &Option<String>, place: &str) -> Emitted {
        let ms = self.ctx.value(ms, place)?;
        if ms < 0 {
            return fail(place, "sleep needs ms >= 0");
        }
        let say = self.say(say, place)?;
        if ms > 0 {
            self.push(Op::Sleep { ms: ms as u64 }, say);
        }
        Ok(())
    }

    /// One `Select` instruction whose cases jump to their `then` code, each of which then jumps
    /// past the last.
    fn select(&mut self, cases: &[CaseSpec], place: &str) -> Emitted {
        if cases.is_empty() {
            return fail(place, "a select needs at least one case");
        }
        let mut cs = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            let res = self.res(&c.recv, "channel", &format!("{place}.cases[{i}]"))?;
            let label = self.ctx.intern(&c.label);
            let say = self.say(&c.say, place)?;
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
            ends.push(self.jump_to_patch());
        }
        let after = self.here();
        for e in ends {
            self.patch(e, after);
        }
        Ok(())
    }
}

/// Control flow: branches, loops, calls, `for_each`, `return`, `finish`.
impl Emitter<'_, '_> {
    /// `if` is chosen now, from the settings; `if_msg` and `if_flag` become run-time tests.
    fn branch_op(&mut self, op: &OpSpec, place: &str) -> Emitted {
        match op {
            OpSpec::If {
                cond,
                then,
                otherwise,
            } => {
                if self.ctx.cond(cond, place)? {
                    self.ops(then, &format!("{place}.then"))
                } else {
                    self.ops(otherwise, &format!("{place}.else"))
                }
            }
            OpSpec::IfMsg {
                msg,
                then,
                otherwise,
            } => {
                let msg = self.ctx.msg(msg, &self.vars)?;
                self.branch(Op::IfMsg { msg, otherwise: 0 }, then, otherwise, place)
            }
            OpSpec::IfFlag {
                flag,
                then,
                otherwise,
            } => {
                let res = self.res(flag, "flag", place)?;
                self.branch(Op::IfFlag { res, otherwise: 0 }, then, otherwise, place)
            }
            _ => unreachable!(),
        }
    }

    /// `test; then...; jump after; else...`, the test jumping to the `else` part when it fails.
    fn branch(&mut self, test: Op, then: &[OpSpec], otherwise: &[OpSpec], place: &str) -> Emitted {
        let t = self.push(test, None);
        self.ops(then, &format!("{place}.then"))?;
        let skip = self.jump_to_patch();
        let else_at = self.here();
        self.patch(t, else_at);
        self.ops(otherwise, &format!("{place}.else"))?;
        let after = self.here();
        self.patch(skip, after);
        Ok(())
    }

    /// `set reg n; top: if reg == 0 goto exit, else reg -= 1; body...; jump top; exit:`, one
    /// register per nesting level.
    fn repeat(&mut self, times: &Value, body: &[OpSpec], place: &str) -> Emitted {
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
        let value = n as u16;
        self.push(Op::SetReg { reg, value }, None);
        let top = self.push(Op::LoopTest { reg, exit: 0 }, None);
        self.ops(body, &format!("{place}.body"))?;
        self.push(Op::Jump { to: top as u16 }, None);
        let exit = self.here();
        self.patch(top, exit);
        self.depth -= 1;
        Ok(())
    }

    fn block_op(&mut self, op: &OpSpec, place: &str) -> Emitted {
        match op {
            OpSpec::Loop { body } => {
                let top = self.here();
                self.ops(body, &format!("{place}.body"))?;
                self.push(Op::Jump { to: top }, None);
            }
            OpSpec::Call { frame, body } => self.call(frame, body, place)?,
            OpSpec::ForEach {
                var,
                list,
                take,
                body,
            } => {
                let outer = self.vars.clone();
                for word in self.ctx.list(list, take, place)? {
                    self.vars.insert(var.clone(), word);
                    self.ops(body, &format!("{place}.body"))?;
                }
                self.vars = outer;
            }
            OpSpec::Return {} => {
                if self.returns.is_empty() {
                    return fail(place, "return outside any call");
                }
                let j = self.jump_to_patch();
                self.returns.last_mut().unwrap().push(j);
            }
            OpSpec::Finish {} => {
                let j = self.jump_to_patch();
                self.finishes.push(j);
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    /// The body inside a named stack frame; its `return`s jump to the end of it.
    fn call(&mut self, frame: &str, body: &[OpSpec], place: &str) -> Emitted {
        let f = self.ctx.intern(&subst(frame, &self.vars));
        self.frames.push(f);
        self.returns.push(Vec::new());
        self.ops(body, &format!("{place}.body"))?;
        self.frames.pop();
        let end = self.here();
        for r in self.returns.pop().unwrap_or_default() {
            self.patch(r, end);
        }
        Ok(())
    }
}
