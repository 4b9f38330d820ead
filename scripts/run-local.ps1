#!/usr/bin/env pwsh
<#
.SYNOPSIS
Windows twin of scripts/run-local.sh: Azurite, the 100ms simulator and the local host (or the real Functions host),
then one recording end to end.

.DESCRIPTION
  ./scripts/run-local.ps1           run the demo, stop everything, exit 0 on success
  ./scripts/run-local.ps1 -Serve    leave the stack running for you to drive by hand: prints the page, every route,
                                    the webhook secret and simulator keys; Ctrl+C stops it
  ./scripts/run-local.ps1 -Func     run the Functions app under the real Functions host (func start, or func-host)
Same environment variables as run-local.sh: HMS_BASE_URL, HMS_ACCESS_KEY, HMS_APP_SECRET, HMS_MANAGEMENT_TOKEN,
HMS_WEBHOOK_SECRET, STORAGE_CONNECTION_STRING, KEYVAULT_URI, TIME_SCALE, API_PORT, SIMULATOR_PORT, AZURITE_PORTS,
AZURITE_LOCATION, FUNCTIONS_HOST. The stack itself is tools/RecordingFunctions.RunLocal; its settings are LocalStack
(tests/RecordingFunctions.HmsSimulator).
#>
param([switch]$Serve, [switch]$Func, [switch]$Help)
$ErrorActionPreference = 'Stop'
if ($Help) { Get-Help $PSCommandPath -Detailed; exit 0 }
Set-Location (Split-Path -Parent $PSScriptRoot)

if (-not $env:STORAGE_CONNECTION_STRING -and -not (Test-Path 'node_modules/azurite')) {
  Write-Host '== installing Azurite (npm)'
  npm ci --no-audit --no-fund --loglevel=error
  if ($LASTEXITCODE) { exit $LASTEXITCODE }
}
Write-Host '== building (Release)'
dotnet build tools/RecordingFunctions.RunLocal -c Release -nologo -clp:ErrorsOnly -v q
if ($LASTEXITCODE) { exit $LASTEXITCODE }
$options = @(if ($Serve) { '--serve' }) + @(if ($Func) { '--func' })
dotnet tools/RecordingFunctions.RunLocal/bin/Release/net10.0/RecordingFunctions.RunLocal.dll @options
exit $LASTEXITCODE
