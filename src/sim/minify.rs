//! JSON without its layout: the whitespace between tokens dropped, strings kept byte for byte.
//! `build.rs` uses it on the built-in scenarios embedded in the wasm (gzip still pays for
//! indentation); native builds embed the files as written, so their errors point at real lines.

/// `text` with every space, tab and line break outside a string removed. Not a validator: invalid
/// JSON comes out as invalid, and the reader reports it.
pub fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c.is_ascii_whitespace() {
            continue;
        }
        out.push(c);
    }
    out
}
