//! In headless Chromium, against the real server and its worker: an
//! organizer creates a course on `/manage/courses`, makes it required with
//! credit hours, a due date and a narrower audience, adds two chapters, a
//! mixed video + slides lesson and a slides lesson from processed material,
//! an article, and a recording uploaded through the editor's own upload
//! form; moves a lesson and a chapter up (the order survives a reload),
//! uploads captions, an attachment and a cover with their progress reaching
//! 100 %, previews a lesson and publishes. On a 360×740 screen the editor
//! still works without overflowing. A member then finds the course and is
//! refused the editor; an organizer of another branch gets "not found".

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::{workspace_root, Server};
use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

const TITLE: &str = "党史学习教育专题";

/// The attribute `name` of the element with `id`, read in one step (the
/// element may be drawn anew at any moment, e.g. by a progress report).
async fn attr(driver: &WebDriver, id: &str, name: &str) -> WebDriverResult<Option<String>> {
    let v = driver
        .execute(
            "const e = document.getElementById(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
            vec![Value::from(id), Value::from(name)],
        )
        .await?;
    Ok(v.json().as_str().map(str::to_owned))
}

fn fixture(path: &str) -> String {
    workspace_root().join("tests/fixtures").join(path).to_string_lossy().into_owned()
}

/// The outline as the page shows it: chapter ids, then lesson ids, in order.
async fn outline(driver: &WebDriver) -> WebDriverResult<(Vec<i64>, Vec<i64>)> {
    let v = driver
        .execute(
            "const ids = a => Array.from(document.querySelectorAll(`#outline [${a}]`)).map(e => Number(e.getAttribute(a)));\
             return [ids('data-chapter-id'), ids('data-lesson-id')];",
            vec![],
        )
        .await?;
    let list = |v: &Value| v.as_array().map(|a| a.iter().filter_map(Value::as_i64).collect()).unwrap_or_default();
    let v = v.json();
    Ok((list(&v[0]), list(&v[1])))
}

async fn wait_outline(driver: &WebDriver, what: &str, chapters: &[i64], lessons: &[i64]) -> WebDriverResult<()> {
    wait_until(driver, what, || async {
        let (c, l) = outline(driver).await?;
        Ok(c == chapters && l == lessons)
    })
    .await
}

async fn choose(driver: &WebDriver, id: &str, value: &str) -> WebDriverResult<()> {
    let select = driver.find(By::Id(id)).await?;
    SelectElement::new(&select).await?.select_by_value(value).await
}

async fn type_into(driver: &WebDriver, id: &str, text: &str) -> WebDriverResult<()> {
    let input = driver.find(By::Id(id)).await?;
    input.clear().await?;
    input.send_keys(text).await
}

/// Clicks what `css` finds, scrolled to the middle of the screen as a
/// person would (the editor's status line sits at the bottom).
async fn click(driver: &WebDriver, css: &str) -> WebDriverResult<()> {
    let element = driver.find(By::Css(css)).await?;
    element.scroll_into_view().await?;
    element.click().await
}

/// Adds a lesson through the form and waits until the outline has `count` lessons.
async fn add_lesson(
    driver: &WebDriver,
    title: &str,
    source: &str,
    slides: Option<i64>,
    chapter: i64,
    count: usize,
) -> WebDriverResult<()> {
    type_into(driver, "lesson-title", title).await?;
    choose(driver, "lesson-source", source).await?;
    if let Some(deck) = slides {
        choose(driver, "lesson-slides", &deck.to_string()).await?;
    }
    if source == "article" {
        let text = "## 一、学习目标\n\n了解党的历史。\n\n<details><summary>问：为什么学党史？</summary>\n\n答：学史明理。\n\n</details>\n";
        driver.find(By::Id("lesson-article")).await?.send_keys(text).await?;
    }
    choose(driver, "lesson-chapter", &chapter.to_string()).await?;
    click(driver, "#add-lesson-submit").await?;
    wait_until(driver, &format!("the lesson {title}"), || async { Ok(outline(driver).await?.1.len() == count) }).await
}

