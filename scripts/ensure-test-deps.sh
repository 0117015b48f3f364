#!/usr/bin/env bash
# Makes sure what `npm test` needs on this machine is present and running:
#   - Debian packages prometheus (prometheus, promtool),
#     prometheus-alertmanager (prometheus-alertmanager, amtool),
#     chromium (the console's browser tests, driven by playwright-core),
#     bubblewrap (bwrap: the sandbox runbook commands run in) and
#     nginx (the deployments domain's traffic router, test/deployments);
#   - as root, the system user runbook commands run as (nexus-runner);
#   - PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
# Idempotent; prints one line and takes well under a second when all is there.
# Runs as `pretest` (so `npm test` works by itself) and from .ci/run.
set -euo pipefail

readonly APT_PACKAGES=(prometheus prometheus-alertmanager chromium bubblewrap nginx)
readonly BINARIES=(prometheus promtool prometheus-alertmanager amtool chromium bwrap nginx)
readonly WAIT_SECONDS=30

say() { printf 'ensure-test-deps: %s\n' "$*"; }
die() { printf 'ensure-test-deps: ERROR: %s\n' "$*" >&2; exit 1; }

# Root, or passwordless sudo, for apt-get and for starting the services.
as_root() {
  if [[ ${EUID} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 125
  fi
}

can_be_root() { [[ ${EUID} -eq 0 ]] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }

# --- Debian packages ---------------------------------------------------------
missing=()
for bin in "${BINARIES[@]}"; do
  command -v "${bin}" >/dev/null 2>&1 || missing+=("${bin}")
done
installed_now=''
if ((${#missing[@]} > 0)); then
  if ! can_be_root; then
    die "missing ${missing[*]}; not root and no passwordless sudo. Install them with:
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${APT_PACKAGES[*]}
then run: bash scripts/ensure-test-deps.sh"
  fi
  say "missing ${missing[*]}: installing Debian packages ${APT_PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    -o DPkg::Lock::Timeout=120 "${APT_PACKAGES[@]}" >/dev/null
  for bin in "${BINARIES[@]}"; do
    command -v "${bin}" >/dev/null 2>&1 || die "${bin} still missing after installing ${APT_PACKAGES[*]}"
  done
  installed_now=" (installed ${APT_PACKAGES[*]})"
fi

# --- The runner user -----------------------------------------------------------
# As root, NEXUS runs runbook commands as this user (the sandbox tests need it).
if [[ ${EUID} -eq 0 ]]; then
  bash "$(dirname "$0")/install-runner-user.sh"
fi

# --- Services ----------------------------------------------------------------
# Tests may point at other servers (test/support/env.ts); then those are not ours to start.
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -t 2 -q 2>/dev/null; }
redis_up() { [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

wait_for() { # name check-function
  local name=$1 check=$2 deadline=$((SECONDS + WAIT_SECONDS))
  until "${check}"; do
    ((SECONDS < deadline)) || die "${name} did not answer within ${WAIT_SECONDS}s"
    sleep 0.2
  done
}

started=()
if [[ -z ${NEXUS_TEST_PG_URL:-} ]] && ! pg_up; then
  command -v pg_ctlcluster >/dev/null 2>&1 || die 'PostgreSQL is not answering on 127.0.0.1:5432 and pg_ctlcluster is missing (install Debian package postgresql)'
  can_be_root || die 'PostgreSQL is not answering on 127.0.0.1:5432; start it as root: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  [[ -n ${version} ]] || die 'no cluster under /etc/postgresql'
  say "PostgreSQL ${version} not answering on 127.0.0.1:5432: starting it"
  # "already running" (e.g. still starting up) is not an error here: wait_for decides.
  as_root pg_ctlcluster --skip-systemctl-redirect "${version}" main start || true
  wait_for PostgreSQL pg_up
  started+=(PostgreSQL)
fi
if [[ -z ${NEXUS_TEST_REDIS_URL:-} ]] && ! redis_up; then
  command -v redis-server >/dev/null 2>&1 || die 'Redis is not answering on 127.0.0.1:6379 and redis-server is missing (install Debian package redis-server)'
  can_be_root || die 'Redis is not answering on 127.0.0.1:6379; start it as root (see scripts/ensure-test-deps.sh)'
  say 'Redis not answering on 127.0.0.1:6379: starting it'
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis_up
  started+=(Redis)
fi

note=''
((${#started[@]} == 0)) || note=" (started ${started[*]})"
say "ok: prometheus, promtool, alertmanager, chromium, bwrap, nginx, PostgreSQL, Redis${installed_now}${note}"
