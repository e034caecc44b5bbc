//! Reading uploaded files people make by hand: a table (CSV or XLSX) into
//! rows of trimmed cells, and plain text. The kind is sniffed from the
//! content (a ZIP container is a spreadsheet), never trusted from the name.
//! Text may be UTF-8 (with or without a byte-order mark) or GB18030, which
//! Excel and Notepad in China save unless told otherwise.

use std::io::{Cursor, Read};

use calamine::Reader;

use crate::error::{Detail, Error, Result};

/// Largest total uncompressed size of a spreadsheet; a roster of 10,000
/// rows or a bank of 5,000 questions is a few MiB, so anything far beyond
/// is a zip bomb.
const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;

fn unreadable(zh: &str, en: &str) -> Error {
    Error::ImportFile(Detail::text(zh, en))
}

/// Decodes a table file into rows of trimmed cells.
pub fn table(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    if bytes.is_empty() {
        return Err(unreadable("文件为空。", "The file is empty."));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return spreadsheet(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unreadable(
            "不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV（UTF-8）。",
            "Old .xls files are not supported; save as .xlsx or CSV (UTF-8) in Excel/WPS.",
        ));
    }
    csv_rows(&text(bytes)?)
}

/// Decodes text: UTF-8, else GB18030. Bytes that are neither, or hold NUL
/// characters (a binary file), are refused.
pub fn text(bytes: &[u8]) -> Result<String> {
    if bytes.is_empty() {
        return Err(unreadable("文件为空。", "The file is empty."));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Error::UnsupportedFile);
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(Error::UnsupportedFile);
    }
    Ok(text)
}

fn csv_rows(text: &str) -> Result<Vec<Vec<String>>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Error::ImportFile(Detail::text(
                format!("CSV 第 {} 行无法解析：{e}", i + 1),
                format!("CSV line {} cannot be parsed: {e}", i + 1),
            ))
        })?;
        rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(rows)
}

fn spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let not_xlsx = || unreadable("文件不是有效的 XLSX 表格。", "The file is not a valid XLSX workbook.");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| not_xlsx())?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(unreadable(
            "表格解压后过大，疑似损坏或恶意文件。",
            "The workbook expands to an implausible size; it looks corrupt or malicious.",
        ));
    }
    drop(archive);
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("表格中没有工作表。", "The workbook has no sheet."))?
        .map_err(|_| not_xlsx())?;
    Ok(range.rows().map(|row| row.iter().map(|c| c.to_string().trim().to_owned()).collect()).collect())
}

/// Reads at most `limit` bytes; more is an error, not a truncation.
pub fn read_limited(mut r: impl Read, limit: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.by_ref().take(limit + 1).read_to_end(&mut buf).map_err(|e| Error::Internal(e.into()))?;
    if buf.len() as u64 > limit {
        return Err(Error::TooLarge { limit });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(matches!(table(b""), Err(Error::ImportFile(_))));
        assert!(matches!(table(b"\0\0\0garbage\0"), Err(Error::UnsupportedFile)));
        assert!(matches!(table(b"PK\x03\x04not really a zip"), Err(Error::ImportFile(_))));
    }

    #[test]
    fn gb18030_csv_from_excel_is_read_as_chinese() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,登录名\n张三,zhangsan\n");
        let rows = table(&bytes).unwrap();
        assert_eq!(rows[1], vec!["张三".to_string(), "zhangsan".to_string()]);
    }

    #[test]
    fn a_utf8_bom_is_ignored() {
        let rows = table("\u{feff}name,login\na,b\n".as_bytes()).unwrap();
        assert_eq!(rows[0][0], "name");
    }

    #[test]
    fn text_is_utf8_or_gb18030_and_never_binary() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("中国共产党党员必须全心全意为人民服务。\nANSWER: A\n");
        assert!(text(&bytes).unwrap().starts_with("中国共产党党员"));
        assert_eq!(text("\u{feff}题干".as_bytes()).unwrap(), "题干");
        assert!(matches!(text(b"abc\0def"), Err(Error::UnsupportedFile)));
        assert!(matches!(text(b""), Err(Error::ImportFile(_))));
    }

    #[test]
    fn reading_more_than_the_limit_is_an_error() {
        assert!(matches!(read_limited(&b"12345"[..], 4), Err(Error::TooLarge { limit: 4 })));
        assert_eq!(read_limited(&b"1234"[..], 4).unwrap(), b"1234");
    }
}
