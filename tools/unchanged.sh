#!/usr/bin/env bash
# Run a command and fail if it changed what `git status` reports (tracked files
# modified, untracked files not ignored): tests write only to build/ or tmp.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    exec "$@"   # not a git checkout (e.g. an unpacked archive): nothing to compare
fi
before=$(git status --porcelain)
"$@"
status=$?
after=$(git status --porcelain)
if [ "$before" != "$after" ]; then
    echo "ERROR: the run changed the working tree (tests must write only to build/ or a temporary folder):" >&2
    diff <(echo "$before") <(echo "$after") >&2
    exit 1
fi
exit $status
