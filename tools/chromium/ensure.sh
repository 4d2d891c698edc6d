#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser test of the plan report and prints its path as
# the last line of stdout. Installs the `chromium` package when it is missing and we are root (CI
# and the developers' machines run as root); otherwise exits 1 saying which package to install.
# PROLIFERATE_CHROMIUM=<path> names another Chromium/Chrome binary instead.
set -euo pipefail
if [[ -n "${PROLIFERATE_CHROMIUM:-}" ]]; then
    if [[ ! -x "$PROLIFERATE_CHROMIUM" ]]; then
        echo "chromium: PROLIFERATE_CHROMIUM=$PROLIFERATE_CHROMIUM is not an executable file; unset it or point it at a Chromium binary" >&2
        exit 1
    fi
    printf '%s\n' "$PROLIFERATE_CHROMIUM"
    exit 0
fi
browser=/usr/bin/chromium
if [[ ! -x "$browser" ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "chromium: $browser is missing and only root can install it: run  sudo apt-get install -y --no-install-recommends chromium  (Debian's package), or set PROLIFERATE_CHROMIUM=<path to a Chromium binary>" >&2
        exit 1
    fi
    echo "chromium: installing Debian's chromium package (once) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine may have no package lists yet: update only when the first try fails.
    if ! apt-get install -y -q --no-install-recommends chromium >&2; then
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends chromium >&2
    fi
    if [[ ! -x "$browser" ]]; then
        echo "chromium: apt-get installed the chromium package but $browser is still missing" >&2
        exit 1
    fi
fi
printf '%s\n' "$browser"