/// The value of the lesson source whose label names `file`, once offered.
async fn source_option(driver: &WebDriver, file: &str) -> WebDriverResult<Option<String>> {
    for option in driver.find_all(By::Css("#lesson-source option")).await? {
        if option.text().await?.contains(file) {
            return option.attr("value").await;
        }
    }
    Ok(None)
}

/// The id of the lesson titled `title` in the outline.
async fn lesson_id(driver: &WebDriver, title: &str) -> anyhow::Result<i64> {
    for row in driver.find_all(By::Css("#outline [data-lesson-id]")).await? {
        if row.find(By::Css(".lesson-name")).await?.text().await? == title {
            return Ok(row.attr("data-lesson-id").await?.context("id")?.parse()?);
        }
    }
    anyhow::bail!("no lesson {title} in the outline")
}

/// Waits until the file `name` was stored, its progress at 100 %.
async fn wait_file_sent(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    wait_until(driver, &format!("{name} to be sent"), || async {
        let v = driver
            .execute(
                "const e = document.getElementById('file-upload');\
                 return e ? [e.dataset.state, e.dataset.percent, e.textContent] : null;",
                vec![],
            )
            .await?;
        let v = v.json();
        let state = v[0].as_str().unwrap_or_default();
        assert_ne!(
            state,
            "failed",
            "sending {name} failed: {}",
            driver.find(By::Id("editor-status")).await?.text().await?
        );
        Ok(state == "done" && v[1].as_str() == Some("100") && v[2].as_str().is_some_and(|t| t.contains(name)))
    })
    .await
}

/// What the page has logged with `console.error` (or thrown) since it loaded.
async fn console_errors(driver: &WebDriver) -> WebDriverResult<Value> {
    Ok(driver.execute("return window.__dx_errors || [];", vec![]).await?.json().clone())
}

async fn overflow(driver: &WebDriver) -> WebDriverResult<i64> {
    let v = driver
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await?;
    Ok(v.json().as_i64().unwrap_or(1))
}

/// A small RGB PNG, written by hand (stored deflate blocks) so the test
/// needs no image library.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let body = [kind, data].concat();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            raw.extend_from_slice(&[0xb7, (x * 255 / width) as u8, (y * 255 / height) as u8]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend_from_slice(&(block.len() as u16).to_le_bytes());
        z.extend_from_slice(&(!(block.len() as u16)).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[8, 2, 0, 0, 0]].concat();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[tokio::test]
