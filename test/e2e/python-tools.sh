#!/usr/bin/env bash
# Creates (once) a virtualenv with test/e2e/requirements.txt, in a cache outside the repository keyed
# by the requirements' hash, and prints its bin directory as the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
key="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="${PROLIFERATE_E2E_CACHE:-$HOME/.cache/proliferate-e2e}/venv-$key"
# A marker written last: a venv whose install was interrupted is rebuilt, not used.
if [[ ! -f "$venv/.complete" ]]; then
    echo "e2e: installing moto and the AWS CLI into $venv ..." >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
    touch "$venv/.complete"
fi
printf '%s\n' "$venv/bin"
