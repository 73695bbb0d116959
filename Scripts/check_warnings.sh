#!/usr/bin/env bash
# Fails when a build log holds a compiler warning from the project's own code (Sources,
# Tests, Examples, Benchmarks: Swift and C, macro expansions in tests included); warnings from
# dependencies' checkouts are theirs. Usage: Scripts/check_warnings.sh BUILD_LOG
# On a clean checkout the log covers every file; after an incremental build, only what was
# recompiled (so CI runs it on a fresh clone, before anything else builds).
set -euo pipefail
log=${1:?usage: Scripts/check_warnings.sh BUILD_LOG}
root=$(cd "$(dirname "$0")/.." && pwd)
grep -q "Build complete" "$log" || { echo "check_warnings: $log is not the log of a finished build" >&2; exit 2; }
warnings=$(grep -E "^($root/)?(Sources|Tests|Examples|Benchmarks)/[^ ]*:[0-9]+:[0-9]+: warning:|^macro expansion .*: warning:" "$log" | sort -u || true)
if [ -n "$warnings" ]; then
  echo "compiler warnings from the project's code:" >&2
  echo "$warnings" >&2
  # A macro expansion's warning names its origin on the next line.
  grep -A1 "^macro expansion .*: warning:" "$log" | grep -oE "$root/[^ ]+\.swift:[0-9]+:[0-9]+" | sort -u | sed 's/^/  expanded at /' >&2 || true
  exit 1
fi
echo "no compiler warnings from the project's code"
