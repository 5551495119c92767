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

/// The text of the regular file at `path`, of at most `max` bytes; else
/// why not (not found, not a regular file, too large, not UTF-8). The type
/// is looked at before the file is opened (opening a named pipe blocks)
/// and again once it is open (the path may have changed in between).
pub fn read_text(path: impl AsRef<Path>, max: u64) -> Result<String, String> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if let Some(why) = not_regular(&meta.file_type()) {
        return Err(why);
    }
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if let Some(why) = not_regular(&meta.file_type()) {
        return Err(why);
    }
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
}
