#!/usr/bin/env bash
# Runs every test from a fresh clone: installs Azurite (npm) and the NuGet packages, builds, tests,
# and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

# The archive page's tests drive Debian's Chromium (Playwright for .NET, no browser download). Install it when
# missing and this script may (root with apt-get); otherwise those tests say why and skip (and fail under CI=true).
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium (apt-get) for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "Could not install Chromium: the browser tests will skip (and fail under CI=true)." >&2
fi

results=.artifacts/test-results
timings=.artifacts/host-timings.txt   # written by the host scenarios (tests/RecordingFunctions.Tests/Hosts)
rm -rf "$results" "$timings"
dotnet build RecordingFunctions.sln -c Release -nologo -clp:ErrorsOnly

status=0
dotnet test RecordingFunctions.sln -c Release --no-build -nologo \
  --settings tests/tests.runsettings \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "The test run itself failed (exit $status)."; fi
if [ -s "$timings" ]; then echo "Host scenarios (.artifacts/host-timings.txt):"; sed 's/^/  /' "$timings"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
