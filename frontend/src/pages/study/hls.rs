//! HLS in the browser: hls.js (installed from npm at build time and served
//! by dangxiao as `/vendor/hls.light.min.js`) where Media Source Extensions exist,
//! otherwise the browser's own HLS (Safari, iOS).
//!
//! hls.js is loaded only on lesson pages, when a player needs it. Playback
//! starts at the lowest rendition, so it starts quickly on weak networks,
//! and the automatic choice never picks more pixels than the player shows.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlVideoElement;

/// Where the build puts hls.js (see `scripts/lib/install.sh`).
const SCRIPT: &str = "/vendor/hls.light.min.js";

/// How the video gets its stream.
pub enum Hls {
    /// hls.js drives the element; quality can be chosen. Segments load
    /// only once playback is asked for, from the start position.
    Js { hls: JsValue, start: f64 },
    /// The browser plays HLS itself.
    Native,
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

/// Loads hls.js once per page (a `<script>` element; resolves on load).
async fn load_script() -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("no window")?;
    let existing = get(&window, "Hls");
    if !existing.is_undefined() {
        return Ok(existing);
    }
    let document = window.document().ok_or("no document")?;
    let script: web_sys::HtmlScriptElement =
        document.create_element("script").map_err(describe)?.dyn_into().map_err(|_| "not a script element")?;
    script.set_src(SCRIPT);
    let loaded = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&format!("{SCRIPT} did not load")));
        });
        script.set_onload(Some(ok.unchecked_ref()));
        script.set_onerror(Some(failed.unchecked_ref()));
    });
    document.head().ok_or("no head")?.append_child(&script).map_err(describe)?;
    JsFuture::from(loaded).await.map_err(describe)?;
    Ok(get(&window, "Hls"))
}

/// Attaches the stream at `url` to `video`, to start playing at `start`
/// seconds.
pub async fn attach(video: &HtmlVideoElement, url: &str, start: f64) -> Result<Hls, String> {
    let native = !video.can_play_type("application/vnd.apple.mpegurl").is_empty();
    let class = match load_script().await {
        Ok(class) => class,
        // Without hls.js a browser with native HLS still plays.
        Err(_) if native => JsValue::UNDEFINED,
        Err(e) => return Err(e),
    };
    let supported = !class.is_undefined() && call(&class, "isSupported", &[])?.as_bool().unwrap_or(false);
    if supported {
        let config = Object::new();
        let _ = Reflect::set(&config, &"startLevel".into(), &JsValue::from(0));
        let _ = Reflect::set(&config, &"capLevelToPlayerSize".into(), &JsValue::TRUE);
        let _ = Reflect::set(&config, &"startPosition".into(), &JsValue::from(start));
        // Only the playlists until the member presses play: a lesson page
        // costs no video bytes before that.
        let _ = Reflect::set(&config, &"autoStartLoad".into(), &JsValue::FALSE);
        let constructor: Function = class.dyn_into().map_err(|_| "Hls is not a class")?;
        let hls = Reflect::construct(&constructor, &Array::of1(&config)).map_err(describe)?;
        call(&hls, "loadSource", &[JsValue::from_str(url)])?;
        call(&hls, "attachMedia", &[video.clone().into()])?;
        Ok(Hls::Js { hls, start })
    } else if native {
        let v = video.clone();
        let seek = Closure::once_into_js(move || v.set_current_time(start));
        video.set_onloadedmetadata(Some(seek.unchecked_ref()));
        video.set_src(url);
        Ok(Hls::Native)
    } else {
        Err("this browser plays neither HLS nor Media Source Extensions".into())
    }
}

impl Hls {
    /// Plays the rendition `height` pixels high from now on; `None` lets
    /// hls.js choose by bandwidth again.
    pub fn choose(&self, height: Option<u32>) {
        let Hls::Js { hls, .. } = self else { return };
        let levels: Array = get(hls, "levels").dyn_into().unwrap_or_default();
        let index = height
            .and_then(|h| levels.iter().position(|l| get(&l, "height").as_f64() == Some(f64::from(h))))
            .map_or(-1, |i| i as i32);
        let _ = Reflect::set(hls, &"currentLevel".into(), &JsValue::from(index));
    }

    /// Starts loading segments (hls.js), at the start position the first
    /// time; later calls do nothing.
    pub fn start_loading(&mut self) {
        if let Hls::Js { hls, start } = self {
            if *start >= 0.0 {
                let _ = call(hls, "startLoad", &[JsValue::from(*start)]);
                *start = -1.0;
            }
        }
    }

    /// Releases hls.js's buffers and workers.
    pub fn destroy(&self) {
        if let Hls::Js { hls, .. } = self {
            let _ = call(hls, "destroy", &[]);
        }
    }
}
