#!/usr/bin/env bash
# Runs every test from a fresh clone: installs Azurite (npm) and the NuGet packages, builds, tests,
# and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm)..."
  npm ci --no-audit --no-fund --loglevel=error
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
