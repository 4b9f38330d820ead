#!/usr/bin/env bash
# Runs RecordingFunctions on this machine with one command: Azurite (storage and Durable state), the 100ms simulator
# and the local host (or `func start`), then drives one recording end to end and shows what was archived.
#
#   scripts/run-local.sh            run the demo, stop everything, exit 0 on success
#   scripts/run-local.sh --serve    leave the stack running for you to drive by hand (Ctrl+C stops it)
#   scripts/run-local.sh --func     run the Functions app under the real Functions host instead of the local host:
#                                   `func start` (Core Tools) when func is on PATH, else the shared launcher
#                                   (FUNCTIONS_HOST, or ../shared/tools/functions-host/func-host beside the repository)
#
# Point any part at the real thing with environment variables:
#   HMS_BASE_URL (e.g. https://api.100ms.live/v2/) with HMS_ACCESS_KEY + HMS_APP_SECRET (or HMS_MANAGEMENT_TOKEN)
#     and HMS_WEBHOOK_SECRET: real 100ms instead of the simulator (the demo needs the simulator; use --serve)
#   STORAGE_CONNECTION_STRING: a real storage account instead of Azurite
#   KEYVAULT_URI: read the 100ms secrets from Key Vault (az login / managed identity) instead of the variables above
#   TIME_SCALE (default 60): simulated seconds per real second; API_PORT (7071), SIMULATOR_PORT (5080)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

serve=false; use_func=false
for arg in "$@"; do
  case "$arg" in
    --serve) serve=true ;;
    --func) use_func=true ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

api_port=${API_PORT:-7071}
sim_port=${SIMULATOR_PORT:-5080}
time_scale=${TIME_SCALE:-60}
logs="$root/.artifacts/run-local"
mkdir -p "$logs"
pids=()
step="starting"

cleanup() {
  local code=$?
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$code" -ne 0 ]; then
    echo "run-local: FAILED while $step (exit $code). Logs: $logs" >&2
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '== %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # name port pid
  for _ in $(seq 1 120); do
    port_open "$2" && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 exited; see $logs" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 did not open port $2 in 60 s" >&2; return 1
}

step="installing tools"
if [ -z "${STORAGE_CONNECTION_STRING:-}" ] && [ ! -x node_modules/.bin/azurite ]; then
  say "installing Azurite (npm)"
  npm ci --no-audit --no-fund --loglevel=error
fi

step="building"
say "building (Release)"
dotnet build src/RecordingFunctions.LocalHost -c Release -nologo -clp:ErrorsOnly -v q
dotnet build tests/RecordingFunctions.HmsSimulator -c Release -nologo -clp:ErrorsOnly -v q
dotnet build tools/RecordingFunctions.Demo -c Release -nologo -clp:ErrorsOnly -v q

step="starting Azurite"
if [ -n "${STORAGE_CONNECTION_STRING:-}" ]; then
  storage="$STORAGE_CONNECTION_STRING"
  say "storage: the account in STORAGE_CONNECTION_STRING"
else
  storage="UseDevelopmentStorage=true"
  for port in 10000 10001 10002; do
    if port_open "$port"; then echo "port $port is taken: stop the other Azurite (or storage emulator) first" >&2; exit 1; fi
  done
  say "Azurite on 127.0.0.1:10000-10002, data in .azurite/"
  node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableTelemetry --location "$root/.azurite" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > "$logs/azurite.log" 2>&1 &
  pids+=($!)
  wait_for_port Azurite 10000 "${pids[-1]}"
  wait_for_port Azurite 10001 "${pids[-1]}"
  wait_for_port Azurite 10002 "${pids[-1]}"
fi

access_key=${HMS_ACCESS_KEY:-64b0c0ffee0000000000a001}
app_secret=${HMS_APP_SECRET:-local-simulator-app-secret-change-me-0123456789}
webhook_secret=${HMS_WEBHOOK_SECRET:-local-webhook-secret}
api_url="http://127.0.0.1:$api_port"

step="starting the 100ms simulator"
if [ -n "${HMS_BASE_URL:-}" ]; then
  hms_url="$HMS_BASE_URL"
  say "100ms: $hms_url"
else
  hms_url="http://127.0.0.1:$sim_port/v2/"
  say "100ms simulator on 127.0.0.1:$sim_port (time scale $time_scale)"
  env Simulator__AccessKey="$access_key" Simulator__AppSecret="$app_secret" Simulator__TimeScale="$time_scale" \
    Simulator__WebhookUrl="$api_url/api/webhooks/100ms" "Simulator__WebhookHeaders__X-100ms-Key=$webhook_secret" \
    dotnet tests/RecordingFunctions.HmsSimulator/bin/Release/net10.0/RecordingFunctions.HmsSimulator.dll \
    --urls "http://127.0.0.1:$sim_port" > "$logs/simulator.log" 2>&1 &
  pids+=($!)
  wait_for_port "the simulator" "$sim_port" "${pids[-1]}"
fi

