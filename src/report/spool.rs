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
    /// An item as serde_json prints it, and the same item indented: kept
    /// from item to item, so that pushing one allocates nothing once they
    /// have grown, and the item goes to the spool in one write (it went
    /// line by line, two writes a line, into a new vector each time).
    text: Vec<u8>,
    indented: Vec<u8>,
}

impl JsonArray {
    pub fn new(indent: usize) -> JsonArray {
        JsonArray {
            spool: Spool::new(),
            indent,
            items: 0,
            text: Vec::new(),
            indented: Vec::new(),
        }
    }

    /// Add one item.
    pub fn push(&mut self, item: &impl Serialize) -> io::Result<()> {
        self.text.clear();
        serde_json::to_writer_pretty(&mut self.text, item).map_err(io::Error::from)?;
        let out = &mut self.indented;
        out.clear();
        out.extend_from_slice(if self.items == 0 { b"\n" } else { b",\n" });
        out.resize(out.len() + self.indent, b' ');
        // A JSON text has no raw newline inside strings: every newline is
        // between tokens, where the indentation goes.
        let mut rest = &self.text[..];
        while let Some(i) = memchr::memchr(b'\n', rest) {
            out.extend_from_slice(&rest[..=i]);
            out.resize(out.len() + self.indent, b' ');
            rest = &rest[i + 1..];
        }
        out.extend_from_slice(rest);
        self.spool.write_all(out)?;
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
