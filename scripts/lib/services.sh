# shellcheck shell=bash
# Starts the real services the tests use, on loopback (PostgreSQL from
# Debian, s3s-fs from crates.io). Their data lives under /tmp rather than in
# the checkout, because the `postgres` user that runs PostgreSQL may not be
# able to enter the checkout's directory (a clone under /root, say).
# Each start function is idempotent and exports the variables the tests read.

SERVICES_DIR=${SERVICES_DIR:-${TMPDIR:-/tmp}/dangxiao-test-services-$(id -u)}
PG_PORT=${PG_PORT:-55432}
S3_PORT=${S3_PORT:-8014}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  echo "$d"
}

# PostgreSQL refuses to run as root, so the cluster belongs to the
# `postgres` user that Debian's package creates.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin data
  bin=$(pg_bin)
  data=$SERVICES_DIR/postgres
  mkdir -p "$SERVICES_DIR"
  chmod 755 "$SERVICES_DIR"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $data"
    rm -rf "$data"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    # ICU zh-Hans-CN default collation, like a Chinese production server:
    # it sorts `/` unlike bytes, which the org path index must survive.
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --locale-provider=icu --icu-locale=zh-Hans-CN >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $PG_PORT -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$data/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  export DANGXIAO_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
  local data=$SERVICES_DIR/postgres
  [ -f "$data/PG_VERSION" ] && as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

start_s3() {
  local data=$SERVICES_DIR/s3 pidfile=$SERVICES_DIR/s3s-fs.pid
  mkdir -p "$data"
  export DANGXIAO_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  export DANGXIAO_TEST_S3_ACCESS_KEY=dangxiao-test
  export DANGXIAO_TEST_S3_SECRET_KEY=dangxiao-test-secret
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return; fi
  log "starting s3s-fs (S3 API) on 127.0.0.1:$S3_PORT"
  s3s-fs --host 127.0.0.1 --port "$S3_PORT" \
    --access-key "$DANGXIAO_TEST_S3_ACCESS_KEY" --secret-key "$DANGXIAO_TEST_S3_SECRET_KEY" \
    "$data" >"$SERVICES_DIR/s3s-fs.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && return
    sleep 0.2
  done
  cat "$SERVICES_DIR/s3s-fs.log" >&2
  die "s3s-fs did not start"
}

stop_s3() {
  local pidfile=$SERVICES_DIR/s3s-fs.pid
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}
