//! The JSON reader for scenario files: text to a small tree that remembers where each value
//! starts (`parse`), which `read.rs` turns into a `Scenario` by hand.
//!
//! Why not serde_json: in the browser, the first run of every function is compiled on the spot,
//! and serde_json's streaming parser, inlined into the derived visitors, made much more code,
//! which start-up had to download and compile before the first frame. serde_json remains the
//! reference in the tests (`tests/core_malformed.rs` checks that both read the same trees and
//! the same scenarios from thousands of texts).
//!
//! Differences from serde_json, all about input no scenario uses: a struct must be an object
//! (serde_json also takes an array of its fields in order); integers outside i64 are "number out
//! of range"; fractions are kept as text (no float parsing in the wasm), so a huge one is a type
//! error later rather than a syntax error.

/// Deeper nesting than this is rejected (the tree and its reader both recurse).
pub const MAX_DEPTH: usize = 128;

/// One JSON value and the byte offset where it starts.
#[derive(Debug, PartialEq)]
pub struct Node {
    pub at: usize,
    pub v: Json,
}

#[derive(Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction or an exponent (scenarios have none; kept as written for messages).
    Frac(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

/// A syntax error: the byte offset it was found at, and what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub problem: &'static str,
}

/// The line (from 1) and column (bytes into the line, 0 when the text ends before the line has
/// any) of byte offset `at`.
pub fn locate(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text.as_bytes()[..at];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    (line, at - line_start + usize::from(at < text.len()))
}

/// Parses a whole document: one value and nothing after it but whitespace.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let node = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return syntax(p.i, "trailing characters");
    }
    Ok(node)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

type Parsed<T> = Result<T, SyntaxError>;

fn syntax<T>(at: usize, problem: &'static str) -> Parsed<T> {
    Err(SyntaxError { at, problem })
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }
    /// `problem` at the current byte, or `eof` if the text ended.
    fn fail<T>(&self, problem: &'static str, eof: &'static str) -> Parsed<T> {
        syntax(self.i, if self.i < self.b.len() { problem } else { eof })
    }

    fn value(&mut self) -> Parsed<Node> {
        self.ws();
        let at = self.i;
        let v = match self.peek() {
            None => return syntax(at, "EOF while parsing a value"),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Json::Str(self.string()?),
            Some(b't') => self.word("true", Json::Bool(true))?,
            Some(b'f') => self.word("false", Json::Bool(false))?,
            Some(b'n') => self.word("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return syntax(at, "expected value"),
        };
        Ok(Node { at, v })
    }

    fn nest(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return syntax(self.i, "recursion limit exceeded");
        }
        self.i += 1;
        Ok(())
    }

    fn object(&mut self) -> Parsed<Json> {
        const EOF: &str = "EOF while parsing an object";
        self.nest()?;
        let mut members = Vec::new();
        self.ws();
        if !self.eat(b'}') {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return self.fail(
                        if self.peek() == Some(b'}') && !members.is_empty() {
                            "trailing comma"
                        } else {
                            "key must be a string"
                        },
                        EOF,
                    );
                }
                let key = self.string()?;
                self.ws();
                if !self.eat(b':') {
                    return self.fail("expected `:`", EOF);
                }
                members.push((key, self.value()?));
                self.ws();
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return self.fail("expected `,` or `}`", EOF);
                }
            }
        }
        self.depth -= 1;
        Ok(Json::Obj(members))
    }

    fn array(&mut self) -> Parsed<Json> {
        self.nest()?;
        let mut items = Vec::new();
        self.ws();
        if !self.eat(b']') {
            loop {
                items.push(self.value()?);
                self.ws();
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    return self.fail("expected `,` or `]`", "EOF while parsing a list");
                }
                self.ws();
                if self.peek() == Some(b']') {
                    return syntax(self.i, "trailing comma");
                }
            }
        }
        self.depth -= 1;
        Ok(Json::Arr(items))
    }

    fn word(&mut self, w: &'static str, v: Json) -> Parsed<Json> {
        for &c in w.as_bytes() {
            if !self.eat(c) {
                return self.fail("expected ident", "EOF while parsing a value");
            }
        }
        Ok(v)
    }

    fn number(&mut self) -> Parsed<Json> {
        let start = self.i;
        let neg = self.eat(b'-');
        let int_start = self.i;
        match self.digits() {
            0 => return self.fail("invalid number", "EOF while parsing a value"),
            n if n > 1 && self.b[int_start] == b'0' => {
                return syntax(int_start + 1, "invalid number")
            }
            _ => {}
        }
        let int_end = self.i;
        let frac = self.fraction_or_exponent()?;
        // serde_json reads `-0` as the float -0.0; so does this reader, to agree with it. (The
        // text is ASCII here, so the slice is on character boundaries.)
        if frac || &self.b[start..self.i] == b"-0" {
            return Ok(Json::Frac(
                String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
            ));
        }
        match int_value(&self.b[int_start..int_end], neg) {
            Some(i) => Ok(Json::Int(i)),
            None => syntax(start, "number out of range"),
        }
    }

    /// Skips decimal digits; how many.
    fn digits(&mut self) -> usize {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - from
    }

    /// Skips a `.digits` fraction and an `e±digits` exponent; whether there was either.
    fn fraction_or_exponent(&mut self) -> Parsed<bool> {
        let mut frac = false;
        if self.eat(b'.') {
            frac = true;
            if self.digits() == 0 {
                return self.fail("invalid number", "EOF while parsing a value");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            frac = true;
            self.i += 1;
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return self.fail("invalid number", "EOF while parsing a value");
            }
        }
        Ok(frac)
    }

    fn string(&mut self) -> Parsed<String> {
        const EOF: &str = "EOF while parsing a string";
        self.i += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let from = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.extend_from_slice(&self.b[from..self.i]);
            match self.peek() {
                None => return syntax(self.i, EOF),
                Some(b'"') => {
                    self.i += 1;
                    // Copied whole UTF-8 runs and whole escapes: still valid UTF-8.
                    return String::from_utf8(out).map_err(|_| SyntaxError {
                        at: from,
                        problem: "invalid unicode code point",
                    });
                }
                Some(b'\\') => {
                    let Some(&e) = self.b.get(self.i + 1) else {
                        return syntax(self.i + 1, EOF);
                    };
                    self.i += 2;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return syntax(self.i - 1, "invalid escape"),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(_) => {
                    return syntax(
                        self.i,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    )
                }
            }
        }
    }

    /// The four hex digits after `\u` (and a second escape for a surrogate pair).
    fn unicode_escape(&mut self) -> Parsed<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xDC00..=0xDFFF => return syntax(self.i, "lone leading surrogate in hex escape"),
            0xD800..=0xDBFF => {
                if !(self.eat(b'\\') && self.eat(b'u')) {
                    return self.fail("unexpected end of hex escape", "EOF while parsing a string");
                }
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return syntax(self.i, "lone leading surrogate in hex escape");
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            _ => hi,
        };
        char::from_u32(code).ok_or(SyntaxError {
            at: self.i,
            problem: "invalid unicode code point",
        })
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.fail("invalid escape", "EOF while parsing a string"),
            };
            n = n * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(n)
    }
}

/// The integer of decimal `digits` (negated when `neg`), if it fits an i64.
fn int_value(digits: &[u8], neg: bool) -> Option<i64> {
    let mut mag: u64 = 0;
    for &d in digits {
        mag = mag.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    let limit = i64::MAX as u64 + u64::from(neg);
    if mag > limit {
        return None;
    }
    Some(if neg {
        (mag as i64).wrapping_neg()
    } else {
        mag as i64
    })
}
