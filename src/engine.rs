//! The run: collect inputs, read them, extract facts, run the checks, and
//! gather everything a report needs, in a deterministic order whatever the
//! number of threads.

use crate::check::{run_check, Check, Context, Finding};
use crate::record::Record;
use crate::source::{self, ReadError, SourceFile};
use std::io::Read;
use std::path::Path;

mod ordered;

/// File endings read when walking a directory (a file named explicitly is
/// always read, whatever its name).
const WALKED_EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson", "xml", "html", "htm", "txt"];

/// What to run.
pub struct Options {
    pub as_of: chrono::NaiveDate,
    /// Number of worker threads (0: one per core).
    pub jobs: usize,
}

/// One input to read: a path, or stdin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(String),
    Stdin,
}

/// One record's entry in the run (or a file that could not be read).
#[derive(Clone, Debug)]
pub struct FileEntry {
    pub path: String,
    /// Index of the source in [`Run::sources`], if it was read.
    pub source: Option<usize>,
    pub format: Option<String>,
    pub record: Option<String>,
    pub error: Option<String>,
}

/// Everything a run produced.
#[derive(Default)]
pub struct Run {
    pub sources: Vec<SourceFile>,
    pub entries: Vec<FileEntry>,
    pub records: Vec<(usize, Record)>,
    pub findings: Vec<Finding>,
    pub errors: Vec<ReadError>,
    pub files: usize,
    /// Findings hidden by `[[suppress]]` entries of trialint.toml (set by
    /// the app after the run, for the summaries of the reports).
    pub suppressed: usize,
    /// Findings hidden by `--baseline` / `--write-baseline`.
    pub baselined: usize,
}

/// Expand the user's paths: directories are walked recursively in name
/// order; what cannot be listed becomes a read error.
pub fn collect_inputs(paths: &[String]) -> (Vec<Input>, Vec<ReadError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(p);
        if path.is_dir() {
            // In name order. The entries of one directory are sorted, and
            // their paths are the directory's path and their names, so
            // the paths sort as the names do; `sort_by_file_name` found
            // each name again from its path for every comparison (8,000
            // instructions a file in directories of 1,000 files, 1% of a
            // run's instructions).
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_dir() => {}
                    Ok(e) => {
                        let ext = e
                            .path()
                            .extension()
                            .and_then(|x| x.to_str())
                            .unwrap_or("")
                            .to_ascii_lowercase();
                        let walked = WALKED_EXTENSIONS.contains(&ext.as_str());
                        let shown = e.path().to_string_lossy().into_owned();
                        if e.file_type().is_file() {
                            if walked {
                                inputs.push(Input::Path(shown));
                            }
                        } else if e.path_is_symlink() {
                            // A link to a file is read like the file; a link
                            // to a directory is not walked (it could loop or
                            // lead out of the tree) and a dangling link is
                            // reported: neither is skipped silently.
                            let reason = match std::fs::metadata(e.path()) {
                                Ok(m) if m.is_dir() => "a symbolic link to a directory: directory links are not followed when walking a directory; name the target on the command line to check it",
                                Ok(_) if walked => {
                                    inputs.push(Input::Path(shown));
                                    continue;
                                }
                                Ok(_) => continue,
                                Err(_) => "a dangling or looping symbolic link: its target cannot be read",
                            };
                            errors.push(ReadError {
                                path: shown,
                                reason: reason.to_string(),
                            });
                        } else if walked {
                            if let Err(err) = not_regular(&shown, &e.file_type()) {
                                errors.push(err);
                            }
                        }
                    }
                    Err(err) => errors.push(ReadError {
                        path: err
                            .path()
                            .map(|q| q.to_string_lossy().into_owned())
                            .unwrap_or_else(|| p.clone()),
                        reason: format!(
                            "cannot list directory entry: {}",
                            err.io_error()
                                .map(|e| e.to_string())
                                .unwrap_or_else(|| err.to_string())
                        ),
                    }),
                }
            }
        } else {
            inputs.push(Input::Path(p.clone()));
        }
    }
    (inputs, errors)
}

