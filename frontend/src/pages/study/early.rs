//! What a video or audio lesson page needs before its wasm: the start
//! script (frontend/public/lesson-start.js), which plays on the first tap,
//! and preload links for hls.js and the requests hls.js makes one after
//! another before the first segment. Rendered on the server only.

use leptos::prelude::*;

use crate::assets::Assets;

/// hls.js, installed from npm by the build (`scripts/lib/install.sh`).
const HLS_SCRIPT: &str = "/vendor/hls.light.min.js";
/// Starts playback before the wasm arrives (frontend/public/lesson-start.js).
const START_SCRIPT: &str = "/lesson-start.js";

/// What hls.js asks for, one after another, before the first segment: the
/// master playlist, then the lowest rendition's playlist and init segment
/// (where it starts on a weak link). Preloaded with the page, they arrive
/// while hls.js itself does, saving three round trips (1.2 s at 400 ms).
/// No segment is preloaded: a page costs no video bytes before play.
fn first_requests(master: &str, renditions: &[u32]) -> Vec<String> {
    let Some((base, _)) = master.rsplit_once('/') else { return vec![master.to_owned()] };
    // Audio has a single rendition in `audio/` (server/media).
    let dir = renditions.iter().min().map_or_else(|| "audio".to_owned(), |h| format!("v{h}"));
    vec![master.to_owned(), format!("{base}/{dir}/index.m3u8"), format!("{base}/{dir}/init.mp4")]
}

/// Where the player's scripts are (versioned addresses, from the server).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct PlayerScripts {
    pub hls: String,
    pub start: String,
}

impl PlayerScripts {
    pub fn new(assets: &Assets) -> PlayerScripts {
        PlayerScripts { hls: assets.url(HLS_SCRIPT), start: assets.url(START_SCRIPT) }
    }
}

/// The preload links and the start script, for the stream at `master`.
pub(super) fn early_start(scripts: &PlayerScripts, master: &str, renditions: &[u32]) -> impl IntoView {
    let first = first_requests(master, renditions);
    view! {
        <link rel="preload" href=scripts.hls.clone() r#as="script" />
        {first
            .into_iter()
            .map(|href| view! { <link rel="preload" href=href r#as="fetch" crossorigin="anonymous" /> })
            .collect_view()}
        <script src=scripts.start.clone() defer=true></script>
    }
}

#[cfg(test)]
mod tests {
    use super::first_requests;

    #[test]
    fn the_first_requests_are_the_master_and_the_lowest_renditions_playlist_and_init() {
        let master = "/api/v1/lessons/7/files/master.m3u8";
        assert_eq!(
            first_requests(master, &[720, 240, 480]),
            [
                "/api/v1/lessons/7/files/master.m3u8",
                "/api/v1/lessons/7/files/v240/index.m3u8",
                "/api/v1/lessons/7/files/v240/init.mp4"
            ]
        );
        assert_eq!(first_requests(master, &[])[1], "/api/v1/lessons/7/files/audio/index.m3u8");
    }
}
