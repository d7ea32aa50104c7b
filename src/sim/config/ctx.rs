//! The compile-time context: the scenario and settings being compiled, and what resolving them
//! has gathered so far (resources, message tags, interned strings).
use super::instr::{ResKind, Resource};
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
}

pub(super) fn fail<T>(place: &str, problem: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError {
        place: place.to_string(),
        problem: problem.into(),
    })
}

/// Replaces `{var}` by its value.
pub(super) fn subst(text: &str, vars: &Vars) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

impl<'a> Ctx<'a> {
    pub fn new(sc: &'a Scenario, settings: &'a Settings) -> Self {
        Ctx {
            sc,
            settings,
            resources: Vec::new(),
            messages: Vec::new(),
            strings: Vec::new(),
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

    pub fn cond(&self, c: &str, place: &str) -> Result<bool, ScenarioError> {
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
