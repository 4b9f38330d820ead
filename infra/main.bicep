// RecordingFunctions on Azure: a Flex Consumption function app, its storage, Key Vault and telemetry.
// `azd up` deploys it; scripts/bicep.sh builds and lints it offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Flex Consumption plan.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd: they get Key Vault Secrets Officer to store the 100ms secrets. Empty to skip.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@minValue(7)
@maxValue(90)
@description('Days a deleted vault or secret can still be recovered.')
param keyVaultSoftDeleteRetentionInDays int = 7

@description('Purge protection cannot be turned off again and makes `azd down --purge` unable to purge the vault: for production only.')
param keyVaultEnablePurgeProtection bool = false

@allowed([512, 2048, 4096])
@description('Memory of each Flex Consumption instance.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Upper bound of the Flex Consumption scale-out.')
param maximumInstanceCount int = 40

@description('The 100ms REST API.')
param hmsBaseUrl string = 'https://api.100ms.live/v2/'

@description('The header configured with the webhook secret in the 100ms dashboard.')
param hmsWebhookHeaderName string = 'X-100ms-Key'

// Pipeline timings (TimeSpan values, d.hh:mm:ss). Defaults are those of PipelineOptions.
@description('The longest recording: the maxDuration of the 100ms template.')
param pipelineMaxRecordingDuration string = '04:00:00'

@description('Waited past the longest recording (and past a stop) before asking 100ms instead of waiting for webhooks.')
param pipelineRecordingEndMargin string = '00:15:00'

@description('Transcription timeout = max(floor, ratio x recording duration) + grace.')
param pipelineTranscriptionTimeoutFloor string = '00:05:00'
param pipelineTranscriptionTimeoutRatio string = '0.2'
param pipelineTranscriptionTimeoutGrace string = '00:05:00'

@description('When webhooks do not come: how often the assets are polled, and how many times before giving up.')
param pipelinePollInterval string = '00:02:00'
param pipelineMaxPolls int = 15

@description('When the calendar feeds are synced (CRON, six fields: every 5 minutes by default).')
param calendarSyncSchedule string = '0 */5 * * * *'
@description('How far ahead calendar occurrences get their pipelines (d.hh:mm:ss).')
param calendarLookAhead string = '2.00:00:00'
@description('Which recordings are archived: All (every recording of the 100ms workspace whose webhooks or list entry the app sees) or Started (only those started through the API or a calendar).')
@allowed(['All', 'Started'])
param archiveRecordings string = 'All'
@description('When the archive sweep runs (CRON, six fields: daily at 03:30 UTC by default).')
param archiveSweepSchedule string = '0 30 3 * * *'
@description('How far back the scheduled sweep looks (d.hh:mm:ss); 100ms keeps files for 15 days.')
param archiveSweepLookBack string = '3.00:00:00'

@description('E-mail address for the failed-pipeline and unauthorized-webhook alerts; empty: the alerts fire in the portal only.')
param alertEmail string = ''

@description('Unauthorized webhook calls within 15 minutes that raise an alert.')
@minValue(1)
param unauthorizedWebhookThreshold int = 20

@description('Client id of a Microsoft Entra app registration for signing in to the archive page (App Service Authentication). Empty: no sign-in, the page asks for a function key.')
param pageSignInClientId string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var deploymentContainerName = 'app-package'
var recordingsContainerName = 'recordings'
var hmsSecretNames = {
  accessKey: 'hms-access-key'
  appSecret: 'hms-app-secret'
  managementToken: 'hms-management-token'
  webhookSecret: 'hms-webhook-secret'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    recordingsContainerName: recordingsContainerName
  }
}

module keyVault 'core/keyvault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    enablePurgeProtection: keyVaultEnablePurgeProtection
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module alerts 'core/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    workspaceName: monitoring.outputs.workspaceName
    location: location
    tags: tags
    alertEmail: alertEmail
    unauthorizedWebhookThreshold: unauthorizedWebhookThreshold
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The host reaches its storage on first start: grant the roles first.
  dependsOn: [rbac]
  params: {
    name: 'func-api-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    recordingsContainerName: recordingsContainerName
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    hmsSecretNames: hmsSecretNames
    hmsBaseUrl: hmsBaseUrl
    hmsWebhookHeaderName: hmsWebhookHeaderName
    pipelineMaxRecordingDuration: pipelineMaxRecordingDuration
    pipelineRecordingEndMargin: pipelineRecordingEndMargin
    pipelineTranscriptionTimeoutFloor: pipelineTranscriptionTimeoutFloor
    pipelineTranscriptionTimeoutRatio: pipelineTranscriptionTimeoutRatio
    pipelineTranscriptionTimeoutGrace: pipelineTranscriptionTimeoutGrace
    pipelinePollInterval: pipelinePollInterval
    pipelineMaxPolls: pipelineMaxPolls
    calendarSyncSchedule: calendarSyncSchedule
    calendarLookAhead: calendarLookAhead
    archiveRecordings: archiveRecordings
    archiveSweepSchedule: archiveSweepSchedule
    archiveSweepLookBack: archiveSweepLookBack
    pageSignInClientId: pageSignInClientId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output PAGE_URL string = '${api.outputs.uri}/api/page'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_RECORDINGS_CONTAINER string = recordingsContainerName
// Read by the postprovision hook, which prints the remaining manual steps.
output HMS_WEBHOOK_URL string = '${api.outputs.uri}/api/webhooks/100ms'
output HMS_WEBHOOK_HEADER_NAME string = hmsWebhookHeaderName
output HMS_ACCESS_KEY_SECRET_NAME string = hmsSecretNames.accessKey
output HMS_APP_SECRET_SECRET_NAME string = hmsSecretNames.appSecret
output HMS_WEBHOOK_SECRET_SECRET_NAME string = hmsSecretNames.webhookSecret
