#!/usr/bin/env bash
# Benchmarks: builds in Release, publishes the Functions app, starts Azurite on loopback, runs every benchmark with
# bounded counts and time (webhooks, pipelines, copy, storage operations counted per recording / webhook / idle hour,
# the real Functions host against the local host, the cost), prints the tables, writes docs/benchmarks.md, and stops
# what it started. Figures, not pass/fail. About 15 minutes here; --quick about 5.
#   scripts/bench.sh [--quick] [--pipelines 200] [--copy-mib 64,1024] [--copy-runs 3] [--webhook-seconds 10] [--concurrency 32]
#                    [--host-pipelines 50] [--idle-seconds 60] [--production-idle-seconds 180]
#   scripts/bench.sh webhook [--webhook-seconds 10] [--concurrency 32] [--engines AzureStorage]   (ingestion only, printed, docs untouched)
#   scripts/bench.sh hosts [...]   (sections 4-6 only: counts, the two hosts, cost; printed, docs untouched)
#   AZURITE_IN_MEMORY=1 scripts/bench.sh ...   Azurite keeps everything in memory (see below)
#   FUNCTIONS_HOST=path/to/func-host   the Functions host launcher (default ../shared/tools/functions-host/func-host)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command=all
case "${1:-}" in webhook|hosts) command=$1; shift ;; esac
args=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then
    # Smaller counts and shorter windows; the same tables (later flags still override these).
    args+=(--pipelines 40 --copy-mib 64 --copy-runs 2 --webhook-seconds 5 --host-pipelines 10 --idle-seconds 20 --production-idle-seconds 60)
  else
    args+=("$arg")
  fi
done

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build tools/RecordingFunctions.Bench -c Release -nologo -clp:ErrorsOnly -v q
launcher=${FUNCTIONS_HOST:-$root/../shared/tools/functions-host/func-host}
[ -d "$launcher" ] && launcher=$launcher/func-host
app=$root/.artifacts/bench/functions-app
if [ "$command" != webhook ] && [ -x "$launcher" ]; then
  rm -rf "$app"
  dotnet publish src/RecordingFunctions -c Release -o "$app" -nologo -clp:ErrorsOnly -v q
else
  launcher=""
fi

data=$(mktemp -d)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
blob=$(port); queue=$(port); table=$(port)
# On disk, Azurite writes every queue message through one file with an fdatasync each, so Durable's queue traffic
# measures this machine's disk; AZURITE_IN_MEMORY=1 measures the app and the Durable engine instead.
azurite_storage="--location $data"
[ "${AZURITE_IN_MEMORY:-0}" = 1 ] && azurite_storage=--inMemoryPersistence
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableTelemetry $azurite_storage \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
  > "$data/azurite.log" 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && break; sleep 0.5; done

key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

DOTNET_PROCESSOR_COUNT=${DOTNET_PROCESSOR_COUNT:-64} timeout 3600 dotnet tools/RecordingFunctions.Bench/bin/Release/net10.0/RecordingFunctions.Bench.dll \
  "$command" --storage "$storage" --out "$root/docs/benchmarks.md" --root "$root" --func-host "$launcher" --functions-app "$app" \
  --machine "$(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))" ${args[@]+"${args[@]}"}
if [ "$command" = all ]; then echo "written: docs/benchmarks.md"; fi