async fn an_organizer_builds_orders_and_publishes_a_course_in_the_editor() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    // Through the API to save time; one more file goes through the editor.
    let video = organizer.upload_fixture(org, "media/video-1s.mp4").await?;
    let deck = organizer.upload_fixture(org, "slides/chinese-2-slides.pdf").await?;
    organizer.wait_processed(video).await?;
    organizer.wait_processed(deck).await?;
    let files = tempfile::tempdir()?;
    let cover = files.path().join("cover.png");
    std::fs::write(&cover, png(320, 180))?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let base = server.base.clone();
    let outcome = async {
        // Create the course (选修, 1 学时) and land in the editor.
        log_in(driver, &base, "organizer", "/manage/courses").await?;
        driver.goto(format!("{base}/manage/courses")).await?;
        wait_for_hydration(driver).await?;
        assert!(driver.find(By::Id("nav-manage")).await.is_ok(), "organizers have the header link");
        type_into(driver, "new-course-title", TITLE).await?;
        type_into(driver, "new-course-summary", "学习党的百年奋斗历程。").await?;
        click(driver, "#create-course").await?;
        wait_until(driver, "the editor", || async {
            Ok(driver.current_url().await?.path().starts_with("/manage/courses/")
                && driver.find(By::Id("settings-form")).await.is_ok())
        })
        .await?;
        // A new page: its islands load their chunks before they answer.
        wait_for_hydration(driver).await?;
        let course: i64 = driver.current_url().await?.path().rsplit('/').next().context("id")?.parse()?;
        let course_url = format!("/api/v1/courses/{course}");
        let api_course = || organizer.get(&course_url);

        // Settings: required, 2.5 学时, due date, audience narrowed to
        // learners who are activists or full members, plus one named person.
        choose(driver, "course-required", "1").await?;
        type_into(driver, "course-hours", "2.5").await?;
        driver
            .execute(
                "const d = document.getElementById('course-due'); d.value = '2026-12-31'; d.dispatchEvent(new Event('change'));",
                vec![],
            )
            .await?;
        click(driver, "input[name='audience-role'][value='member']").await?;
        click(driver, "input[name='audience-standing'][value='activist']").await?;
        click(driver, "input[name='audience-standing'][value='full']").await?;
        choose(driver, "audience-people-org", &org.to_string()).await?;
        wait_until(driver, "people to pick", || async {
            Ok(!driver.find_all(By::Css("#audience-picker input")).await?.is_empty())
        })
        .await?;
        click(driver, "#audience-picker input").await?;
        appear(driver, By::Css("#audience-people .chip")).await?;
        click(driver, "#save-settings").await?;
        appear(driver, By::Css("#editor-status .notice.success")).await?;
        driver.screenshot(&shots.join("manage-settings.png")).await?;
        let saved = api_course().await?;
        assert_eq!(saved["required"], true, "{saved}");
        assert_eq!(saved["credit_hours"], 2.5, "{saved}");
        assert_eq!(saved["due_on"], "2026-12-31", "{saved}");
        assert_eq!(saved["audience"]["roles"], serde_json::json!(["member"]), "{saved}");
        assert_eq!(saved["audience"]["standings"], serde_json::json!(["activist", "full"]), "{saved}");
        assert_eq!(saved["audience"]["people"].as_array().map(Vec::len), Some(1), "{saved}");

        // Two chapters.
        for (n, name) in ["第一章 理论学习", "第二章 实践体会"].into_iter().enumerate() {
            type_into(driver, "chapter-title", name).await?;
            click(driver, "#add-chapter").await?;
            wait_until(driver, name, || async { Ok(outline(driver).await?.0.len() == n + 1) }).await?;
        }
        let (chapters, _) = outline(driver).await?;
        let (ch1, ch2) = (chapters[0], chapters[1]);

        // A video with its companion deck (the mixed lesson), the deck on
        // its own, an article.
        add_lesson(driver, "第一课 视频讲座", &video.to_string(), Some(deck), ch1, 1).await?;
        add_lesson(driver, "第二课 课件", &deck.to_string(), None, ch2, 2).await?;
        add_lesson(driver, "第三课 导读", "article", None, ch2, 3).await?;

        // A recording uploaded with the editor's upload form, processed by
        // the worker, then chosen as a lesson.
        driver.find(By::Id("upload-file")).await?.send_keys(fixture("media/audio-3s.wav")).await?;
        click(driver, "#upload-start").await?;
        wait_until(driver, "the recording to be uploaded", || async {
            Ok(attr(driver, "upload-status", "data-phase").await?.as_deref() == Some("done")
                && attr(driver, "upload-status", "data-percent").await?.as_deref() == Some("100"))
        })
        .await?;
        wait_until(driver, "the recording to be processed", || async {
            Ok(source_option(driver, "audio-3s.wav").await?.is_some())
        })
        .await?;
        let recording = source_option(driver, "audio-3s.wav").await?.context("recording id")?;
        add_lesson(driver, "第四课 录音", &recording, None, ch1, 4).await?;
        let (v, s, a, r) = (
            lesson_id(driver, "第一课 视频讲座").await?,
            lesson_id(driver, "第二课 课件").await?,
            lesson_id(driver, "第三课 导读").await?,
            lesson_id(driver, "第四课 录音").await?,
        );
        wait_outline(driver, "the lessons grouped by chapter", &[ch1, ch2], &[v, r, s, a]).await?;
        let numbered: Vec<i64> =
            api_course().await?["lessons"].as_array().context("lessons")?.iter().filter_map(|l| l["id"].as_i64()).collect();
        assert_eq!(numbered, [v, r, s, a], "lessons are numbered chapter by chapter, as the outline shows them");
        assert_eq!(
            driver.find(By::Css(format!("[data-lesson-id='{v}'] .tag"))).await?.text().await?,
            "视频+课件",
            "the video with its deck is a mixed lesson"
        );
        driver.screenshot(&shots.join("manage-editor.png")).await?;

        // Reorder: a lesson up within its chapter, a chapter up, then a
        // lesson up past its chapter's start, into the previous chapter.
        let up = |kind: &str, id: i64| format!("[data-{kind}-id='{id}'] > .row button[data-move='up']");
        click(driver, &up("lesson", r)).await?;
        wait_outline(driver, "the recording moved up", &[ch1, ch2], &[r, v, s, a]).await?;
        click(driver, &up("chapter", ch2)).await?;
        wait_outline(driver, "the second chapter moved up", &[ch2, ch1], &[s, a, r, v]).await?;
        click(driver, &up("lesson", r)).await?;
        let in_second = format!("[data-chapter-id='{ch2}'] [data-lesson-id='{r}']");
        wait_until(driver, "the recording moved into the other chapter", || async {
            Ok(driver.find(By::Css(&in_second)).await.is_ok())
        })
        .await?;
        wait_outline(driver, "the order across chapters", &[ch2, ch1], &[s, a, r, v]).await?;
        wait_until(driver, "the focus back on the button pressed", || async {
            let focused = driver
                .execute(
                    "const e = document.activeElement; const row = e && e.closest('[data-lesson-id]');\
                     return row ? [row.getAttribute('data-lesson-id'), e.getAttribute('data-move')] : null;",
                    vec![],
                )
                .await?;
            Ok(focused.json() == &serde_json::json!([r.to_string(), "up"]))
        })
        .await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        wait_outline(driver, "the order after a reload", &[ch2, ch1], &[s, a, r, v]).await?;
        wait_until(driver, "the named person's name after a reload", || async {
            let chip = driver
                .execute("const c = document.querySelector('#audience-people .chip'); return c && c.textContent;", vec![])
                .await?;
            Ok(chip.json().as_str().is_some_and(|t| !t.trim().is_empty() && !t.trim().starts_with('#')))
        })
        .await?;
        let stored = api_course().await?;
        let chapter_of = |id: i64| {
            stored["lessons"].as_array().and_then(|l| l.iter().find(|l| l["id"] == id)).map(|l| l["chapter_id"].clone())
        };
        assert_eq!(chapter_of(r), Some(ch2.into()), "the recording now belongs to the second chapter");

        // Captions and an attachment for the video, with progress.
        click(driver, &format!("[data-lesson-id='{v}'] summary")).await?;
        let tools = format!("[data-lesson-id='{v}'] details");
        driver
            .find(By::Css(format!("{tools} input[data-action='captions']")))
            .await?
            .send_keys(fixture("captions/demo-zh.vtt"))
            .await?;
        wait_file_sent(driver, "demo-zh.vtt").await?;
        appear(driver, By::Css(format!("[data-lesson-id='{v}'] .captions-tag"))).await?;
        driver
            .find(By::Css(format!("{tools} input[data-action='attachment']")))
            .await?
            .send_keys(fixture("slides/chinese-2-slides.pdf"))
            .await?;
        wait_file_sent(driver, "chinese-2-slides.pdf").await?;
        wait_until(driver, "the attachment listed", || async {
            let items = driver.find_all(By::Css(format!("{tools} [data-attachment-id]"))).await?;
            Ok(match items.first() {
                Some(item) => item.text().await?.contains("chinese-2-slides.pdf"),
                None => false,
            })
        })
        .await?;
        assert_eq!(console_errors(driver).await?, serde_json::json!([]), "the editor logged errors");
        let lesson = organizer.get(&format!("/api/v1/lessons/{v}")).await?;
        assert_eq!(lesson["lesson"]["has_captions"], true, "{lesson}");
        assert_eq!(lesson["attachments"].as_array().map(Vec::len), Some(1), "{lesson}");

        // A cover image.
        driver.find(By::Id("cover-file")).await?.send_keys(cover.to_string_lossy().as_ref()).await?;
        wait_file_sent(driver, "cover.png").await?;
        wait_until(driver, "the cover to show", || async {
            let loaded = driver
                .execute("const i = document.querySelector('#cover img'); return !!i && i.complete && i.naturalWidth > 0;", vec![])
                .await?;
            Ok(loaded.json().as_bool() == Some(true))
        })
        .await?;

        // Preview the article as members will see it, then publish.
        click(driver, &format!("[data-lesson-id='{a}'] a[data-action='preview']")).await?;
        let article = appear(driver, By::Css("#article details summary")).await?;
        assert_eq!(article.text().await?, "问：为什么学党史？");
        assert_eq!(driver.current_url().await?.path(), format!("/lessons/{a}"));
        driver.goto(format!("{base}/manage/courses/{course}")).await?;
        wait_for_hydration(driver).await?;
        assert_eq!(attr(driver, "publish-toggle", "data-published").await?.as_deref(), Some("false"));
        click(driver, "#publish-toggle").await?;
        wait_until(driver, "published", || async {
            Ok(attr(driver, "publish-toggle", "data-published").await?.as_deref() == Some("true"))
        })
        .await?;
        assert_eq!(api_course().await?["published"], true);

        // On a phone: move the article down, nothing overflows.
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        let down = format!("[data-lesson-id='{a}'] > .row button[data-move='down']");
        click(driver, &down).await?;
        wait_outline(driver, "the article moved down on a phone", &[ch2, ch1], &[s, r, a, v]).await?;
        assert!(overflow(driver).await? <= 0, "the editor overflows a 360 px screen");
        driver.screenshot(&shots.join("manage-editor-360.png")).await?;
        assert_eq!(console_errors(driver).await?, serde_json::json!([]), "the editor logged errors");
        driver.goto(format!("{base}/manage/courses")).await?;
        wait_for_hydration(driver).await?;
        let list = driver.find(By::Id("managed-courses")).await?.text().await?;
        assert!(list.contains(TITLE) && list.contains("已发布"), "{list}");
        assert!(overflow(driver).await? <= 0, "the course list overflows a 360 px screen");
        driver.screenshot(&shots.join("manage-courses-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;

        // A member studies it, but may not edit anything.
        driver.delete_all_cookies().await?;
        log_in(driver, &base, "member", "/courses").await?;
        let catalog = appear(driver, By::Id("courses")).await?.text().await?;
        assert!(catalog.contains(TITLE), "the member's catalog lists the course: {catalog}");
        assert!(driver.find_all(By::Id("nav-manage")).await?.is_empty(), "members have no editor link");
        driver.goto(format!("{base}/manage/courses")).await?;
        appear(driver, By::Id("no-permission")).await?;
        driver.goto(format!("{base}/manage/courses/{course}")).await?;
        appear(driver, By::Id("no-permission")).await?;

        // Another branch's organizer: the course does not exist for them.
        driver.delete_all_cookies().await?;
        log_in(driver, &base, "organizer2", "/manage/courses").await?;
        driver.goto(format!("{base}/manage/courses/{course}")).await?;
        let heading = appear(driver, By::Css("main h1")).await?.text().await?;
        assert_eq!(heading, "页面不存在。");
        assert!(driver.find_all(By::Id("settings-form")).await?.is_empty());
        let other = Api::login(&base, "organizer2", "dangxiao-demo").await?;
        let status = other.request(reqwest::Method::GET, &format!("/manage/courses/{course}")).send().await?.status();
        assert_eq!(status.as_u16(), 404);
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "manage").await
}
