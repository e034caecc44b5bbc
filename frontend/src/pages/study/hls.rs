//! The island's side of the lesson stream. The stream itself is started by
//! `lesson-start.js` (frontend/public), a small script that runs as soon as
//! the page is parsed, so a tap on ▶ plays before the wasm has arrived: it
//! opens the playback session, loads hls.js (served as
//! `/vendor/hls.light.min.js`) where Media Source Extensions exist or uses
//! the browser's own HLS (Safari, iOS), and starts loading segments at the
//! first play request. The island adopts all of it here: the session's
//! answer, the hls.js instance (for the quality menu) and the parts played
//! before it was ready.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlVideoElement;

/// How the video gets its stream.
pub enum Hls {
    /// hls.js drives the element; quality can be chosen.
    Js(JsValue),
    /// The browser plays HLS itself.
    Native,
}

/// What played before the island took over.
pub struct Handover {
    pub played: Vec<[f64; 2]>,
    /// Where the part playing now started; `None` when paused.
    pub playing_from: Option<f64>,
    pub last_time: f64,
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: Function = get(target, name).dyn_into().map_err(|_| format!("{name} is not a function"))?;
    f.apply(target, &args.iter().collect::<Array>()).map_err(describe)
}

fn describe(e: JsValue) -> String {
    e.as_string().or_else(|| get(&e, "message").as_string()).unwrap_or_else(|| "script error".into())
}

/// `window.dxLesson`, the start script's state. The page loads the script
/// itself; should that load have failed, it is loaded again here.
pub async fn early_lesson(video: &HtmlVideoElement) -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("no window")?;
    let existing = get(&window, "dxLesson");
    if !existing.is_undefined() {
        return Ok(existing);
    }
    let src = video.get_attribute("data-script").ok_or("the start script's address is missing")?;
    let document = window.document().ok_or("no document")?;
    let script: web_sys::HtmlScriptElement =
        document.create_element("script").map_err(describe)?.dyn_into().map_err(|_| "not a script element")?;
    script.set_src(&src);
    let loaded = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let message = format!("{src} did not load");
        let failed = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&message));
        });
        script.set_onload(Some(ok.unchecked_ref()));
        script.set_onerror(Some(failed.unchecked_ref()));
    });
    document.head().ok_or("no head")?.append_child(&script).map_err(describe)?;
    JsFuture::from(loaded).await.map_err(describe)?;
    let lesson = get(&window, "dxLesson");
    if lesson.is_undefined() {
        return Err("the start script did not run".into());
    }
    Ok(lesson)
}

/// The playback session request the start script sent.
pub fn session_request(lesson: &JsValue) -> Option<Promise> {
    get(lesson, "session").dyn_into().ok()
}

/// Waits for the stream to be attached and takes it over.
pub async fn adopt(lesson: &JsValue) -> Result<(Hls, Handover), String> {
    let ready: Promise = get(lesson, "ready").dyn_into().map_err(|_| "the start script has no stream")?;
    let hls = JsFuture::from(ready).await.map_err(describe)?;
    let handed = call(lesson, "adopt", &[])?;
    let played = Array::from(&get(&handed, "played"))
        .iter()
        .filter_map(|part| {
            let part = Array::from(&part);
            Some([part.get(0).as_f64()?, part.get(1).as_f64()?])
        })
        .collect();
    let handover = Handover {
        played,
        playing_from: get(&handed, "playingFrom").as_f64(),
        last_time: get(&handed, "last").as_f64().unwrap_or(0.0),
    };
    let hls = if hls.is_null() || hls.is_undefined() { Hls::Native } else { Hls::Js(hls) };
    Ok((hls, handover))
}

impl Hls {
    /// Plays the rendition `height` pixels high from now on; `None` lets
    /// hls.js choose by bandwidth again.
    pub fn choose(&self, height: Option<u32>) {
        let Hls::Js(hls) = self else { return };
        let levels: Array = get(hls, "levels").dyn_into().unwrap_or_default();
        let index = height
            .and_then(|h| levels.iter().position(|l| get(&l, "height").as_f64() == Some(f64::from(h))))
            .map_or(-1, |i| i as i32);
        let _ = Reflect::set(hls, &"currentLevel".into(), &JsValue::from(index));
    }

    /// Releases hls.js's buffers and workers.
    pub fn destroy(&self) {
        if let Hls::Js(hls) = self {
            let _ = call(hls, "destroy", &[]);
        }
    }
}
