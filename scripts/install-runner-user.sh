#!/usr/bin/env bash
# Creates the system user runbook commands run as (NEXUS_RUNNER_USER, default
# nexus-runner) when NEXUS runs as root: no login shell, no home, its own
# group. Idempotent and silent when the user exists. Not root: commands run
# as the NEXUS user and nothing is created (docs/architecture.md, "Runbooks").
# Runs before `npm start` and from scripts/ensure-test-deps.sh.
set -euo pipefail

readonly RUNNER_USER=${NEXUS_RUNNER_USER:-nexus-runner}

[[ ${EUID} -eq 0 ]] || exit 0
getent passwd "${RUNNER_USER}" >/dev/null && exit 0
command -v useradd >/dev/null 2>&1 || {
  printf 'install-runner-user: useradd is missing; create the system user %s by hand\n' "${RUNNER_USER}" >&2
  exit 1
}
useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "${RUNNER_USER}"
printf 'install-runner-user: created system user %s (runbook commands run as it)\n' "${RUNNER_USER}"
