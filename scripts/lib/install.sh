# shellcheck shell=bash
# Installs what dangxiao needs to build, run and test, skipping whatever is
# already present at the right version. Sourced by scripts/demo and
# scripts/test; safe to run again (a second run only checks).
#
# Pinned versions: see ../shared/TOOLCHAIN.md for why these build on rustc 1.95.

CARGO_LEPTOS_VERSION=0.3.10
S3S_FS_VERSION=0.14.1
GARAGE_VERSION=2.5.0

# Debian packages: build deps for ffmpeg-next (libav*-dev, clang), brotli
# (the bundle-size benchmark), plus the real services the tests
# drive (PostgreSQL, Chromium + ChromeDriver, an SMTP server for the reminder
# e-mail tests: python3-aiosmtpd) and the slide converters
# (LibreOffice Impress, poppler-utils for pdftoppm/pdftotext/pdfinfo).
APT_PACKAGES=(
  pkg-config clang libclang-dev
  libavcodec-dev libavformat-dev libavfilter-dev libavdevice-dev
  libswscale-dev libswresample-dev libavutil-dev ffmpeg
  brotli
  fonts-noto-cjk
  libreoffice-impress poppler-utils
  postgresql
  chromium chromium-driver
  python3-aiosmtpd
  nginx-light
)

log() { printf '\033[1;34m[dangxiao]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[dangxiao] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return; fi
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust_target() {
  local c
  for c in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      log "adding rustup component $c"
      rustup component add "$c"
    fi
  done
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding rustup target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# ensure_cargo_tool BINARY VERSION CRATE [cargo install flags...]
ensure_cargo_tool() {
  local bin=$1 version=$2 crate=$3
  shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return
  fi
  log "installing $crate $version (cargo install; this takes a few minutes once)"
  cargo install --quiet "$crate" --version "$version" "$@"
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Browser libraries served as they are (frontend/package.json, locked by
# frontend/package-lock.json): installed with npm, then copied into the
# site's assets (frontend/public/vendor/, not in git), which cargo-leptos
# publishes under /vendor/.
ensure_vendor_scripts() {
  if ! command -v npm >/dev/null 2>&1; then
    APT_PACKAGES+=(nodejs npm)
    ensure_apt_packages
  fi
  local lock=frontend/package-lock.json stamp=frontend/node_modules/.dangxiao-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    log "installing browser libraries (npm ci in frontend/)"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in frontend/"
    cp "$lock" "$stamp"
  fi
  mkdir -p frontend/public/vendor
  cp frontend/node_modules/hls.js/dist/hls.light.min.js frontend/public/vendor/hls.light.min.js
  cp frontend/node_modules/hls.js/LICENSE frontend/public/vendor/hls.js.LICENSE.txt
  # cargo-leptos runs `wasm-opt` from PATH on release builds: binaryen's own
  # build from npm, since Debian 12's wasm-opt 108 points wasm-bindgen's
  # externref table export at the function table (the page never hydrates).
  export PATH="$PWD/frontend/node_modules/.bin:$PATH"
}

ensure_build_tools() {
  ensure_apt_packages
  ensure_vendor_scripts
  ensure_rust_target
  ensure_cargo_tool cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos --locked
  # Without --locked: one locked dependency of wasm-bindgen-cli is missing from
  # the registry mirror (TOOLCHAIN.md).
  ensure_cargo_tool wasm-bindgen "$(wasm_bindgen_version)" wasm-bindgen-cli
}

# The production shape's parts beyond PostgreSQL (scripts/cluster and the
# cluster tests): nginx comes with the Debian packages; Garage, a
# distributed object store, from crates.io (about ten minutes on 2 cores).
ensure_cluster_tools() {
  ensure_build_tools
  ensure_cargo_tool garage "$GARAGE_VERSION" garage --locked
}

ensure_test_tools() {
  ensure_cluster_tools
  ensure_cargo_tool s3s-fs "$S3S_FS_VERSION" s3s-fs --features binary --locked
}