/// Read one input into a source file.
pub fn load(input: &Input) -> Result<SourceFile, ReadError> {
    load_opened(input, open(input))
}

/// A file opened (and its metadata read) ahead of reading it; `None` for
/// standard input (a path given `None` is opened when it is read).
type Opened = Option<Result<(std::fs::File, std::fs::Metadata), crate::files::OpenError>>;

/// Open an input that is a path: only regular files, as [`load_opened`]
/// reads them.
fn open(input: &Input) -> Opened {
    match input {
        Input::Stdin => None,
        Input::Path(p) => Some(crate::files::open_regular(Path::new(p))),
    }
}

/// Read one input, opened by [`open`], into a source file. The run's
/// producer opens each file to see its size (whether to stream it), and
/// the file is read from that opening: one `open` and one `fstat` a file,
/// where a `stat` of the path before its opening was a third system call
/// (20,000 `statx` calls for 10,000 files).
fn load_opened(input: &Input, opened: Opened) -> Result<SourceFile, ReadError> {
    match input {
        Input::Path(p) => {
            let io_err = |e: std::io::Error| ReadError {
                path: p.clone(),
                reason: match e.kind() {
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                        crate::files::io_reason(&e)
                    }
                    _ => format!("cannot read: {e}"),
                },
            };
            // Only regular files are read: a FIFO may block and a device
            // never end.
            let opened = opened.unwrap_or_else(|| crate::files::open_regular(Path::new(p)));
            let (mut file, meta) = opened.map_err(|e| match e {
                crate::files::OpenError::Io(e) => io_err(e),
                crate::files::OpenError::NotRegular(reason) => ReadError {
                    path: p.clone(),
                    reason,
                },
            })?;
            let bytes = crate::files::read_sized(&mut file, meta.len() as usize).map_err(io_err)?;
            source::decode(p, bytes)
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| ReadError {
                    path: "<stdin>".into(),
                    reason: format!("cannot read standard input: {e}"),
                })?;
            source::decode("<stdin>", bytes)
        }
    }
}

/// An error unless `kind` is a regular file.
fn not_regular(path: &str, kind: &std::fs::FileType) -> Result<(), ReadError> {
    match crate::files::not_regular(kind) {
        None => Ok(()),
        Some(reason) => Err(ReadError {
            path: path.to_string(),
            reason,
        }),
    }
}

/// Files at least this large that hold a JSON array or JSON Lines are
/// read as a stream of elements rather than whole (overridden by the
/// environment variable `TRIALINT_STREAM_THRESHOLD`, in bytes).
pub const STREAM_THRESHOLD: u64 = 8 << 20;

/// Elements of a streamed file checked together (in parallel), at most.
const BATCH_BYTES: usize = 4 << 20;
const BATCH_ELEMENTS: usize = 256;

fn stream_threshold() -> u64 {
    std::env::var("TRIALINT_STREAM_THRESHOLD")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(STREAM_THRESHOLD)
}

/// What a run keeps of the sources and records once they are checked.
/// Sources and records without findings are always reduced to their
/// names, so memory does not grow with the size of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Keep {
    /// Whole sources and records for records with findings (the HTML
    /// report and correction requests show them).
    #[default]
    Full,
    /// Only the lines that findings label (enough for the human format).
    Labelled,
    /// No text: only the positions and text of the labelled spans (enough
    /// for the JSON, SARIF, GitHub and JUnit formats and baselines), so
    /// memory does not grow with the size of the records with findings.
    Marks,
}

/// Where a unit's source goes in the run.
enum Src {
    Own(SourceFile),
    /// The file's shared name-only source (records of a streamed file that
    /// have no findings).
    Stub {
        file_len: usize,
    },
}

/// One source's worth of results: a whole file, or one element of a
/// streamed file.
struct Unit {
    source: Option<Src>,
    records: Vec<Record>,
    findings: Vec<Finding>,
    error: Option<ReadError>,
}

