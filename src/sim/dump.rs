//! Thread dumps derived from state: one jstack output per JVM (its processes' threads together),
//! a goroutine dump for Go as a `kill -QUIT` prints it, gdb-like backtraces for the C process.
//! Frames come from the `call` blocks around each operation. A run's earlier states give how
//! long each goroutine has waited, as Go prints it.
use super::config::*;
use super::model::*;
use super::narrate::fmt_time;

/// A group of processes that one dump covers: the processes of one JVM share a jstack output.
struct Section {
    kind: &'static str,
    label: String,
    members: Vec<usize>,
}

impl Config {
    /// The stack of actor `a`, innermost frame first (the operation's own frame on top).
    pub fn stack(&self, s: &State, a: usize) -> Vec<String> {
        let act = &self.actors[a];
        let ins = &act.code[s.actors[a].pc as usize];
        let mut frames: Vec<String> = ins
            .frames
            .iter()
            .rev()
            .map(|&f| self.string(f).to_string())
            .collect();
        frames.extend(act.root_frame.clone());
        frames
    }

    /// The dump of every process at state `s`, without its history (waits count from `s`).
    pub fn dump(&self, s: &State) -> String {
        self.dump_at(std::slice::from_ref(s))
    }

    /// The dump of every process at the last of `states` (a run so far, or its last few
    /// states). A Go process that exited prints no goroutine dump: a program that ends through
    /// `log.Fatal` or `os.Exit` prints its message and exits.
    pub fn dump_at(&self, states: &[State]) -> String {
        let Some(s) = states.last() else {
            return String::new();
        };
        let mut out = String::new();
        for sec in self.sections() {
            let crashed = s
                .crash
                .filter(|c| sec.members.contains(&(c.actor as usize)));
            out.push_str(&match (sec.kind, crashed) {
                ("go", Some(c)) => self.go_exit(&sec.label, c),
                ("go", None) => self.go_dump(states, &sec.label, &sec.members),
                ("jvm", _) => self.java_dump(s, &sec.label, &sec.members),
                ("c", _) => self.c_dump(s, &sec.label, &sec.members),
                _ => self.plain_dump(s, &sec.label, &sec.members),
            });
            out.push('\n');
        }
        out
    }

    /// The processes with actors, one section each, except that the processes of kind "jvm"
    /// and "store" (a store client in the same JVM) make one section.
    fn sections(&self) -> Vec<Section> {
        let mut out: Vec<Section> = Vec::new();
        for (p, proc_) in self.processes.iter().enumerate() {
            let members: Vec<usize> = (0..self.actors.len())
                .filter(|&a| self.actors[a].process == p)
                .collect();
            if members.is_empty() {
                continue;
            }
            let kind = match proc_.kind.as_str() {
                "go" => "go",
                "jvm" | "store" => "jvm",
                "c" => "c",
                _ => "plain",
            };
            match out.iter_mut().find(|x| x.kind == "jvm" && kind == "jvm") {
                Some(jvm) => {
                    jvm.label = format!("{} + {}", jvm.label, proc_.label);
                    jvm.members.extend(members);
                    jvm.members.sort_unstable();
                }
                None => out.push(Section {
                    kind,
                    label: proc_.label.clone(),
                    members,
                }),
            }
        }
        out
    }

    fn held_locks(&self, s: &State, a: usize) -> Vec<usize> {
        (0..self.resources.len())
            .filter(|&r| self.resources[r].kind == ResKind::Lock && self.holder(s, r) == Some(a))
            .collect()
    }

    /// A lock's object as jstack names it. A bin that held no entry is locked through the
    /// placeholder node computeIfAbsent puts there (`empty_name`, while none of `empty_unless`
    /// is set).
    fn obj(&self, s: &State, r: usize) -> String {
        let res = &self.resources[r];
        let empty = res.empty_name.as_ref().filter(|_| {
            !res.empty_unless
                .iter()
                .filter_map(|f| self.resource_index(f))
                .any(|f| self.flag(s, f))
        });
        let name = empty.or(res.dump_name.as_ref());
        format!(
            "<0x{:016x}> (a {}: {})",
            0x0007_1a00_0000u64 + r as u64 * 0x18,
            name.map_or("java.lang.Object", String::as_str),
            res.label
        )
    }

