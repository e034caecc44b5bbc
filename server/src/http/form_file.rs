//! The one file of an import form (`multipart/form-data`, field `file`),
//! read with a size limit: a larger file is refused as it arrives, not
//! after it was buffered whole.

use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use axum::http::StatusCode;

use crate::error::{Detail, Error, Result};

/// A file as the form sent it.
pub struct FormFile {
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

pub async fn read(multipart: &mut Multipart, limit: u64) -> Result<FormFile> {
    let bad_form = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge { limit }
        } else {
            Error::Invalid(Detail::text(format!("表单无法读取：{e}"), format!("The form cannot be read: {e}")))
        }
    };
    let mut file: Option<FormFile> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(bad_form)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().map(str::to_owned);
        let mut buf = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad_form)? {
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(Error::TooLarge { limit });
            }
            buf.extend_from_slice(&chunk);
        }
        file = Some(FormFile { name, bytes: buf });
    }
    file.ok_or_else(|| {
        Error::Invalid(Detail::text(
            "请选择要导入的文件（表单字段 file）。",
            "Choose a file to import (form field `file`).",
        ))
    })
}