/// What one input produced, before it is numbered into the run.
struct Partial {
    units: Vec<Unit>,
}

/// A record reduced to what the reports need when it has no findings.
fn stub_record(r: Record) -> Record {
    let mut stub = Record::new(r.format);
    stub.id = r.id;
    stub.span = r.span;
    stub
}

/// Drop what no finding needs from a checked source and its records.
fn compact(mut src: SourceFile, records: Vec<Record>, findings: Vec<Finding>, keep: Keep) -> Unit {
    if findings.is_empty() {
        src.drop_text();
        return Unit {
            source: Some(Src::Own(src)),
            records: records.into_iter().map(stub_record).collect(),
            findings: Vec::new(),
            error: None,
        };
    }
    let records = match keep {
        Keep::Full => {
            // Keep whole only the records that have findings.
            let with: Vec<bool> = records
                .iter()
                .map(|r| findings.iter().any(|f| f.record == r.id))
                .collect();
            records
                .into_iter()
                .zip(with)
                .map(|(r, w)| if w { r } else { stub_record(r) })
                .collect()
        }
        Keep::Labelled => {
            let spans = findings
                .iter()
                .flat_map(|f| f.labels.iter().map(|l| l.span));
            let lo = spans.clone().map(|s| s.start.min(s.end)).min();
            let hi = spans.map(|s| s.end.max(s.start)).max();
            match (lo, hi) {
                (Some(lo), Some(hi)) => src.keep_lines(lo, hi),
                _ => src.drop_text(),
            }
            records.into_iter().map(stub_record).collect()
        }
        Keep::Marks => {
            let spans = findings
                .iter()
                .flat_map(|f| f.labels.iter().map(|l| l.span));
            // the offsets `Marks::new` asks for, counted in one pass
            let mut offsets: Vec<usize> = spans
                .clone()
                .flat_map(crate::source::Marks::offsets)
                .collect();
            offsets.sort_unstable();
            offsets.dedup();
            let pos = crate::report::records::Positions::new(&src);
            let positions = pos.ascending(&offsets);
            let marks =
                crate::source::Marks::new(&src, spans, |o| match offsets.binary_search(&o) {
                    Ok(i) => positions[i],
                    // not asked for above: counted on its own rather than a panic
                    Err(_) => pos.position(o),
                });
            src.keep_marks(marks);
            records.into_iter().map(stub_record).collect()
        }
    };
    Unit {
        source: Some(Src::Own(src)),
        records,
        findings,
        error: None,
    }
}

fn failed(e: ReadError) -> Partial {
    Partial {
        units: vec![Unit {
            source: None,
            records: Vec::new(),
            findings: Vec::new(),
            error: Some(e),
        }],
    }
}

fn check_all(
    records: &[Record],
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for record in records {
        findings.extend(check_record_with(record, checks, opts.as_of, 0, extractors));
    }
    findings
}

/// Read one input whole (opened by [`open`]) and check it.
fn process(
    input: &Input,
    opened: Opened,
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
    keep: Keep,
) -> Partial {
    let src = match load_opened(input, opened) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    whole(src, checks, opts, extractors, keep)
}

/// Check a source read whole.
fn whole(
    mut src: SourceFile,
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
    keep: Keep,
) -> Partial {
    let records = match source::read(&src) {
        Ok(r) => r,
        Err(e) => {
            src.drop_text();
            return Partial {
                units: vec![Unit {
                    source: Some(Src::Own(src)),
                    records: Vec::new(),
                    findings: Vec::new(),
                    error: Some(e),
                }],
            };
        }
    };
    let findings = check_all(&records, checks, opts, extractors);
    Partial {
        units: vec![compact(src, records, findings, keep)],
    }
}

/// Run `f` on the run's thread pool (or rayon's global one).
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// What the checking of every input needs: the checks and how to run
/// them, and how much of the checked sources to keep.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub checks: &'a [Check],
    pub opts: &'a Options,
    /// User-declared fact extractors (trialint.toml, `*.extractor.toml`),
    /// run after the shipped ones.
    pub extractors: &'a [crate::extract::user::UserExtractor],
    pub progress: &'a dyn Progress,
    pub keep: Keep,
}

