// dangxiao: starts a lesson's video or audio on the first tap, before the
// page's WebAssembly has arrived.
//
// On a slow link the wasm that runs the lesson page (heartbeats, the seek
// rule, the quality menu) arrives seconds after the poster shows, and a tap
// on ▶ in that time used to be lost. This small script runs as soon as the
// page is parsed: it opens the playback session, attaches the stream with
// hls.js (or the browser's own HLS) and starts loading segments at the first
// play request, wherever it came from (the big ▶ over the poster, a tap on
// the picture, the native control). It notes what plays until the page's
// island takes everything over with `window.dxLesson.adopt()`
// (frontend/src/pages/study/hls.rs); the island then reports those parts
// in its first heartbeat, and the server checks them as it checks any other.
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video || !video.dataset.src || window.dxLesson) return;
  var data = video.dataset;
  var start = Number(data.start) || 0;
  var box = video.closest(".player");
  // Milliseconds after the page loaded without a play request, and after a
  // play request without a frame, before the wasm is fetched anyway.
  var IDLE_BEFORE_HYDRATING = 2000;
  var STUCK_BEFORE_HYDRATING = 15000;

  var lesson = {
    hls: null,
    // Segments have been asked for (hls.js loads none before a play request).
    loading: false,
    // Parts played before the island took over, and the one playing now.
    played: [],
    from: null,
    last: start,
    adopted: false,
    // The playback session's answer: a fetch Response (the island reads it).
    session: null,
    // Resolves once the stream is attached; rejects with a message.
    ready: null,
  };
  window.dxLesson = lesson;

  lesson.session = fetch("/api/v1/lessons/" + encodeURIComponent(data.lesson) + "/sessions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "x-csrf-token": data.csrf || "" },
  });

  function wantsPlay() {
    return !video.paused;
  }

  function startLoading() {
    if (lesson.loading || !lesson.hls) return;
    lesson.loading = true;
    lesson.hls.startLoad(start);
  }

  // The level to start at: the highest whose bandwidth fits comfortably in
  // what the browser measured, else the lowest (a small first segment).
  function startLevel(levels) {
    var c = navigator.connection;
    var budget = c && c.downlink > 0 ? c.downlink * 1e6 * 0.7 : 0;
    var pick = 0;
    for (var i = 0; i < levels.length; i++) {
      if (levels[i].bitrate && levels[i].bitrate <= budget && levels[i].bitrate > levels[pick].bitrate) pick = i;
    }
    return pick;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.Hls) return resolve(window.Hls);
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () {
        resolve(window.Hls);
      };
      s.onerror = function () {
        reject(new Error(src + " did not load"));
      };
      document.head.appendChild(s);
    });
  }

  function attach(Hls) {
    var native = video.canPlayType("application/vnd.apple.mpegurl") !== "";
    if (Hls && Hls.isSupported()) {
      var hls = new Hls({
        capLevelToPlayerSize: true,
        startPosition: start,
        // Only the playlists until the member asks to play: a lesson page
        // costs no video bytes before that.
        autoStartLoad: false,
      });
      hls.once(Hls.Events.MANIFEST_PARSED, function (_, info) {
        hls.startLevel = startLevel(info.levels || hls.levels);
      });
      hls.loadSource(data.src);
      hls.attachMedia(video);
      lesson.hls = hls;
      if (wantsPlay()) startLoading();
      return hls;
    }
    if (native) {
      video.addEventListener("loadedmetadata", function seek() {
        video.removeEventListener("loadedmetadata", seek);
        if (start > 0) video.currentTime = start;
      });
      var playing = wantsPlay();
      video.src = data.src;
      if (playing) video.play().catch(function () {});
      return null;
    }
    throw new Error("this browser plays neither HLS nor Media Source Extensions");
  }

  lesson.ready = loadScript(data.hls).then(attach, function (e) {
    // Without hls.js a browser with native HLS still plays.
    if (video.canPlayType("application/vnd.apple.mpegurl") !== "") return attach(null);
    throw e;
  });
  lesson.ready.then(function () {
    video.setAttribute("data-ready", "true");
  }, hydrate);

  // The page's wasm waits until the picture moves (frontend/src/hydration.rs),
  // or until nobody has asked to play for a while, or playback is stuck.
  var released = false;
  function hydrate() {
    if (released) return;
    released = true;
    if (window.dxHydrate) window.dxHydrate();
  }
  video.addEventListener("playing", hydrate);
  video.addEventListener("error", hydrate);
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (video.paused) hydrate();
    }, IDLE_BEFORE_HYDRATING);
  });
  video.addEventListener("play", function () {
    setTimeout(hydrate, STUCK_BEFORE_HYDRATING);
  });

  // A play request, wherever it came from, starts the segments.
  video.addEventListener("play", function () {
    if (box) box.classList.add("started");
    startLoading();
  });

  // Until the first play, the big button over the poster and a tap on the
  // picture both mean "play" (the native controls ignore the picture then).
  function play(ev) {
    if (!video.paused || (box && box.classList.contains("started"))) return;
    if (ev) ev.preventDefault();
    var p = video.play();
    if (p && p.catch) p.catch(function () {});
  }
  var button = document.getElementById("play-start");
  if (button) button.addEventListener("click", play);
  video.addEventListener("click", play);

  // What plays before the island takes over (its own rules apply after).
  function closePart() {
    if (lesson.from !== null && lesson.last > lesson.from) lesson.played.push([lesson.from, lesson.last]);
    lesson.from = null;
  }
  video.addEventListener("timeupdate", function () {
    if (lesson.adopted || video.seeking) return;
    var t = video.currentTime;
    if (!video.paused) {
      var rate = Math.max(video.playbackRate, 1);
      if (lesson.from === null) {
        lesson.from = Math.max(Math.min(t, lesson.last), t - 1);
      } else if (t < lesson.last || t - lesson.last > 2 * rate + 1) {
        closePart();
        lesson.from = t;
      }
    }
    lesson.last = t;
  });
  ["pause", "ended", "seeking"].forEach(function (name) {
    video.addEventListener(name, function () {
      if (lesson.adopted) return;
      if (name !== "seeking") lesson.last = video.currentTime;
      closePart();
    });
  });

  // The island's hand-over: the parts played so far, and from where the
  // part playing now started (null when paused). Tracking stops here.
  lesson.adopt = function () {
    lesson.adopted = true;
    var playingFrom = lesson.from;
    var played = lesson.played;
    lesson.played = [];
    return { played: played, playingFrom: playingFrom, last: lesson.last };
  };
})();
