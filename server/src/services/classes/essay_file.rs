//! An essay handed in as a document instead of typed in the page: a Word
//! file (.docx) or plain text (UTF-8 or GB18030), at most
//! [`MAX_ESSAY_FILE_BYTES`]. As with every upload, the kind comes from the
//! content, never the name: a ZIP holding `word/document.xml` is a Word
//! file, text that decodes is text, anything else is refused by name. The
//! text read out of it is the essay (its length is checked as typed text's
//! is, and the 班主任 reads it in the page); the document itself is kept in
//! the object store to download.

use std::io::Cursor;

use bytes::Bytes;
use courses::essay::EssayTaskView;
use courses::Actor;
use quick_xml::events::Event;
use sea_orm::DatabaseConnection;

use super::essays::{self, HandedFile};
use crate::error::{Detail, Error, Result};
use crate::services::decode;
use crate::storage::{bytes_stream, ObjectKey, Store};

/// Largest document accepted, in bytes.
pub const MAX_ESSAY_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Largest `word/document.xml` read out of a Word file (a zip bomb stops here).
const MAX_DOCUMENT_XML_BYTES: u64 = 32 * 1024 * 1024;

fn refused(zh: &str, en: &str) -> Error {
    Error::Invalid(Detail::text(zh, en))
}

/// What kind of document it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Text,
}

impl Kind {
    fn extension(self) -> &'static str {
        match self {
            Self::Word => "docx",
            Self::Text => "txt",
        }
    }
}

