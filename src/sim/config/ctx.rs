//! The compile-time context: the scenario and settings being compiled, and what resolving them
//! has gathered so far (resources, message tags, interned strings).
use super::instr::{ResKind, Resource, Say};
use crate::sim::spec::{Scenario, ScenarioError, Settings, Value};
use std::collections::BTreeMap;

/// Loop, replica and `for_each` variables in scope, by name (`{key}`, `{n}`).
pub(super) type Vars = BTreeMap<String, String>;

pub(super) struct Ctx<'a> {
    pub sc: &'a Scenario,
    pub settings: &'a Settings,
    pub resources: Vec<Resource>,
    pub messages: Vec<String>,
    pub strings: Vec<String>,
    /// Narration sentences with their variants left for run time (`Instr::say` indexes these).
    pub says: Vec<Say>,
    /// Resource ids that name another resource: (alias, the id it names).
    pub aliases: Vec<(String, String)>,
}

pub(super) fn fail<T>(place: &str, problem: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError {
        place: place.to_string(),
        problem: problem.into(),
    })
}

/// Replaces `{var}` by its value.
pub(super) fn subst(text: &str, vars: &Vars) -> String {
    fill_in(text, |k| vars.get(k).cloned())
}

/// `text` with each `{name}` that `value` knows replaced, in one pass (a value put in is not
/// searched again); other braces stay as they are.
pub(super) fn fill_in(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name>=50` as (name, ">=", "50"): the first comparison operator in the text.
fn comparison(c: &str) -> Option<(&str, &str, &str)> {
    let at = c.find(['<', '>', '='])?;
    let op = [">=", "<=", ">", "<", "="]
        .into_iter()
        .find(|op| c[at..].starts_with(op))?;
    Some((c[..at].trim(), op, &c[at + op.len()..]))
}

impl<'a> Ctx<'a> {
    pub fn new(sc: &'a Scenario, settings: &'a Settings) -> Self {
        Ctx {
            sc,
            settings,
            resources: Vec::new(),
            messages: Vec::new(),
            strings: Vec::new(),
            says: Vec::new(),
            aliases: Vec::new(),
        }
    }

    pub fn value(&self, v: &Value, place: &str) -> Result<i64, ScenarioError> {
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

    /// A switch or knob condition: `name` (a knob counts as true when non-zero), `!name`, or a
    /// knob compared with a number (`name>=50`, `name<2`, `name=1`, `name>N`, `name<=N`).
    pub fn cond(&self, c: &str, place: &str) -> Result<bool, ScenarioError> {
        let (neg, body) = match c.strip_prefix('!') {
            Some(n) => (true, n),
            None => (false, c),
        };
        if let Some((name, op, n)) = comparison(body) {
            let Some(i) = self.sc.knob_index(name) else {
                return fail(place, format!("condition \"{c}\" names no knob"));
            };
            let Ok(n) = n.trim().parse::<i64>() else {
                return fail(place, format!("condition \"{c}\" compares with no number"));
            };
            let v = self.settings.knobs[i];
            let holds = match op {
                ">=" => v >= n,
                "<=" => v <= n,
                ">" => v > n,
                "<" => v < n,
                _ => v == n,
            };
            return Ok(holds != neg);
        }
        let name = body;
        let v = if let Some(i) = self.sc.switch_index(name) {
            self.settings.switches[i]
        } else if let Some(i) = self.sc.knob_index(name) {
            self.settings.knobs[i] != 0
        } else {
            return fail(place, format!("condition \"{c}\" names no switch or knob"));
        };
        Ok(v != neg)
    }

    pub fn list(
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

    pub fn intern(&mut self, s: &str) -> u16 {
        match self.strings.iter().position(|x| x == s) {
            Some(i) => i as u16,
            None => {
                self.strings.push(s.to_string());
                (self.strings.len() - 1) as u16
            }
        }
    }

    pub fn msg(&mut self, m: &str, vars: &Vars) -> Result<u8, ScenarioError> {
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

    pub fn res(&self, id: &str, vars: &Vars, want: &str, place: &str) -> Result<u8, ScenarioError> {
        let id = subst(id, vars);
        let id = match self.aliases.iter().find(|(alias, _)| *alias == id) {
            Some((_, target)) => target.clone(),
            None => id,
        };
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