    /// The frame under which jstack prints `- locked` for lock `r` held by `a`: the innermost
    /// frame around the `lock` operation that took it, if it is on the current stack.
    fn locking_frame(&self, a: usize, r: usize) -> Option<String> {
        self.actors[a].code.iter().find_map(|ins| match ins.op {
            Op::Lock { res, .. } if res as usize == r => {
                ins.frames.last().map(|&f| self.string(f).to_string())
            }
            _ => None,
        })
    }

    // One thread's state line, its frames and the lines under them, as jstack prints them: reads
    // better whole.
    fn java_thread(&self, s: &State, a: usize) -> String {
        let act = &self.actors[a];
        let op = self.op(s, a);
        let (state, top) = match (self.status(s, a), op) {
            (Status::Done | Status::Dead, _) => ("TERMINATED", None),
            (Status::Blocked { .. }, Op::Lock { res, .. }) => (
                "BLOCKED (on object monitor)",
                Some(format!("- waiting to lock {}", self.obj(s, *res as usize))),
            ),
            (Status::Blocked { timer: Some(_) }, Op::Await { res, .. }) => (
                "TIMED_WAITING (parking)",
                Some(format!(
                    "- parking to wait for  {}",
                    self.obj(s, *res as usize)
                )),
            ),
            (Status::Blocked { .. }, Op::Await { res, .. }) => (
                "WAITING (parking)",
                Some(format!(
                    "- parking to wait for  {}",
                    self.obj(s, *res as usize)
                )),
            ),
            (Status::Blocked { .. }, _) => ("WAITING (parking)", None),
            (Status::Sleeping { .. }, _) => ("TIMED_WAITING (sleeping)", None),
            (Status::Ready, _) => ("RUNNABLE", None),
        };
        let mut out = format!(
            "\n\"{}\" #{} prio=5 os_prio=0\n   java.lang.Thread.State: {state}\n",
            act.thread,
            20 + a
        );
        if state == "TERMINATED" {
            return out;
        }
        let held: Vec<(usize, Option<String>)> = self
            .held_locks(s, a)
            .into_iter()
            .map(|r| (r, self.locking_frame(a, r)))
            .collect();
        let stack = self.stack(s, a);
        for (i, f) in stack.iter().enumerate() {
            out.push_str(&format!("\tat {f}\n"));
            if let Some(d) = top.as_ref().filter(|_| i == 0) {
                out.push_str(&format!("\t{d}\n"));
            }
            for (r, _) in held.iter().filter(|(_, at)| at.as_ref() == Some(f)) {
                out.push_str(&format!("\t- locked {}\n", self.obj(s, *r)));
            }
        }
        // A lock whose frame is not on the stack (none in the built-in scenarios) still shows.
        for (r, _) in held
            .iter()
            .filter(|(_, at)| !at.as_ref().is_some_and(|f| stack.contains(f)))
        {
            out.push_str(&format!("\t- locked {}\n", self.obj(s, *r)));
        }
        out
    }

