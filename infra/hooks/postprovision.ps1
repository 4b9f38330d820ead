# azd postprovision hook: prints the two manual steps left after provisioning, filled in from the
# environment's outputs: storing the 100ms secrets in Key Vault and configuring the 100ms webhook.
# It prints placeholders only; it never reads or writes a secret.
$ErrorActionPreference = 'Stop'

function Get-Output([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if (-not $value) { throw "$Name is not set: run azd provision first." }
    return $value
}

$vault = Get-Output 'AZURE_KEY_VAULT_NAME'
$webhookUrl = Get-Output 'HMS_WEBHOOK_URL'
$header = Get-Output 'HMS_WEBHOOK_HEADER_NAME'
$accessKeyName = Get-Output 'HMS_ACCESS_KEY_SECRET_NAME'
$appSecretName = Get-Output 'HMS_APP_SECRET_SECRET_NAME'
$webhookSecretName = Get-Output 'HMS_WEBHOOK_SECRET_SECRET_NAME'

Write-Host @"

RecordingFunctions is provisioned. Two steps remain before it can record.

1. Store the 100ms credentials in Key Vault $vault.
   The app access key and app secret are in the 100ms dashboard, Developer section.
   Pick a random webhook secret, for example: [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))

     az keyvault secret set --vault-name $vault --name $accessKeyName --value '<app access key>'
     az keyvault secret set --vault-name $vault --name $appSecretName --value '<app secret>'
     az keyvault secret set --vault-name $vault --name $webhookSecretName --value '<webhook secret>'

   (If Azure answers Forbidden, your Key Vault Secrets Officer role is still propagating: retry in a minute.)

2. In the 100ms dashboard, Developer section, enable webhooks and set:

     Webhook URL:     $webhookUrl
     Webhook header:  $header = <the same webhook secret>

"@