/// A job and the thread pool it runs on (`None`: rayon's global one), of
/// `threads` threads.
struct Workers<'a> {
    job: Job<'a>,
    pool: Option<&'a rayon::ThreadPool>,
    threads: usize,
}

/// Read a large JSON array / JSON Lines file as a stream of elements,
/// checking each batch of elements in parallel and handing the units of
/// each batch to `emit` as soon as it is done, so that nothing of the file
/// accumulates. `false`: nothing was emitted, read the file the usual way
/// (it could not be opened: the usual way reports why).
fn try_stream(path: &str, w: &Workers, emit: &mut (dyn FnMut(Vec<Unit>) + Send)) -> bool {
    let j = w.job;
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = vec![0u8; 64 * 1024];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    head.truncate(n);
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if utf16 || !source::stream::streamable(&head) {
        // Read the rest and check it whole.
        let mut bytes = head;
        if let Err(e) = file.read_to_end(&mut bytes) {
            emit(
                failed(ReadError {
                    path: path.to_string(),
                    reason: format!("cannot read: {e}"),
                })
                .units,
            );
            return true;
        }
        let p = match source::decode(path, bytes) {
            Ok(src) => on_pool(w.pool, || {
                whole(src, j.checks, j.opts, j.extractors, j.keep)
            }),
            Err(e) => failed(e),
        };
        emit(p.units);
        return true;
    }
    let file_len = meta.len() as usize;
    let reader = std::io::Cursor::new(head).chain(file);
    let mut splitter = source::stream::Splitter::new(path, reader, file_len);
    // The elements, each tagged with its batch: a batch is handed on as one
    // piece (its records without findings share a unit), as many bytes and
    // elements as before.
    let mut batch = 0usize;
    let (mut batch_bytes, mut batch_len) = (0usize, 0usize);
    let mut ended = false;
    // The elements left, estimated from the bytes left at the size of the
    // elements so far (`usize::MAX` before the first): it sizes the
    // workers' batches as the number of files left does.
    let left = std::sync::atomic::AtomicUsize::new(usize::MAX);
    let mut next = || {
        if ended {
            return None;
        }
        let item = match splitter.next() {
            Some(Ok(el)) => {
                let read = el.source.offset + el.source.text.len();
                let seen = el.index + 1;
                left.store(
                    file_len.saturating_sub(read) / (read / seen).max(1),
                    std::sync::atomic::Ordering::Relaxed,
                );
                let b = batch;
                batch_bytes += el.source.text.len();
                batch_len += 1;
                if batch_bytes >= BATCH_BYTES || batch_len >= BATCH_ELEMENTS {
                    batch += 1;
                    (batch_bytes, batch_len) = (0, 0);
                }
                Streamed::Element(b, el)
            }
            Some(Err(e)) => Streamed::End(batch, Some(e)),
            None => Streamed::End(batch, None),
        };
        ended = matches!(item, Streamed::End(..));
        Some(item)
    };
    let mut emitted = false;
    let mut current = 0usize;
    let mut units: Vec<Unit> = Vec::new();
    ordered::ordered(
        w.pool,
        w.threads,
        w.threads * WINDOW_PER_THREAD,
        &|_| {
            let n = left.load(std::sync::atomic::Ordering::Relaxed);
            (n != usize::MAX).then_some(n)
        },
        &mut next,
        &|piece| match piece {
            Streamed::Element(b, el) => Streamed::Element(
                b,
                element_unit(el, j.checks, j.opts, j.extractors, j.keep, file_len),
            ),
            Streamed::End(b, e) => Streamed::End(b, e),
        },
        &mut |done: Streamed<Unit>| {
            let b = match &done {
                Streamed::Element(b, _) | Streamed::End(b, _) => *b,
            };
            if b != current && !units.is_empty() {
                emit(std::mem::take(&mut units));
                emitted = true;
            }
            current = b;
            match done {
                Streamed::Element(_, u) => match units.last_mut() {
                    // Runs of records without findings share one unit.
                    Some(last)
                        if matches!(last.source, Some(Src::Stub { .. }))
                            && matches!(u.source, Some(Src::Stub { .. }))
                            && last.error.is_none()
                            && u.error.is_none()
                            && last.findings.is_empty()
                            && u.findings.is_empty() =>
                    {
                        last.records.extend(u.records);
                    }
                    _ => units.push(u),
                },
                Streamed::End(_, error) => {
                    if let Some(e) = error {
                        units.push(Unit {
                            source: Some(Src::Stub { file_len }),
                            records: Vec::new(),
                            findings: Vec::new(),
                            error: Some(e),
                        });
                    }
                    if !units.is_empty() || !emitted {
                        emit(std::mem::take(&mut units));
                        emitted = true;
                    }
                }
            }
        },
    );
    true
}