app_env=(
  AzureWebJobsStorage="$storage"
  FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
  Hms__BaseUrl="$hms_url"
  Hms__WebhookHeaderName=X-100ms-Key
  Pipeline__TimeScale="$([ -n "${HMS_BASE_URL:-}" ] && echo 1 || echo "$time_scale")"
)
if [ -n "${KEYVAULT_URI:-}" ]; then
  app_env+=(KeyVault__Uri="$KEYVAULT_URI")
else
  app_env+=(Hms__AccessKey="$access_key" Hms__AppSecret="$app_secret" Hms__WebhookSecret="$webhook_secret"
            Hms__ManagementToken="${HMS_MANAGEMENT_TOKEN:-}")
fi
if [ -z "${HMS_BASE_URL:-}" ]; then app_env+=(Downloads__AllowHttp=true Downloads__AllowedHosts__0=127.0.0.1); fi

step="starting the app"
function_key=""
func_env=(CalendarSyncSchedule="0 */5 * * * *" ArchiveSweepSchedule="0 30 3 * * *"
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval=00:00:01)
func_host=${FUNCTIONS_HOST:-$root/../shared/tools/functions-host}
[ -d "$func_host" ] && func_host="$func_host/func-host"
if $use_func && command -v func >/dev/null; then
  say "Functions host (func start) on 127.0.0.1:$api_port"
  (cd src/RecordingFunctions && env "${app_env[@]}" "${func_env[@]}" AzureFunctionsJobHost__extensions__http__routePrefix=api \
    func start --port "$api_port" > "$logs/func.log" 2>&1) &
  pids+=($!)
  wait_for_port "the app" "$api_port" "${pids[-1]}"
elif $use_func; then
  [ -x "$func_host" ] || { echo "--func needs Azure Functions Core Tools (func) on PATH, or the shared host: $func_host is missing (set FUNCTIONS_HOST)" >&2; exit 1; }
  say "publishing src/RecordingFunctions"
  rm -rf "$logs/functions-app"
  dotnet publish src/RecordingFunctions -c Release -o "$logs/functions-app" -nologo -clp:ErrorsOnly -v q
  say "Functions host (func-host) on 127.0.0.1:$api_port"
  env "${app_env[@]}" "${func_env[@]}" "$func_host" --app "$logs/functions-app" --port "$api_port" \
    --secrets "$logs/func-host/secrets" --logs "$logs/func-host/logs" > "$logs/func.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 360); do
    grep -q '^func-host: ready' "$logs/func.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "the Functions host exited; see $logs/func.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q '^func-host: ready' "$logs/func.log" || { echo "the Functions host was not ready in 180 s; see $logs/func.log" >&2; exit 1; }
  function_key=$(python3 -c 'import json,sys;print(next(k["value"] for k in json.load(open(sys.argv[1],encoding="utf-8-sig"))["functionKeys"] if k["name"]=="default"))' \
    "$logs/func-host/secrets/host.json")
else
  say "local host on 127.0.0.1:$api_port (Durable state in storage, task hub RecordingFunctions)"
  env "${app_env[@]}" dotnet src/RecordingFunctions.LocalHost/bin/Release/net10.0/RecordingFunctions.LocalHost.dll \
    --urls "$api_url" > "$logs/host.log" 2>&1 &
  pids+=($!)
  wait_for_port "the app" "$api_port" "${pids[-1]}"
fi

if $serve; then
  room=$(printf '%08x%016x' "$(date +%s)" "$RANDOM$RANDOM")
  cat <<EOT

RecordingFunctions is running:
  page                $api_url/api/page   (open in a browser on this machine)
  API                 $api_url/api   (routes: POST /rooms/{room_id}/recordings, GET /recordings/{id}, GET /recordings, POST /webhooks/100ms)
  100ms               $hms_url
  storage             $storage
  logs                $logs

Start a recording:
  curl -i -X POST $api_url/api/rooms/$room/recordings${function_key:+?code=$function_key} -H 'Content-Type: application/json' \\
    -d '{"transcription":{"enabled":true,"output_modes":["txt","srt","json"],"summary":{"enabled":true}}}'
Follow it (the Location header):
  curl -s $api_url/api/recordings/<id>${function_key:+?code=$function_key}
End the meeting (simulator):
  curl -X POST http://127.0.0.1:$sim_port/admin/rooms/$room/end

Ctrl+C stops everything.
EOT
  wait
  exit 0
fi

[ -z "${HMS_BASE_URL:-}" ] || { echo "The demo drives the simulator; with real 100ms use --serve." >&2; exit 2; }
step="running the demo recording"
say "recording one meeting end to end"
dotnet tools/RecordingFunctions.Demo/bin/Release/net10.0/RecordingFunctions.Demo.dll \
  --api "$api_url/" --simulator "http://127.0.0.1:$sim_port/" --storage "$storage" --record-seconds 5 \
  ${function_key:+--key "$function_key"}
say "the archive page was at $api_url/api/page (scripts/run-local.sh --serve keeps it open)"
step="stopping"
say "done: everything this script started is stopped; Azurite's data stays in .azurite/"
