//! Reading the files trialint is pointed at: only regular files, so that a
//! named pipe (which blocks until someone writes to it), a device such as
//! `/dev/zero` (which never ends) or a directory is reported with its
//! reason instead of hanging the run or exhausting memory.

use std::fs::FileType;
use std::io::Read;
use std::path::Path;

/// Why a file of this type is not read; `None` for a regular file.
pub fn not_regular(kind: &FileType) -> Option<String> {
    if kind.is_file() {
        return None;
    }
    let what = if kind.is_dir() {
        "a directory"
    } else if is_fifo(kind) {
        "a named pipe (FIFO)"
    } else {
        "a device, socket or other special file"
    };
    Some(format!(
        "not a regular file: it is {what}; trialint reads only regular files"
    ))
}

#[cfg(unix)]
fn is_fifo(kind: &FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(kind)
}

#[cfg(not(unix))]
fn is_fifo(_: &FileType) -> bool {
    false
}

/// Why reading failed, in words ("no such file or directory").
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Why a file was not opened.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    /// Not a regular file: why, in words ([`not_regular`]).
    NotRegular(String),
}

/// The regular file at `path`, open for reading, and its metadata. The file
/// is opened without blocking (opening a named pipe with no writer would
/// block forever) and its type is read from the open file, so one look is
/// enough and the path cannot change between the look and the open.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), OpenError> {
    // Without a non-blocking open, the type is looked at first as well.
    #[cfg(not(unix))]
    if let Some(why) = not_regular(&std::fs::metadata(path).map_err(OpenError::Io)?.file_type()) {
        return Err(OpenError::NotRegular(why));
    }
    let file = open_nonblocking(path).map_err(OpenError::Io)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    match not_regular(&meta.file_type()) {
        None => Ok((file, meta)),
        Some(why) => Err(OpenError::NotRegular(why)),
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: 0o4000 on Linux and 0x4 on the BSDs and macOS; it only
    // changes how a FIFO or device is opened, never how a file is read.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const O_NONBLOCK: i32 = 0o4000;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const O_NONBLOCK: i32 = 0x4;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Read an open file whose size is known: two reads, the second finding
/// the end. `File::read_to_end` would look at the size and position again
/// (two more system calls per file), and reading through a `Take` adapter
/// reads in growing steps from 8 KiB. The bytes are read into the vector's
/// spare capacity, not into a zeroed buffer: zeroing every file's bytes
/// before the kernel overwrote them was 0.8% of a run's time.
pub fn read_sized(file: &mut std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes: Vec<u8> = Vec::with_capacity(size + 1);
    loop {
        if bytes.len() == bytes.capacity() {
            // the file grew since its size was read
            bytes.reserve(bytes.len().max(1));
        }
        match read_into_spare(file, &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(bytes)
}

/// One `read` into the spare capacity of `bytes`, which grows by what was
/// read.
#[cfg(unix)]
fn read_into_spare(file: &mut std::fs::File, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::ffi::{c_int, c_void};
    use std::os::fd::AsRawFd;
    extern "C" {
        fn read(fd: c_int, buf: *mut c_void, count: usize) -> isize;
    }
    let spare = bytes.spare_capacity_mut();
    // at most isize::MAX bytes at once, as `File::read` asks
    let (buf, count) = (spare.as_mut_ptr(), spare.len().min(isize::MAX as usize));
    // SAFETY: the descriptor is open for reading (it is `file`'s), and the
    // kernel writes at most `count` bytes to `buf`, which is the start of
    // that much allocated, unused capacity
    let n = unsafe { read(file.as_raw_fd(), buf.cast(), count) };
    if n < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let n = n as usize;
    // SAFETY: the first `n` bytes of the spare capacity were just written
    unsafe { bytes.set_len(bytes.len() + n) };
    Ok(n)
}

#[cfg(not(unix))]
fn read_into_spare(file: &mut std::fs::File, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    let len = bytes.len();
    bytes.resize(bytes.capacity(), 0);
    let r = file.read(&mut bytes[len..]);
    bytes.truncate(len + *r.as_ref().unwrap_or(&0));
    r
}

/// The text of the regular file at `path`, of at most `max` bytes; else
/// why not (not found, not a regular file, too large, not UTF-8).
pub fn read_text(path: impl AsRef<Path>, max: u64) -> Result<String, String> {
    let (file, meta) = open_regular(path.as_ref()).map_err(|e| match e {
        OpenError::Io(e) => io_reason(&e),
        OpenError::NotRegular(why) => why,
    })?;
    let too_large = || format!("too large: more than {max} bytes");
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8 text".to_string())
}

/// Largest configuration, check or extractor file read (they are a few
/// kilobytes).
pub const MAX_SETTINGS_FILE: u64 = 16 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.toml");
        std::fs::write(&f, "x = 1\n").unwrap();
        assert_eq!(read_text(&f, 100).unwrap(), "x = 1\n");
        assert_eq!(
            read_text(&f, 3).unwrap_err(),
            "too large: more than 3 bytes"
        );
        assert!(read_text(d.path(), 100)
            .unwrap_err()
            .contains("it is a directory"));
        assert_eq!(
            read_text(d.path().join("none"), 100).unwrap_err(),
            "no such file or directory"
        );
        std::fs::write(&f, b"\xff\xfe").unwrap();
        assert_eq!(read_text(&f, 100).unwrap_err(), "not valid UTF-8 text");
        #[cfg(unix)]
        assert!(read_text("/dev/zero", 100)
            .unwrap_err()
            .contains("a device, socket or other special file"));
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_it_was_said_to_have() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.json");
        let content: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&f, &content).unwrap();
        // the size read before, the file having grown or shrunk since
        for size in [0, 1, 4095, 4096, 99_999, 100_000, 100_001, 1 << 20] {
            let mut file = std::fs::File::open(&f).unwrap();
            assert_eq!(read_sized(&mut file, size).unwrap(), content, "size {size}");
        }
        std::fs::write(&f, b"").unwrap();
        let mut file = std::fs::File::open(&f).unwrap();
        assert!(read_sized(&mut file, 0).unwrap().is_empty());
    }
}
