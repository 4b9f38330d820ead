#!/usr/bin/env pwsh
# Windows twin of scripts/run-local.sh: Azurite, the 100ms simulator and the local host (or `func start`),
# then one recording end to end. Same environment variables: HMS_BASE_URL, HMS_ACCESS_KEY, HMS_APP_SECRET,
# HMS_MANAGEMENT_TOKEN, HMS_WEBHOOK_SECRET, STORAGE_CONNECTION_STRING, KEYVAULT_URI, TIME_SCALE, API_PORT, SIMULATOR_PORT.
#   ./scripts/run-local.ps1 [-Serve] [-Func]
param([switch]$Serve, [switch]$Func)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

function Get-Setting($name, $default) { $value = [Environment]::GetEnvironmentVariable($name); if ($value) { $value } else { $default } }
function Test-Port($port) {
  $client = [Net.Sockets.TcpClient]::new()
  try { $client.Connect('127.0.0.1', [int]$port); $true } catch { $false } finally { $client.Dispose() }
}
function Wait-Port($name, $port, $process) {
  for ($i = 0; $i -lt 120; $i++) {
    if (Test-Port $port) { return }
    if ($process.HasExited) { throw "$name exited; see $logs" }
    Start-Sleep -Milliseconds 500
  }
  throw "$name did not open port $port in 60 s"
}
function Start-Logged($file, $arguments, $environment, $workingDirectory = $root) {
  $info = [Diagnostics.ProcessStartInfo]::new($file)
  foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
  foreach ($key in $environment.Keys) { $info.Environment[$key] = $environment[$key] }
  $info.WorkingDirectory = $workingDirectory
  $info.UseShellExecute = $false
  $info.RedirectStandardOutput = $true
  $info.RedirectStandardError = $true
  $process = [Diagnostics.Process]::Start($info)
  $process.BeginOutputReadLine(); $process.BeginErrorReadLine()
  $script:started += $process
  $process
}

$apiPort = Get-Setting 'API_PORT' 7071
$simPort = Get-Setting 'SIMULATOR_PORT' 5080
$timeScale = Get-Setting 'TIME_SCALE' 60
$logs = Join-Path $root '.artifacts/run-local'
New-Item -ItemType Directory -Force $logs | Out-Null
$script:started = @()
$step = 'starting'

