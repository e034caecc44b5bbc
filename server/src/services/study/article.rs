//! Article lessons: Markdown rendered to HTML a page may show as it is.
//!
//! pulldown-cmark renders CommonMark (with tables); ammonia then keeps only
//! harmless markup: no scripts, no event handlers, no styles, no frames,
//! links only to http(s) and mailto, images only from this site or https.
//! Level-2 and level-3 headings get ids and make the outline, the
//! menu-style summary party-education articles open with. Outline titles
//! are the headings' own words, ordinals included; the reader shows them
//! unnumbered. Question-and-
//! answer explanations (问答式解读) can be written as `<details>` with a
//! `<summary>` question, which the sanitizer keeps.

use std::collections::HashSet;

use courses::course::{ArticleView, OutlineEntry};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders and sanitizes `markdown`.
pub fn render(markdown: &str) -> ArticleView {
    let mut outline = Vec::new();
    let mut heading: Option<(u8, String)> = None;
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { level, classes, attrs, .. })
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) =>
            {
                let anchor = format!("sec-{}", outline.len() + 1);
                heading = Some((if level == HeadingLevel::H2 { 2 } else { 3 }, String::new()));
                outline.push(OutlineEntry { level: 0, title: String::new(), anchor: anchor.clone() });
                events.push(Event::Start(Tag::Heading { level, id: Some(anchor.into()), classes, attrs }));
            }
            Event::End(TagEnd::Heading(level)) if heading.is_some() => {
                if let (Some((lvl, title)), Some(entry)) = (heading.take(), outline.last_mut()) {
                    entry.level = lvl;
                    entry.title = title.trim().to_owned();
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, title)) = heading.as_mut() {
                    title.push_str(t);
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    let html = sanitizer().clean(&raw).to_string();
    outline.retain(|e| !e.title.is_empty());
    ArticleView { html, outline }
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["details", "summary"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_make_the_outline_and_keep_their_anchors() {
        let a = render("# 标题\n\n## 一、学习党章\n\n正文\n\n### （一）`总纲`\n\n## 二、遵守党章\n");
        let titles: Vec<_> = a.outline.iter().map(|e| (e.level, e.title.as_str(), e.anchor.as_str())).collect();
        assert_eq!(titles, [(2, "一、学习党章", "sec-1"), (3, "（一）总纲", "sec-2"), (2, "二、遵守党章", "sec-3")]);
        assert!(a.html.contains(r#"<h2 id="sec-1">一、学习党章</h2>"#), "{}", a.html);
        assert!(a.html.contains("<h1>标题</h1>"));
    }

    #[test]
    fn outline_titles_keep_their_own_ordinals_and_gain_none() {
        let a = render("## 第一章 总纲\n\n## 1. 党员\n\n### （一）义务\n\n## 二、组织\n\n## 没有序号的标题\n");
        let titles: Vec<_> = a.outline.iter().map(|e| e.title.as_str()).collect();
        // Exactly the heading's words: the reader's list adds no number of its own.
        assert_eq!(titles, ["第一章 总纲", "1. 党员", "（一）义务", "二、组织", "没有序号的标题"]);
    }

    #[test]
    fn scripts_handlers_styles_and_foreign_schemes_are_removed() {
        let a = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) \
             <a href=\"data:text/html,x\">b</a> <span style=\"color:red\">c</span>\n\n<iframe src=\"https://x\"></iframe>",
        );
        for bad in ["<script", "onerror", "javascript:", "data:text", "style=", "<iframe"] {
            assert!(!a.html.contains(bad), "{bad} survived: {}", a.html);
        }
    }

    #[test]
    fn questions_and_answers_stay_collapsible() {
        let a = render("<details><summary>问：什么是“三会一课”？</summary>\n\n答：支部党员大会、支委会、党小组会和党课。\n\n</details>");
        assert!(a.html.contains("<details><summary>问：什么是“三会一课”？</summary>"), "{}", a.html);
        assert!(a.html.contains("答：支部党员大会"));
    }
}
