#!/usr/bin/env bash
# Runs RecordingFunctions on this machine with one command: Azurite (storage and Durable state), the 100ms simulator
# and the local host (or the real Functions host), then drives one recording end to end and shows what was archived.
#
#   scripts/run-local.sh            run the demo, stop everything, exit 0 on success
#   scripts/run-local.sh --serve    leave the stack running for you to drive by hand: prints the page, every route,
#                                   the webhook secret and simulator keys; Ctrl+C (or SIGTERM) stops it
#   scripts/run-local.sh --func     run the Functions app under the real Functions host instead of the local host:
#                                   `func start` (Core Tools) when func is on PATH, else the shared launcher
#                                   (FUNCTIONS_HOST, or ../shared/tools/functions-host/func-host beside the repository)
#
# Point any part at the real thing with environment variables:
#   HMS_BASE_URL (e.g. https://api.100ms.live/v2/) with HMS_ACCESS_KEY + HMS_APP_SECRET (or HMS_MANAGEMENT_TOKEN)
#     and HMS_WEBHOOK_SECRET: real 100ms instead of the simulator (the demo needs the simulator; use --serve)
#   STORAGE_CONNECTION_STRING: a real storage account instead of Azurite
#   KEYVAULT_URI: read the 100ms secrets from Key Vault (az login / managed identity) instead of the variables above
#   TIME_SCALE (default 60): simulated seconds per real second; API_PORT (7071), SIMULATOR_PORT (5080),
#   AZURITE_PORTS (10000,10001,10002: blob,queue,table), AZURITE_LOCATION (.azurite/)
# The stack itself is tools/RecordingFunctions.RunLocal; its settings are LocalStack (tests/RecordingFunctions.HmsSimulator).
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case "$arg" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    --serve|--func) ;;
    *) echo "unknown option: $arg (scripts/run-local.sh --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${STORAGE_CONNECTION_STRING:-}" ] && [ ! -x node_modules/.bin/azurite ]; then
  echo "== installing Azurite (npm)"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "== building (Release)"
dotnet build tools/RecordingFunctions.RunLocal -c Release -nologo -clp:ErrorsOnly -v q
exec dotnet tools/RecordingFunctions.RunLocal/bin/Release/net10.0/RecordingFunctions.RunLocal.dll "$@"
