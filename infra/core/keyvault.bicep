// Holds the 100ms secrets. Access is by Azure RBAC only (no access policies).
param name string
param location string
param tags object

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Once on, purge protection cannot be turned off, and the vault cannot be purged before its retention ends.')
param enablePurgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service refuses an explicit false: leave the property out unless it is wanted.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
