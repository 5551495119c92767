//! Writing a report while the run goes on: each format renders every piece
//! of the run as soon as it is checked (see `engine::run_streaming`) into
//! spools, anonymous temporary files, and assembles them once the run is
//! over. A report's header can hold totals (JUnit's counts, SARIF's
//! `executionSuccessful`) and its sections come in a fixed order (the read
//! errors before the findings), so nothing can go to the output before the
//! end; but nothing stays in memory either, whatever the size of the run.

use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Bytes written now and read back once: a temporary file (deleted by the
/// system when it is dropped), or memory when no temporary file can be made.
pub struct Spool {
    file: Option<BufWriter<File>>,
    memory: Vec<u8>,
}

impl Default for Spool {
    fn default() -> Self {
        Spool::new()
    }
}

impl Spool {
    /// An empty spool. The file is made once a section outgrows memory, so
    /// small sections cost no file.
    pub fn new() -> Spool {
        Spool {
            file: None,
            memory: Vec::new(),
        }
    }

    /// Write everything spooled to `out`.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.memory)?;
        if let Some(w) = self.file {
            let mut file = w.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => out.write_all(&buf[..n])?,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }
}

/// Small sections stay in memory; past this, a spool moves to a file.
const IN_MEMORY: usize = 1 << 20;

impl Write for Spool {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(f) = &mut self.file {
            f.write_all(bytes)?;
        } else {
            self.memory.extend_from_slice(bytes);
            if self.memory.len() > IN_MEMORY {
                // No temporary file (a read-only system): keep going in memory.
                if let Ok(file) = tempfile::tempfile() {
                    let mut w = BufWriter::with_capacity(1 << 16, file);
                    w.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    self.file = Some(w);
                }
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// The items of a JSON array inside a pretty-printed document, spooled one
/// by one. `indent` is the number of spaces before each item, which is the
/// indentation of the line holding the array plus two, so the document
/// comes out as `serde_json::to_writer_pretty` would print it whole.
pub struct JsonArray {
    spool: Spool,
    indent: usize,
    items: usize,
    /// The item being written, kept from item to item, so that pushing one
    /// allocates nothing once it has grown, and the item goes to the spool
    /// in one write.
    text: Vec<u8>,
}

impl JsonArray {
    pub fn new(indent: usize) -> JsonArray {
        JsonArray {
            spool: Spool::new(),
            indent,
            items: 0,
            text: Vec::new(),
        }
    }

    /// Add one item.
    pub fn push(&mut self, item: &impl Serialize) -> io::Result<()> {
        self.text.clear();
        self.text
            .extend_from_slice(if self.items == 0 { b"\n" } else { b",\n" });
        write_spaces(&mut self.text, self.indent)?;
        let mut ser =
            serde_json::Serializer::with_formatter(&mut self.text, Indented::new(self.indent));
        item.serialize(&mut ser).map_err(io::Error::from)?;
        self.spool.write_all(&self.text)?;
        self.items += 1;
        Ok(())
    }

    /// Write the array: `[]` when empty, else the items and the closing
    /// bracket on its own line.
    pub fn write_to(self, out: &mut dyn Write) -> io::Result<()> {
        if self.items == 0 {
            return out.write_all(b"[]");
        }
        out.write_all(b"[")?;
        self.spool.copy_to(out)?;
        out.write_all(b"\n")?;
        out.write_all(" ".repeat(self.indent.saturating_sub(2)).as_bytes())?;
        out.write_all(b"]")
    }
}

/// serde_json's `PrettyFormatter` (two spaces a level) for a value whose
/// first line starts `base` spaces in: every later line starts `base`
/// spaces further in too. (The item was printed at the margin, then copied
/// line by line to indent it: a memchr, a copy and a fill per line, about
/// 3,300 instructions per finding of 36 lines.) Each method is the
/// `PrettyFormatter` one with the base added to the indentation.
struct Indented {
    base: usize,
    /// Nesting depth, as `PrettyFormatter::current_indent`.
    level: usize,
    /// Whether the array or object being closed holds a value.
    has_value: bool,
}

impl Indented {
    fn new(base: usize) -> Indented {
        Indented {
            base,
            level: 0,
            has_value: false,
        }
    }

    /// A line break and the indentation of the current level.
    fn line<W: ?Sized + Write>(&self, w: &mut W, brk: &[u8]) -> io::Result<()> {
        w.write_all(brk)?;
        write_spaces(w, self.base + 2 * self.level)
    }

    /// An array or object opens: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// An array or object closes, on a line of its own unless empty.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, b"\n")?;
        }
        w.write_all(bracket)
    }

    /// An array's value or an object's key starts: on a new line, after a
    /// comma unless it is the first.
    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }
}

/// `n` spaces.
fn write_spaces<W: ?Sized + Write>(w: &mut W, mut n: usize) -> io::Result<()> {
    const SPACES: &[u8; 64] = &[b' '; 64];
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The string that stands for the spooled array `name` in a document's
/// skeleton (see [`splice`]).
pub fn placeholder(name: &str) -> String {
    format!("@@trialint-spool:{name}@@")
}

/// Write `skeleton` (a pretty-printed JSON document) with each quoted
/// [`placeholder`] replaced by its array, in any order.
pub fn splice(
    skeleton: &str,
    mut arrays: Vec<(&str, JsonArray)>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rest = skeleton;
    loop {
        let next = arrays
            .iter()
            .enumerate()
            .filter_map(|(i, (name, _))| {
                let quoted = format!("\"{}\"", placeholder(name));
                rest.find(&quoted).map(|at| (at, i, quoted.len()))
            })
            .min();
        let Some((at, i, len)) = next else {
            return out.write_all(rest.as_bytes());
        };
        out.write_all(&rest.as_bytes()[..at])?;
        let (_, array) = arrays.swap_remove(i);
        array.write_to(out)?;
        rest = &rest[at + len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The spliced document is the one printed whole.
    #[test]
    fn splice_equals_whole_document() {
        let items = vec![json!({"a": 1, "b": [1, 2]}), json!({"a": "x\ny"})];
        let whole = serde_json::to_string_pretty(&json!({
            "empty": [],
            "list": items,
            "deep": { "inner": items },
            "z": 1,
        }))
        .unwrap();
        let skeleton = serde_json::to_string_pretty(&json!({
            "empty": placeholder("empty"),
            "list": placeholder("list"),
            "deep": { "inner": placeholder("inner") },
            "z": 1,
        }))
        .unwrap();
        let mut list = JsonArray::new(4);
        let mut inner = JsonArray::new(6);
        for i in &items {
            list.push(i).unwrap();
            inner.push(i).unwrap();
        }
        let mut out = Vec::new();
        splice(
            &skeleton,
            vec![
                ("list", list),
                ("inner", inner),
                ("empty", JsonArray::new(4)),
            ],
            &mut out,
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    /// An item as the formatter writes it: printed at the margin by
    /// serde_json, then each line after the first indented (how items were
    /// written before [`Indented`]).
    fn reindented(item: &serde_json::Value, indent: usize, first: bool) -> Vec<u8> {
        let text = serde_json::to_vec_pretty(item).unwrap();
        let mut out: Vec<u8> = if first {
            b"\n".to_vec()
        } else {
            b",\n".to_vec()
        };
        out.resize(out.len() + indent, b' ');
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.push(b'\n');
                out.resize(out.len() + indent, b' ');
            }
            out.extend_from_slice(line);
        }
        out
    }

    /// A value of up to `depth` levels of arrays and objects (some empty),
    /// with strings that need escaping, from a seeded generator.
    fn random_value(state: &mut u64, depth: usize) -> serde_json::Value {
        let mut next = || {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        };
        let kind = next() % if depth == 0 { 4 } else { 7 };
        let n = (next() % 4) as usize;
        match kind {
            0 => json!(null),
            1 => json!(next() % 1000),
            2 => json!(next() % 2 == 0),
            3 => json!(["a\nb", "\"q\"", "é \u{1}", "", "plain"][n % 5]),
            4 | 5 => {
                serde_json::Value::Array((0..n).map(|_| random_value(state, depth - 1)).collect())
            }
            _ => serde_json::Value::Object(
                (0..n)
                    .map(|i| (format!("k{i}"), random_value(state, depth - 1)))
                    .collect(),
            ),
        }
    }

    /// Items come out as serde_json prints them, indented line by line, on
    /// 3,000 random values at the indents the reports use and more.
    #[test]
    fn items_are_indented_as_printed() {
        let mut state = 0x5eed_u64;
        for indent in [0, 2, 4, 8, 12, 70] {
            let mut array = JsonArray::new(indent);
            let mut expected = Vec::new();
            for i in 0..500 {
                let item = random_value(&mut state, 5);
                expected.extend(reindented(&item, indent, i == 0));
                array.push(&item).unwrap();
            }
            let mut out = Vec::new();
            array.spool.copy_to(&mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    /// A spool past its memory limit goes through a file and comes back whole.
    #[test]
    fn large_spool_round_trips() {
        let mut s = Spool::new();
        let chunk: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
        for _ in 0..30 {
            s.write_all(&chunk).unwrap();
        }
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        assert_eq!(out.len(), 3_000_000);
        assert_eq!(&out[..100_000], &chunk[..]);
        assert_eq!(&out[2_900_000..], &chunk[..]);
    }
}
