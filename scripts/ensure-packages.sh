#!/usr/bin/env bash
# Makes sure the Debian packages the test suite needs are installed:
#   postgresql       throwaway test cluster (scripts/pg-test-cluster.sh)
#   chromium         browser tests (Playwright with ExecutablePath=/usr/bin/chromium)
#   fonts-liberation so pages render with real fonts in headless Chromium
#   curl, python3    `make import` (scripts/cmdb-import.sh), which a browser-suite test runs
# As root, installs what is missing (one `apt-get update` first, only if
# something is missing). Otherwise prints what is missing and carries on;
# tests that need a missing package will then fail or be skipped.
# Silent when everything is present.
# Extra packages: ITSM_EXTRA_PACKAGES="pkg1 pkg2" scripts/ensure-packages.sh
set -euo pipefail

packages=(postgresql chromium fonts-liberation curl python3 ${ITSM_EXTRA_PACKAGES:-})

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "ensure-packages: not a Debian-like system; make sure these are installed: ${packages[*]}" >&2
    exit 0
fi

installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "ensure-packages: missing Debian packages: ${missing[*]}" >&2
    echo "ensure-packages: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 0
fi

online_clusters() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 0
    pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print $1 " " $2 }'
}

echo "ensure-packages: installing ${missing[*]}" >&2
before=$(online_clusters)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2

# On a host with a service manager, installing postgresql starts its "main"
# cluster. The tests use their own throwaway cluster, so stop any cluster that
# this install brought up (clusters that were already running are left alone).
while read -r ver name; do
    [[ -n "$ver" ]] || continue
    grep -qxF "$ver $name" <<<"$before" && continue
    echo "ensure-packages: stopping PostgreSQL cluster $ver/$name started by the install" >&2
    pg_ctlcluster "$ver" "$name" stop >&2 || true
done <<<"$(online_clusters)"
