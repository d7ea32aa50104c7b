//! The instruction set a configuration is compiled to, and the compiled parts that carry it:
//! resources, processes, actors with their flat code, and narrative selectors.
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
    /// The dump name while none of `empty_unless` (flag ids) is set.
    pub empty_name: Option<String>,
    pub empty_unless: Vec<String>,
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
    /// The timeout of a timed operation, to fill in its handler once it is emitted.
    pub(super) fn timeout_mut(&mut self) -> Option<&mut Timeout> {
        match self {
            Op::Send { timeout, .. }
            | Op::Recv { timeout, .. }
            | Op::Lock { timeout, .. }
            | Op::Await { timeout, .. } => timeout.as_mut(),
            _ => None,
        }
    }
}

/// A narration sentence as compiled: its variants that the settings allow, each with the
/// conditions on the moment it is said; the first whose conditions hold is said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Say {
    pub variants: Vec<SayVariant>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SayVariant {
    pub when: Vec<Moment>,
    /// The text, interned in `Config::strings`.
    pub text: u16,
}

/// A condition on the state before a step, for a narration variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moment {
    /// The actor with this id has finished (an actor the settings leave out never has).
    Done { actor: String, holds: bool },
    /// The flag resource is set.
    Flag { res: u8, holds: bool },
}

#[derive(Clone, Debug)]
pub struct Instr {
    pub op: Op,
    /// Its narration: an index into `Config::says`.
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
    /// What sentences call it ("the main goroutine").
    pub called: String,
    pub process: usize,
    pub daemon: bool,
    pub root_frame: Option<String>,
    pub code: Vec<Instr>,
    /// Its symmetry class: the index of the first actor it is interchangeable with (its own
    /// index when there is none before it). See `symmetry::classes`.
    pub class: u8,
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