    fn java_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label}: jstack ===\nFull thread dump (jstack style):\n");
        for &a in members {
            out.push_str(&self.java_thread(s, a));
        }
        out
    }

    /// What a Go program that exits through its error path prints: its message and the exit
    /// status, and no goroutine dump.
    fn go_exit(&self, label: &str, c: Crash) -> String {
        let reason = match self.actors[c.actor as usize].code[c.pc as usize].op {
            Op::Exit { reason } => self.string(reason),
            _ => "",
        };
        format!(
            "=== {label}: exited at {} ===\n{reason}\nexit status 1\n\n(A Go program that \
             exits through log.Fatal or os.Exit prints its message and no goroutine dump. Step \
             back to before the timer fired for what a kill -QUIT would have printed then.)\n",
            fmt_time(c.at)
        )
    }

    /// How long actor `a` has been waiting at its current operation at the last of `states`:
    /// back to the first of the run's states in which it already stood there, blocked.
    fn waited(&self, states: &[State], a: usize) -> u64 {
        let Some(s) = states.last() else { return 0 };
        let pc = s.actors[a].pc;
        let since = states
            .iter()
            .rev()
            .take_while(|x| {
                x.actors[a].pc == pc && matches!(self.status(x, a), Status::Blocked { .. })
            })
            .last()
            .map_or(s.now, |x| x.now);
        s.now - since
    }

    /// The goroutine dump a `kill -QUIT` prints: each goroutine's wait reason (a receive or
    /// send under a timer is a `select` in Go), with the minutes it has waited once that is a
    /// minute or more, as Go prints it ("1 minutes" included).
    fn go_dump(&self, states: &[State], label: &str, members: &[usize]) -> String {
        let Some(s) = states.last() else {
            return String::new();
        };
        // The runtime's first line for the signal; its registers line is left out, and so are
        // the frames' file:line +0x lines, which a model with no Go source could only invent.
        let mut out = format!(
            "=== {label}: goroutine dump (kill -QUIT) ===\nSIGQUIT: quit\n(Model: no Go source, \
             so the frames have no file:line +0x lines and arguments show as ...)\n"
        );
        // Go names a goroutine's creator under its last frame; the model's other goroutines are
        // started by the one running main.main.
        let main = members
            .iter()
            .find(|&&a| self.actors[a].root_frame.as_deref() == Some("main.main"));
        let creator = main.map(|&a| &self.actors[a].thread);
        // Go prints goroutines in the order they were created: main.main's first.
        let others = members.iter().filter(|&a| Some(a) != main);
        for &a in main.into_iter().chain(others) {
            let act = &self.actors[a];
            let op = self.op(s, a);
            let reason = match (self.status(s, a), op) {
                (Status::Done | Status::Dead, _) => None,
                (Status::Ready, _) => Some("runnable"),
                (Status::Sleeping { .. }, _) => Some("sleep"),
                (Status::Blocked { .. }, Op::Select { .. }) => Some("select"),
                (Status::Blocked { .. }, Op::Send { timeout: None, .. }) => Some("chan send"),
                (Status::Blocked { .. }, Op::Recv { timeout: None, .. }) => Some("chan receive"),
                (Status::Blocked { .. }, Op::Send { .. } | Op::Recv { .. }) => Some("select"),
                (Status::Blocked { .. }, Op::Lock { .. }) => Some("sync.Mutex.Lock"),
                (Status::Blocked { .. }, _) => Some("semacquire"),
            };
            // A goroutine that has returned is not in the dump.
            let Some(reason) = reason else { continue };
            let mins = self.waited(states, a) / 60_000;
            let state = match reason {
                "runnable" | "sleep" => reason.to_string(),
                _ if mins >= 1 => format!("{reason}, {mins} minutes"),
                _ => reason.to_string(),
            };
            let name = act.thread.strip_prefix("goroutine ").unwrap_or(&act.thread);
            out.push_str(&format!("\ngoroutine {name} [{state}]:\n"));
            for f in self.stack(s, a) {
                let args = if f == "main.main" { "" } else { "..." };
                out.push_str(&format!("{f}({args})\n"));
            }
            if let Some(c) = creator.filter(|&c| *c != act.thread) {
                out.push_str(&format!("created by main.main in {c}\n"));
            }
        }
        out
    }

    fn c_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label}: gdb \"thread apply all bt\" ===\n");
        for &a in members {
            let act = &self.actors[a];
            let state = match self.status(s, a) {
                Status::Blocked { .. } => match self.op(s, a) {
                    Op::Send { res, .. } => {
                        format!("blocked: {} is full", self.res_label(*res as usize))
                    }
                    Op::Recv { res, .. } => {
                        format!("idle: {} is empty", self.res_label(*res as usize))
                    }
                    _ => "blocked".into(),
                },
                Status::Ready => "running".into(),
                Status::Sleeping { .. } => "sleeping".into(),
                Status::Done | Status::Dead => "exited".into(),
            };
            out.push_str(&format!("\n{} \"{}\" ({state}):\n", act.thread, act.label));
            for (i, f) in self.stack(s, a).iter().enumerate() {
                out.push_str(&format!("#{i}  {f} ()\n"));
            }
        }
        out
    }

    fn plain_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label} ===\n");
        for &a in members {
            let state = match self.status(s, a) {
                Status::Done => "finished".to_string(),
                Status::Dead => "gone".to_string(),
                Status::Ready => "ready".to_string(),
                Status::Sleeping { until } => format!("busy until {}", fmt_time(until)),
                Status::Blocked { .. } => self.blocked_on(s, a).unwrap_or_else(|| "blocked".into()),
            };
            out.push_str(&format!("{}: {state}\n", self.actors[a].thread));
        }
        out
    }
}
