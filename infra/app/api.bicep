// The function app on a Flex Consumption plan, and every app setting it reads in Azure.
// The 100ms secrets are not app settings: the app reads them from Key Vault with its identity.
param name string
param planName string
param location string
param tags object

@description('Resource id and client id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param recordingsContainerName string
param keyVaultName string
param applicationInsightsName string

@description('Names of the Key Vault secrets holding the 100ms credentials.')
param hmsSecretNames {
  accessKey: string
  appSecret: string
  managementToken: string
  webhookSecret: string
}

param hmsBaseUrl string
param hmsWebhookHeaderName string

param pipelineMaxRecordingDuration string
param pipelineRecordingEndMargin string
param pipelineTranscriptionTimeoutFloor string
param pipelineTranscriptionTimeoutRatio string
param pipelineTranscriptionTimeoutGrace string
param pipelinePollInterval string
param pipelineMaxPolls int

@description('CRON schedule (six fields) of the calendar feed sync; feeds themselves are app settings Calendar__Feeds__N__Name/Url.')
param calendarSyncSchedule string
param calendarLookAhead string

@description('Archive:Recordings: All (every recording of the workspace) or Started (only those this app started).')
param archiveRecordings string
@description('CRON schedule (six fields) of the archive sweep over the last archiveSweepLookBack.')
param archiveSweepSchedule string
param archiveSweepLookBack string
@description('Client id of the Entra app registration people sign in to the archive page with; empty for none.')
param pageSignInClientId string

@allowed([512, 2048, 4096])
param instanceMemoryMB int

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource api 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Flex Consumption takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME,
      // FUNCTIONS_EXTENSION_VERSION and the content-share settings.
      appSettings: [
        // Functions host and Durable Task hub storage, through the identity (the account has no keys).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // The archive (same account as the host; the blob endpoint and identity come from AzureWebJobsStorage__*).
        { name: 'RecordingStorage__Container', value: recordingsContainerName }
        // The 100ms secrets, read by the app from Key Vault.
        { name: 'KeyVault__Uri', value: vault.properties.vaultUri }
        { name: 'KeyVault__ClientId', value: identityClientId }
        { name: 'KeyVault__AccessKeySecretName', value: hmsSecretNames.accessKey }
        { name: 'KeyVault__AppSecretSecretName', value: hmsSecretNames.appSecret }
        { name: 'KeyVault__ManagementTokenSecretName', value: hmsSecretNames.managementToken }
        { name: 'KeyVault__WebhookSecretSecretName', value: hmsSecretNames.webhookSecret }
        { name: 'Hms__BaseUrl', value: hmsBaseUrl }
        { name: 'Hms__WebhookHeaderName', value: hmsWebhookHeaderName }
        { name: 'Pipeline__MaxRecordingDuration', value: pipelineMaxRecordingDuration }
        { name: 'Pipeline__RecordingEndMargin', value: pipelineRecordingEndMargin }
        { name: 'Pipeline__TranscriptionTimeoutFloor', value: pipelineTranscriptionTimeoutFloor }
        { name: 'Pipeline__TranscriptionTimeoutRatio', value: pipelineTranscriptionTimeoutRatio }
        { name: 'Pipeline__TranscriptionTimeoutGrace', value: pipelineTranscriptionTimeoutGrace }
        { name: 'Pipeline__PollInterval', value: pipelinePollInterval }
        { name: 'Pipeline__MaxPolls', value: string(pipelineMaxPolls) }
        { name: 'CalendarSyncSchedule', value: calendarSyncSchedule }
        { name: 'Calendar__LookAhead', value: calendarLookAhead }
        { name: 'Archive__Recordings', value: archiveRecordings }
        { name: 'ArchiveSweepSchedule', value: archiveSweepSchedule }
        { name: 'Archive__SweepLookBack', value: archiveSweepLookBack }
      ]
    }
  }
}

// Sign-in for the archive page: App Service Authentication with Microsoft Entra ID. Unauthenticated requests pass
// through to the app (the 100ms webhook, schedulers holding a function key); the app itself lets into the page's
// routes only a signed-in principal (X-MS-CLIENT-PRINCIPAL, believed only while WEBSITE_AUTH_ENABLED is set) or a
// function key. No client secret: the ID token comes back to /.auth/login/aad/callback, so the registration needs
// "ID tokens" enabled and that redirect URI (README, Deploy).
resource signIn 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(pageSignInClientId)) {
  parent: api
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: pageSignInClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [pageSignInClientId, 'api://${pageSignInClientId}']
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// No FTP and no basic-auth publishing: azd deploys with Microsoft Entra credentials.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: api
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: api
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = api.name
output uri string = 'https://${api.properties.defaultHostName}'
