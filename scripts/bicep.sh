#!/usr/bin/env bash
# Checks infra/ offline: installs the Bicep CLI from NuGet into .artifacts/bicep/ (once), compiles
# infra/main.bicep to .artifacts/infra/main.json and lints every .bicep file. Any error or warning fails.
#
#   scripts/bicep.sh            install if needed, build, lint
#   scripts/bicep.sh --install  install if needed and print the path of the bicep binary
#
# BICEP_VERSION overrides the pinned CLI version.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${BICEP_VERSION:-0.49.2}"
tools=.artifacts/bicep
bicep="$tools/bicep"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  *) echo "No Bicep CLI package for $(uname -s) $(uname -m)." >&2; exit 1 ;;
esac
package="azure.bicep.commandline.$rid"

install_bicep() {
  if [ -x "$bicep" ] && "$bicep" --version 2>/dev/null | grep -q "version $version "; then return; fi
  mkdir -p "$tools"
  local staged
  staged=$(mktemp "$tools/bicep.XXXXXX")
  local cached="${NUGET_PACKAGES:-$HOME/.nuget/packages}/$package/$version/tools/bicep"
  if [ -f "$cached" ]; then
    cp "$cached" "$staged"
  else
    local nupkg="$staged.nupkg"
    echo "Downloading Bicep CLI $version ($package) from NuGet..." >&2
    curl -fsSL --retry 3 -o "$nupkg" "https://api.nuget.org/v3-flatcontainer/$package/$version/$package.$version.nupkg"
    unzip -p "$nupkg" tools/bicep >"$staged"
    rm -f "$nupkg"
  fi
  chmod 755 "$staged"
  # Atomic, so that concurrent runs (the script and the infra tests) never see half a binary.
  mv -f "$staged" "$bicep"
}

install_bicep
if [ "${1:-}" = "--install" ]; then
  echo "$PWD/$bicep"
  exit 0
fi

mkdir -p .artifacts/infra
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

"$bicep" build infra/main.bicep --outfile .artifacts/infra/main.json >"$log" 2>&1 || status=1
"$bicep" lint --pattern 'infra/**/*.bicep' >>"$log" 2>&1 || status=1

cat "$log"
# Diagnostics look like "path(line,col) : Warning rule-name: message".
if grep -qiE '\) : (warning|error) ' "$log"; then status=1; fi

if [ "$status" -eq 0 ]; then
  echo "Bicep: infra/main.bicep built to .artifacts/infra/main.json; lint clean."
else
  echo "Bicep: errors or warnings (above)." >&2
fi
exit "$status"