/// An element of a streamed file (to check: a `source::stream::Element`;
/// checked: a `Unit`), or the file's end with the error that ended it;
/// each with the number of its batch.
enum Streamed<T> {
    Element(usize, T),
    End(usize, Option<ReadError>),
}

fn element_unit(
    el: source::stream::Element,
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
    keep: Keep,
    file_len: usize,
) -> Unit {
    match source::stream::read_element(&el) {
        Err(e) => Unit {
            source: Some(Src::Stub { file_len }),
            records: Vec::new(),
            findings: Vec::new(),
            error: Some(e),
        },
        Ok(records) => {
            let findings = check_all(&records, checks, opts, extractors);
            if findings.is_empty() {
                Unit {
                    source: Some(Src::Stub { file_len }),
                    records: records.into_iter().map(stub_record).collect(),
                    findings,
                    error: None,
                }
            } else {
                compact(el.source, records, findings, keep)
            }
        }
    }
}

/// Run every check over one record; findings in a stable order.
pub fn check_record(
    record: &Record,
    checks: &[Check],
    as_of: chrono::NaiveDate,
    file: usize,
) -> Vec<Finding> {
    check_record_with(record, checks, as_of, file, &[])
}

/// [`check_record`] with user extractors run after the shipped ones.
pub fn check_record_with(
    record: &Record,
    checks: &[Check],
    as_of: chrono::NaiveDate,
    file: usize,
    extractors: &[crate::extract::user::UserExtractor],
) -> Vec<Finding> {
    let wanted = checks
        .iter()
        .fold(crate::extract::Wanted::NONE, |w, c| w.or(c.wants));
    check_record_wanting(record, checks, as_of, file, extractors, wanted)
}

