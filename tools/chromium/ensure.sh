#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser test of the plan report (test/plan/) and prints
# its path as the last line of stdout. When it is missing and we are root (CI and the developers'
# machines run as root), installs Debian's `chromium` package; otherwise exits 1 naming the package.
# PROLIFERATE_CHROMIUM=<path> expects the browser elsewhere (default /usr/bin/chromium).
set -euo pipefail
browser="${PROLIFERATE_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$browser" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "chromium: $browser is missing, and only root can install it. Run:  sudo apt-get install -y --no-install-recommends chromium  (Debian's package), or set PROLIFERATE_CHROMIUM=<path to a Chromium binary>" >&2
        exit 1
    fi
    echo "chromium: $browser is missing; installing Debian's chromium package (once) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine may have no package lists yet: update only when the first try fails.
    if ! apt-get install -y -q --no-install-recommends chromium >&2; then
        echo "chromium: the install failed; updating the package lists and trying again ..." >&2
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends chromium >&2
    fi
    if [[ ! -x "$browser" ]]; then
        echo "chromium: apt-get installed the chromium package, but $browser is still missing: set PROLIFERATE_CHROMIUM=<path to the Chromium binary>" >&2
        exit 1
    fi
fi
printf '%s\n' "$browser"
