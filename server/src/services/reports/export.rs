//! A report as a file: CSV (UTF-8 with a byte-order mark, so spreadsheet
//! programs read the Chinese right) or XLSX (rust_xlsxwriter), with the
//! headers in the caller's language. Text cells were neutralized against
//! formula injection when the table was built (`courses::report::table`);
//! in XLSX they are also written as strings, never as formulas.

use courses::report::{Cell, Format, Table};
use rust_xlsxwriter::{Format as XlsxFormat, Workbook};

use crate::error::{Error, Result};

/// A file to download.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

pub fn render(table: &Table, format: Format) -> Result<Download> {
    match format {
        Format::Csv => Ok(Download {
            bytes: csv(table)?,
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{}.csv", file_stem(&table.title)),
        }),
        Format::Xlsx => Ok(Download {
            bytes: xlsx(table)?,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{}.xlsx", file_stem(&table.title)),
        }),
        Format::Json => Err(Error::Internal(anyhow::anyhow!("JSON is not a download"))),
    }
}

/// The title without characters file systems refuse.
pub(crate) fn file_stem(title: &str) -> String {
    let stem: String =
        title.chars().map(|c| if c.is_control() || "\\/:*?\"<>|".contains(c) { '_' } else { c }).take(100).collect();
    if stem.trim().is_empty() {
        "report".to_owned()
    } else {
        stem
    }
}

fn csv(table: &Table) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| Error::Internal(anyhow::anyhow!("writing CSV: {e}"));
        w.write_record(&table.headers).map_err(fail)?;
        for row in &table.rows {
            w.write_record(row.iter().map(Cell::as_csv)).map_err(fail)?;
        }
        w.flush().map_err(|e| Error::Internal(anyhow::anyhow!("writing CSV: {e}")))?;
    }
    Ok(out)
}

/// An XLSX sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let name: String = title.chars().filter(|c| !"[]:*?/\\'".contains(*c) && !c.is_control()).take(31).collect();
    if name.trim().is_empty() {
        "report".to_owned()
    } else {
        name
    }
}

fn xlsx(table: &Table) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!("writing XLSX: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.title)).map_err(fail)?;
    let bold = XlsxFormat::new().set_bold();
    for (col, header) in table.headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| Error::Internal(anyhow::anyhow!("too many columns")))?;
        sheet.write_string_with_format(0, col, header, &bold).map_err(fail)?;
        sheet.set_column_width(col, 14).map_err(fail)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| Error::Internal(anyhow::anyhow!("too many rows")))?;
        for (col, cell) in row.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| Error::Internal(anyhow::anyhow!("too many columns")))?;
            match cell {
                Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()).map_err(fail)?,
                Cell::Number(n) => sheet.write_number(r, col, *n).map(|_| ()).map_err(fail)?,
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_what_files_and_sheets_refuse() {
        assert_eq!(file_stem("a/b:c"), "a_b_c");
        assert_eq!(file_stem("  "), "report");
        let name = sheet_name("第一党支部 [2026]: 完成情况 / 导出 这是一个很长很长很长的标题");
        assert_eq!(name.chars().count(), 31);
        assert!(name.starts_with("第一党支部 2026 完成情况  导出") && !name.contains(['[', ']', ':', '/']));
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_keeps_neutralized_text() {
        let table = Table {
            title: "t".into(),
            headers: vec!["姓名".into(), "人数".into()],
            rows: vec![vec![Cell::text("=1+1"), Cell::Number(2.0)]],
        };
        let bytes = csv(&table).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(String::from_utf8_lossy(&bytes[3..]), "姓名,人数\n'=1+1,2\n");
    }
}