/// [`check_record_with`], the record read by the shipped extractors
/// `wanted` asks for (which must give every fact the checks read).
pub fn check_record_wanting(
    record: &Record,
    checks: &[Check],
    as_of: chrono::NaiveDate,
    file: usize,
    extractors: &[crate::extract::user::UserExtractor],
    wanted: crate::extract::Wanted,
) -> Vec<Finding> {
    let mut facts = crate::extract::extract_with_for(record, extractors, wanted);
    Context::sort(&mut facts);
    let cx = Context::new(record, &facts, as_of);
    let mut findings: Vec<Finding> = checks
        .iter()
        .flat_map(|c| run_check(c, &cx, file))
        .collect();
    findings.sort_by(|a, b| {
        let ka = a
            .labels
            .iter()
            .find(|l| l.primary)
            .map(|l| (l.span.start, l.span.end));
        let kb = b
            .labels
            .iter()
            .find(|l| l.primary)
            .map(|l| (l.span.start, l.span.end));
        ka.cmp(&kb)
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings
}

/// Told how a run advances (a progress bar). Called from worker threads.
pub trait Progress: Sync {
    /// The number of inputs, once they are collected.
    fn start(&self, _inputs: usize) {}
    /// One input is done.
    fn tick(&self) {}
    /// Every input is done.
    fn finish(&self) {}
}

/// No progress reporting.
impl Progress for () {}

/// Run the checks over the inputs.
pub fn run(paths: &[String], checks: &[Check], opts: &Options) -> Run {
    run_full(paths, checks, opts, &[], &())
}

/// [`run`] with user-declared fact extractors (trialint.toml,
/// `*.extractor.toml`) run after the shipped ones.
pub fn run_with(
    paths: &[String],
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
) -> Run {
    run_full(paths, checks, opts, extractors, &())
}

/// [`run`], telling `progress` as each input is done.
pub fn run_with_progress(
    paths: &[String],
    checks: &[Check],
    opts: &Options,
    progress: &dyn Progress,
) -> Run {
    run_full(paths, checks, opts, &[], progress)
}

/// Everything a run can take: user extractors and a progress reporter.
pub fn run_full(
    paths: &[String],
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
    progress: &dyn Progress,
) -> Run {
    run_keeping(paths, checks, opts, extractors, progress, Keep::Full)
}

/// [`run_full`], saying how much of the checked sources to keep: the whole
/// run gathered in memory (the HTML report and correction requests need
/// it; the other formats use [`run_streaming`]).
pub fn run_keeping(
    paths: &[String],
    checks: &[Check],
    opts: &Options,
    extractors: &[crate::extract::user::UserExtractor],
    progress: &dyn Progress,
    keep: Keep,
) -> Run {
    let job = Job {
        checks,
        opts,
        extractors,
        progress,
        keep,
    };
    let mut run = Run::default();
    run_streaming(paths, job, &mut |piece| run.append(piece));
    run
}

/// Inputs a thread may check ahead of the first result not yet handed on:
/// enough to keep every thread busy (two and a half of the largest batches
/// a worker takes, so that a worker done with its batch seldom waits for
/// the one that holds the oldest), few enough that what they produce stays
/// small before it is handed on.
const WINDOW_PER_THREAD: usize = ordered::MAX_TAKE * 5 / 2;

/// Run the checks over the inputs and hand the results to `sink` piece by
/// piece, in input order whatever the number of threads: first the inputs
/// a directory walk could not list, then each input (a large streamed file
/// in several pieces, one per batch of elements). Each piece is a [`Run`]
/// whose indices are its own; `files` counts the inputs it starts.
/// Nothing is kept once `sink` has it, so memory does not grow with the
/// number of inputs.
pub fn run_streaming(paths: &[String], job: Job, sink: &mut (dyn FnMut(Run) + Send)) {
    let Job {
        checks,
        opts,
        extractors,
        progress,
        keep,
    } = job;
    let (inputs, walk_errors) = collect_inputs(paths);
    progress.start(inputs.len());
    if !walk_errors.is_empty() {
        let mut run = Run::default();
        for e in walk_errors {
            run.entries.push(FileEntry {
                path: e.path.clone(),
                source: None,
                format: None,
                record: None,
                error: Some(e.reason.clone()),
            });
            run.errors.push(e);
        }
        sink(run);
    }
    let pool = if opts.jobs > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs)
            .build()
            .ok()
    } else {
        None
    };
    let threads = pool
        .as_ref()
        .map(|p| p.current_num_threads())
        .unwrap_or_else(rayon::current_num_threads);
    let window = (threads * WINDOW_PER_THREAD).max(1);
    let threshold = stream_threshold();
    // A file is large (streamed if it is an array) by the size its opening
    // reads: the one judgment for the first input of a batch and the rest.
    let large = |opened: &Opened| matches!(opened, Some(Ok((_, m))) if m.len() >= threshold);
    let workers = Workers {
        job,
        pool: pool.as_ref(),
        threads,
    };
    let mut i = 0;
    while i < inputs.len() {
        // opened once: a large file is streamed, any other starts a batch
        let mut first_opened = Some(open(&inputs[i]));
        if let Input::Path(path) = &inputs[i] {
            if first_opened.as_ref().is_some_and(large) {
                // the stream reader opens the file its own way
                drop(first_opened);
                let mut first = true;
                let streamed = try_stream(path, &workers, &mut |units| {
                    sink(chunk(path, units, first));
                    first = false;
                });
                if !streamed {
                    let p = on_pool(pool.as_ref(), || {
                        process(&inputs[i], open(&inputs[i]), checks, opts, extractors, keep)
                    });
                    sink(chunk(path, p.units, true));
                }
                progress.tick();
                i += 1;
                continue;
            }
        }
        // The inputs up to the next large one, checked on every thread,
        // each result handed on in order as soon as it and those before it
        // are done.
        let mut k = i;
        let mut stopped_at = inputs.len();
        // Each file is opened here, and its size read from the opening
        // decides whether it is large; the worker reads it from there.
        let mut next = || {
            if k >= inputs.len() {
                stopped_at = stopped_at.min(k);
                return None;
            }
            // the batch's first input was opened above
            let opened = first_opened.take().unwrap_or_else(|| open(&inputs[k]));
            if k > i && large(&opened) {
                stopped_at = stopped_at.min(k);
                return None;
            }
            k += 1;
            Some((&inputs[k - 1], opened))
        };
        ordered::ordered(
            pool.as_ref(),
            threads,
            window,
            // at most the inputs left (`next` stops early at a large one)
            &|k| Some(inputs.len().saturating_sub(i + k)),
            &mut next,
            &|(input, opened): (&Input, Opened)| {
                let p = process(input, opened, checks, opts, extractors, keep);
                progress.tick();
                (input, p)
            },
            &mut |(input, p): (&Input, Partial)| {
                let path = match input {
                    Input::Stdin => "<stdin>",
                    Input::Path(p) => p.as_str(),
                };
                sink(chunk(path, p.units, true));
            },
        );
        i = stopped_at;
    }
    progress.finish();
}

