//! The JSON reader for scenario files. It parses text into a small tree that remembers where
//! each value starts, and lets serde's derived `Deserialize` impls (in `spec.rs`) read from that
//! tree, so scenarios stay plain serde data.
//!
//! Why not serde_json: in the browser, the first run of every function is compiled on the spot,
//! and serde_json's streaming parser, inlined into the derived visitors, made much more code,
//! which start-up had to download and compile before the first frame. This reader is one
//! non-generic parser plus a thin serde layer. serde_json remains the reference in the tests
//! (`tests/core_malformed.rs` checks that both read the same trees and the same scenarios from
//! thousands of texts).
//!
//! Differences from serde_json, all about input no scenario uses: a struct must be an object
//! (serde_json also takes an array of its fields in order); integers outside i64 are "number out
//! of range"; fractions are kept as text (no float parsing in the wasm), so a huge one is a type
//! error later rather than a syntax error.
use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeSeed, IntoDeserializer, Unexpected, Visitor,
};
use std::fmt;

/// Deeper nesting than this is rejected (the tree and the serde layer both recurse).
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

/// A problem and the byte offset it was found at (filled in on the way out of the serde layer).
#[derive(Debug)]
pub struct Error {
    msg: String,
    at: Option<usize>,
}

impl Error {
    fn at(mut self, at: usize) -> Error {
        self.at.get_or_insert(at);
        self
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error {
            msg: msg.to_string(),
            at: None,
        }
    }
    // The two below word the value themselves: serde's `Unexpected` display can print a float,
    // which would put float formatting into the wasm for values this reader never produces.
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error::custom(format_args!(
            "invalid type: {}, expected {exp}",
            Worded(unexp)
        ))
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error::custom(format_args!(
            "invalid value: {}, expected {exp}",
            Worded(unexp)
        ))
    }
}

/// `Unexpected` in serde's words, without float formatting.
struct Worded<'a>(Unexpected<'a>);

impl fmt::Display for Worded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Unsigned(u) => write!(f, "integer `{u}`"),
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string \"{s}\""),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Other(o) => f.write_str(o),
            _ => f.write_str("a value of another kind"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for Error {}

/// Why a text is not a `T`: where (lines count from 1, columns are bytes into the line, 0 when
/// the text ends before the line has any) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// A syntax error: the byte offset it was found at, and what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub problem: &'static str,
}

/// Parses `text` as one `T`.
pub fn from_str<T: de::DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let error = |at: usize, problem: String| {
        let line_start = text.as_bytes()[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let column = at - line_start + usize::from(at < text.len());
        JsonError {
            line,
            column,
            problem,
        }
    };
    let node = parse(text).map_err(|e| error(e.at, e.problem.to_string()))?;
    T::deserialize(&node).map_err(|e| error(e.at.unwrap_or(0).min(text.len()), e.msg))
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

/// What a value is, for "invalid type" messages.
fn unexpected(n: &Node) -> Unexpected<'_> {
    match &n.v {
        Json::Null => Unexpected::Unit,
        Json::Bool(b) => Unexpected::Bool(*b),
        Json::Int(i) => Unexpected::Signed(*i),
        Json::Frac(t) => Unexpected::Other(t),
        Json::Str(s) => Unexpected::Str(s),
        Json::Arr(_) => Unexpected::Seq,
        Json::Obj(_) => Unexpected::Map,
    }
}

impl Node {
    /// "invalid type: <what this is>, expected <exp>", placed here.
    fn wrong(&self, exp: &dyn de::Expected) -> Error {
        <Error as de::Error>::invalid_type(unexpected(self), exp).at(self.at)
    }
}

/// Each method calls only the visitor method its type can use (a struct only reads an object, a
/// string only a string...), so the derived visitors are instantiated once per use rather than
/// for every kind of JSON value: that keeps the generated code about as small as the data types.
///
/// `#[inline(never)]` on `deserialize_seq`, `deserialize_map` and `Map::next_value_seed` keeps one
/// function per type: inlined, the whole `Scenario` reader became one huge wasm function, slow
/// for the browser (which compiles each function on its first call) to compile before the first
/// frame. wasm-opt is told not to re-merge them (`-ocimfs` in index.html).
impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.v {
            Json::Null => visitor.visit_unit(),
            Json::Bool(b) => visitor.visit_bool(*b),
            Json::Int(i) => visitor.visit_i64(*i),
            Json::Str(s) => visitor.visit_borrowed_str(s),
            Json::Arr(_) => return self.deserialize_seq(visitor),
            Json::Obj(_) => return self.deserialize_map(visitor),
            Json::Frac(_) => Err(self.wrong(&visitor)),
        }
        .map_err(|e| e.at(self.at))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Json::Bool(b) => visitor.visit_bool::<Error>(b).map_err(|e| e.at(self.at)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Json::Int(i) => visitor.visit_i64::<Error>(i).map_err(|e| e.at(self.at)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.v {
            Json::Str(s) => visitor
                .visit_borrowed_str::<Error>(s)
                .map_err(|e| e.at(self.at)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    #[inline(never)]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Json::Arr(items) = &self.v else {
            return Err(self.wrong(&visitor));
        };
        let mut seq = Seq(items.iter());
        let v = visitor.visit_seq(&mut seq).map_err(|e| e.at(self.at))?;
        match seq.0.len() {
            0 => Ok(v),
            _ => Err(<Error as de::Error>::invalid_length(
                items.len(),
                &"fewer elements in the list",
            )
            .at(self.at)),
        }
    }

    #[inline(never)]
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.v {
            Json::Obj(members) => visitor
                .visit_map(Map {
                    it: members.iter(),
                    value: None,
                })
                .map_err(|e| e.at(self.at)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.v {
            Json::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Externally tagged, as serde_json writes them: `"name"` for a unit variant, `{"name": ...}`
    /// otherwise.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.v {
            Json::Str(s) => {
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.as_str()))
            }
            Json::Obj(members) if members.len() == 1 => visitor.visit_enum(Enum(&members[0])),
            _ => return Err(self.wrong(&"a name, or an object with a single key")),
        }
        .map_err(|e| e.at(self.at))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct
    }
}

struct Seq<'de>(std::slice::Iter<'de, Node>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|n| seed.deserialize(n)).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    it: std::slice::Iter<'de, (String, Node)>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.it.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        // An unknown or repeated field is reported where its value starts.
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
            .map_err(|e: Error| e.at(value.at))
    }
    #[inline(never)]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(n) => seed.deserialize(n),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

struct Enum<'de>(&'de (String, Node));

impl<'de> de::EnumAccess<'de> for Enum<'de> {
    type Error = Error;
    type Variant = &'de Node;
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, &'de Node), Error> {
        let (name, value) = self.0;
        let v = seed
            .deserialize(BorrowedStrDeserializer::new(name))
            .map_err(|e: Error| e.at(value.at))?;
        Ok((v, value))
    }
}

impl<'de> de::VariantAccess<'de> for &'de Node {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        match self.v {
            Json::Null => Ok(()),
            _ => Err(de::Error::invalid_type(unexpected(self), &"unit variant")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