try {
  $step = 'installing tools'
  if (-not $env:STORAGE_CONNECTION_STRING -and -not (Test-Path 'node_modules/.bin/azurite*')) {
    Write-Host '== installing Azurite (npm)'; npm ci --no-audit --no-fund --loglevel=error
    if ($LASTEXITCODE) { throw 'npm ci failed' }
  }

  $step = 'building'
  Write-Host '== building (Release)'
  foreach ($project in 'src/RecordingFunctions.LocalHost', 'tests/RecordingFunctions.HmsSimulator', 'tools/RecordingFunctions.Demo') {
    dotnet build $project -c Release -nologo -clp:ErrorsOnly -v q
    if ($LASTEXITCODE) { throw "building $project failed" }
  }

  $step = 'starting Azurite'
  if ($env:STORAGE_CONNECTION_STRING) { $storage = $env:STORAGE_CONNECTION_STRING }
  else {
    $storage = 'UseDevelopmentStorage=true'
    foreach ($port in 10000, 10001, 10002) { if (Test-Port $port) { throw "port $port is taken: stop the other Azurite first" } }
    Write-Host '== Azurite on 127.0.0.1:10000-10002, data in .azurite/'
    $azurite = Start-Logged 'node' @((Join-Path $root 'node_modules/azurite/dist/src/azurite.js'), '--silent', '--skipApiVersionCheck', '--loose',
      '--disableTelemetry', '--location', (Join-Path $root '.azurite'), '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1') @{}
    foreach ($port in 10000, 10001, 10002) { Wait-Port 'Azurite' $port $azurite }
  }

  $accessKey = Get-Setting 'HMS_ACCESS_KEY' '64b0c0ffee0000000000a001'
  $appSecret = Get-Setting 'HMS_APP_SECRET' 'local-simulator-app-secret-change-me-0123456789'
  $webhookSecret = Get-Setting 'HMS_WEBHOOK_SECRET' 'local-webhook-secret'
  $apiUrl = "http://127.0.0.1:$apiPort"

  $step = 'starting the 100ms simulator'
  if ($env:HMS_BASE_URL) { $hmsUrl = $env:HMS_BASE_URL }
  else {
    $hmsUrl = "http://127.0.0.1:$simPort/v2/"
    Write-Host "== 100ms simulator on 127.0.0.1:$simPort (time scale $timeScale)"
    $simulator = Start-Logged 'dotnet' @('tests/RecordingFunctions.HmsSimulator/bin/Release/net10.0/RecordingFunctions.HmsSimulator.dll', '--urls', "http://127.0.0.1:$simPort") @{
      'Simulator__AccessKey' = $accessKey; 'Simulator__AppSecret' = $appSecret; 'Simulator__TimeScale' = "$timeScale"
      'Simulator__WebhookUrl' = "$apiUrl/api/webhooks/100ms"; 'Simulator__WebhookHeaders__X-100ms-Key' = $webhookSecret
    }
    Wait-Port 'the simulator' $simPort $simulator
  }

  $appEnv = @{
    'AzureWebJobsStorage' = $storage; 'FUNCTIONS_WORKER_RUNTIME' = 'dotnet-isolated'
    'Hms__BaseUrl' = $hmsUrl; 'Hms__WebhookHeaderName' = 'X-100ms-Key'
    'Pipeline__TimeScale' = $(if ($env:HMS_BASE_URL) { '1' } else { "$timeScale" })
  }
  if ($env:KEYVAULT_URI) { $appEnv['KeyVault__Uri'] = $env:KEYVAULT_URI }
  else {
    $appEnv['Hms__AccessKey'] = $accessKey; $appEnv['Hms__AppSecret'] = $appSecret
    $appEnv['Hms__WebhookSecret'] = $webhookSecret; $appEnv['Hms__ManagementToken'] = "$env:HMS_MANAGEMENT_TOKEN"
  }
  if (-not $env:HMS_BASE_URL) { $appEnv['Downloads__AllowHttp'] = 'true'; $appEnv['Downloads__AllowedHosts__0'] = '127.0.0.1' }

  $step = 'starting the app'
  if ($Func) {
    if (-not (Get-Command func -ErrorAction SilentlyContinue)) { throw '-Func needs Azure Functions Core Tools (func) on PATH' }
    Write-Host "== Functions host (func start) on 127.0.0.1:$apiPort"
    $app = Start-Logged 'func' @('start', '--port', "$apiPort") $appEnv (Join-Path $root 'src/RecordingFunctions')
  } else {
    Write-Host "== local host on 127.0.0.1:$apiPort (Durable state in storage, task hub RecordingFunctions)"
    $app = Start-Logged 'dotnet' @('src/RecordingFunctions.LocalHost/bin/Release/net10.0/RecordingFunctions.LocalHost.dll', '--urls', $apiUrl) $appEnv
  }
  Wait-Port 'the app' $apiPort $app

  if ($Serve) {
    $room = '{0:x8}{1:x16}' -f [DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), (Get-Random -Maximum ([long]::MaxValue))
    Write-Host @"

RecordingFunctions is running:
  page       $apiUrl/api/page
  API        $apiUrl/api
  100ms      $hmsUrl
  storage    $storage
Start a recording:
  curl -i -X POST $apiUrl/api/rooms/$room/recordings -H 'Content-Type: application/json' -d '{"transcription":{"enabled":true,"summary":{"enabled":true}}}'
End the meeting (simulator):
  curl -X POST http://127.0.0.1:$simPort/admin/rooms/$room/end
Ctrl+C stops everything.
"@
    while ($true) { Start-Sleep -Seconds 1 }
  }

  if ($env:HMS_BASE_URL) { throw 'The demo drives the simulator; with real 100ms use -Serve.' }
  $step = 'running the demo recording'
  Write-Host '== recording one meeting end to end'
  dotnet tools/RecordingFunctions.Demo/bin/Release/net10.0/RecordingFunctions.Demo.dll --api "$apiUrl/" --simulator "http://127.0.0.1:$simPort/" --storage $storage --record-seconds 5
  if ($LASTEXITCODE) { throw "the demo failed (exit $LASTEXITCODE)" }
  Write-Host "== done: everything this script started is stopped; Azurite's data stays in .azurite/"
}
catch {
  Write-Error "run-local: FAILED while ${step}: $_. Logs: $logs" -ErrorAction Continue
  exit 1
}
finally {
  foreach ($process in $script:started) { if (-not $process.HasExited) { $process.Kill($true) } }
}
