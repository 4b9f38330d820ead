// Log alerts over the workspace that holds the app's telemetry (docs/operations.md says what each means and what
// to do). Each rule is billed per evaluation; the action group, free for e-mail, exists only when an address is given.
param workspaceName string
param location string
param tags object

@description('E-mail address alerted; empty creates no action group and the alerts show in the portal only.')
param alertEmail string

@description('Unauthorized webhook calls within 15 minutes that raise the spike alert.')
param unauthorizedWebhookThreshold int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-recordings'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'recordings'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [actionGroup.id]

// Counters reach the workspace as AppMetrics rows: Sum is what was counted in the row's interval.
resource failedPipelines 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-failed-pipelines'
  location: location
  tags: tags
  properties: {
    displayName: 'Recording pipelines failed'
    description: 'A recording pipeline ended failed: its transcript or summary may be missing. See docs/operations.md.'
    severity: 1
    enabled: true
    scopes: [workspace.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'AppMetrics | where Name == "recordingfunctions.pipelines.ended" and tostring(Properties.phase) == "failed" | summarize Failed = sum(Sum)'
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failed'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actions
    }
  }
}

resource unauthorizedWebhooks 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-unauthorized-webhooks'
  location: location
  tags: tags
  properties: {
    displayName: 'Spike of unauthorized webhook calls'
    description: 'Many calls to /api/webhooks/100ms without the right secret header: a rotated secret not updated on one side, or someone probing the endpoint. See docs/operations.md.'
    severity: 2
    enabled: true
    scopes: [workspace.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'AppMetrics | where Name == "recordingfunctions.webhooks.requests" and tostring(Properties.outcome) == "unauthorized" | summarize Unauthorized = sum(Sum)'
          timeAggregation: 'Total'
          metricMeasureColumn: 'Unauthorized'
          operator: 'GreaterThanOrEqual'
          threshold: unauthorizedWebhookThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actions
    }
  }
}