/// The text of a document, and its kind.
fn read(bytes: &[u8]) -> Result<(String, Kind)> {
    if bytes.is_empty() {
        return Err(refused("文件为空。", "The file is empty."));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok((word_text(bytes)?, Kind::Word));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refused(
            "不支持旧版 .doc 文件，请在 Word/WPS 中另存为 .docx 后上传。",
            "Old .doc files are not supported; save as .docx in Word/WPS and upload that.",
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(refused(
            "暂不支持 PDF，请上传 .docx 或 .txt 文件，或直接在页面中填写。",
            "PDF is not supported; upload a .docx or .txt file, or write in the page.",
        ));
    }
    match decode::text(bytes) {
        Ok(text) => Ok((text, Kind::Text)),
        Err(_) => Err(refused(
            "无法读取此文件：请上传 Word（.docx）或纯文本（.txt）文件。",
            "This file cannot be read: upload a Word (.docx) or plain-text (.txt) file.",
        )),
    }
}

/// The paragraphs of a Word file's body, one per line.
fn word_text(bytes: &[u8]) -> Result<String> {
    let not_word = || {
        refused(
            "此文件不是可读取的 Word（.docx）文档，请另存为 .docx 或 .txt 后上传。",
            "This is not a readable Word (.docx) document; save it as .docx or .txt and upload that.",
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_word())?;
    let entry = archive.by_name("word/document.xml").map_err(|_| not_word())?;
    let xml = decode::read_limited(entry, MAX_DOCUMENT_XML_BYTES).map_err(|_| not_word())?;
    let xml = String::from_utf8(xml).map_err(|_| not_word())?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|_| not_word())? {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == b"t" => in_text = false,
            Event::End(e) if e.local_name().as_ref() == b"p" => text.push('\n'),
            Event::Empty(e) if e.local_name().as_ref() == b"tab" => text.push('\t'),
            Event::Empty(e) if e.local_name().as_ref() == b"br" => text.push('\n'),
            Event::Text(t) if in_text => text.push_str(&t.decode().map_err(|_| not_word())?),
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().map_err(|_| not_word())?;
                match r.resolve_char_ref().map_err(|_| not_word())? {
                    Some(c) => text.push(c),
                    None => text.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("")),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text.trim().to_owned())
}

/// A file name fit to give back on download: the last path part, without
/// control characters, at most 100 characters; the kind's extension.
fn clean_name(name: Option<&str>, kind: Kind) -> String {
    let base = name.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let stem: String =
        base.rsplit_once('.').map_or(base, |(s, _)| s).chars().filter(|c| !c.is_control()).take(100).collect();
    let stem = if stem.trim().is_empty() { "心得体会".to_owned() } else { stem.trim().to_owned() };
    format!("{stem}.{}", kind.extension())
}

/// A student hands in their essay as a document.
pub async fn submit(
    db: &DatabaseConnection,
    store: &dyn Store,
    actor: &Actor,
    task_id: i64,
    name: Option<&str>,
    bytes: Vec<u8>,
) -> Result<EssayTaskView> {
    essays::open_task(db, actor, task_id).await?;
    let (text, kind) = read(&bytes)?;
    let key =
        ObjectKey::parse(&format!("essays/{task_id}/{}/{}.{}", actor.id.0, uuid::Uuid::new_v4(), kind.extension()))?;
    let content_type = match kind {
        Kind::Word => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Kind::Text => "text/plain; charset=utf-8",
    };
    store.put(&key, bytes_stream(Bytes::from(bytes)), Some(content_type)).await?;
    let file = HandedFile { key: key.as_str().to_owned(), name: clean_name(name, kind) };
    match essays::hand_in(db, actor, task_id, text, Some(file)).await {
        Ok((view, replaced)) => {
            if let Some(old) = replaced.and_then(|k| ObjectKey::parse(&k).ok()) {
                if let Err(e) = store.delete(&old).await {
                    tracing::warn!(key = old.as_str(), error = %e, "could not delete a replaced essay file");
                }
            }
            Ok(view)
        }
        Err(e) => {
            // Nothing of a refused essay stays behind.
            if let Err(d) = store.delete(&key).await {
                tracing::warn!(key = key.as_str(), error = %d, "could not delete a refused essay file");
            }
            Err(e)
        }
    }
}

/// The stored document of an essay: its name and key.
pub async fn file(db: &DatabaseConnection, actor: &Actor, task_id: i64, person_id: i64) -> Result<(String, ObjectKey)> {
    let (name, key) = essays::file_of(db, actor, task_id, person_id).await?;
    Ok((name, ObjectKey::parse(&key)?))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal Word file with these paragraphs.
    pub(crate) fn docx(paragraphs: &[&str]) -> Vec<u8> {
        let body: String =
            paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        );
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_word_file_gives_its_paragraphs_with_entities_resolved() {
        let (text, kind) = read(&docx(&["学习党章", "坚定理想信念 &amp; 宗旨&#x3002;"])).unwrap();
        assert_eq!(kind, Kind::Word);
        assert_eq!(text, "学习党章\n坚定理想信念 & 宗旨。");
    }

    #[test]
    fn text_in_gb18030_is_read_and_other_files_are_refused_by_name() {
        let (encoded, _, _) = encoding_rs::GB18030.encode("思想汇报正文");
        assert_eq!(read(&encoded).unwrap(), ("思想汇报正文".to_owned(), Kind::Text));
        for (bytes, words) in [
            (b"%PDF-1.7 ...".to_vec(), "PDF"),
            (vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0], ".doc"),
            (b"PK\x03\x04junk".to_vec(), ".docx"),
            (vec![0, 159, 146, 150, 0, 1], ".txt"),
            (Vec::new(), "空"),
        ] {
            let message = read(&bytes).unwrap_err().message(courses::Lang::Zh);
            assert!(message.contains(words), "{message}");
        }
    }

    #[test]
    fn names_lose_paths_and_take_the_kind_s_extension() {
        assert_eq!(clean_name(Some("C:\\文档\\我的心得.DOCX"), Kind::Word), "我的心得.docx");
        assert_eq!(clean_name(Some("../../etc/passwd"), Kind::Text), "passwd.txt");
        assert_eq!(clean_name(None, Kind::Text), "心得体会.txt");
    }
}