/// Number the units of one input (or of one batch of a streamed input)
/// into a piece of the run. `first`: the piece starts the input.
fn chunk(path: &str, units: Vec<Unit>, first: bool) -> Run {
    let mut run = Run {
        files: usize::from(first),
        ..Run::default()
    };
    let mut stub: Option<usize> = None;
    for u in units {
        let source_index = match u.source {
            Some(Src::Own(s)) => {
                run.sources.push(s);
                Some(run.sources.len() - 1)
            }
            Some(Src::Stub { file_len }) => Some(*stub.get_or_insert_with(|| {
                let mut s = SourceFile::new(path.to_string(), String::new());
                s.file_len = file_len;
                run.sources.push(s);
                run.sources.len() - 1
            })),
            None => None,
        };
        if let Some(e) = u.error {
            run.entries.push(FileEntry {
                path: path.to_string(),
                source: source_index,
                format: None,
                record: None,
                error: Some(e.reason.clone()),
            });
            run.errors.push(e);
            continue;
        }
        let Some(si) = source_index else { continue };
        for r in &u.records {
            run.entries.push(FileEntry {
                path: path.to_string(),
                source: Some(si),
                format: Some(r.format.clone()),
                record: r.id.clone(),
                error: None,
            });
        }
        for mut f in u.findings {
            f.file = si;
            run.findings.push(f);
        }
        for r in u.records {
            run.records.push((si, r));
        }
    }
    run
}

impl Run {
    /// Add a later piece of the run (see [`run_streaming`]), renumbering
    /// its sources after the ones already here.
    pub fn append(&mut self, mut piece: Run) {
        let base = self.sources.len();
        self.sources.append(&mut piece.sources);
        self.entries.extend(piece.entries.into_iter().map(|mut e| {
            e.source = e.source.map(|s| s + base);
            e
        }));
        self.records
            .extend(piece.records.into_iter().map(|(s, r)| (s + base, r)));
        self.findings
            .extend(piece.findings.into_iter().map(|mut f| {
                f.file += base;
                f
            }));
        self.errors.append(&mut piece.errors);
        self.files += piece.files;
        self.suppressed += piece.suppressed;
        self.baselined += piece.baselined;
    }
}
