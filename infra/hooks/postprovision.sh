#!/bin/sh
# azd postprovision hook: prints the two manual steps left after provisioning, filled in from the
# environment's outputs: storing the 100ms secrets in Key Vault and configuring the 100ms webhook.
# It prints placeholders only; it never reads or writes a secret.
set -eu

missing="is not set: run azd provision first"
vault="${AZURE_KEY_VAULT_NAME:?$missing}"
webhook_url="${HMS_WEBHOOK_URL:?$missing}"
header="${HMS_WEBHOOK_HEADER_NAME:?$missing}"
access_key_name="${HMS_ACCESS_KEY_SECRET_NAME:?$missing}"
app_secret_name="${HMS_APP_SECRET_SECRET_NAME:?$missing}"
webhook_secret_name="${HMS_WEBHOOK_SECRET_SECRET_NAME:?$missing}"

cat <<EOF

RecordingFunctions is provisioned. Two steps remain before it can record.

1. Store the 100ms credentials in Key Vault $vault.
   The app access key and app secret are in the 100ms dashboard, Developer section.
   Pick a random webhook secret, for example: openssl rand -hex 32

     az keyvault secret set --vault-name $vault --name $access_key_name --value '<app access key>'
     az keyvault secret set --vault-name $vault --name $app_secret_name --value '<app secret>'
     az keyvault secret set --vault-name $vault --name $webhook_secret_name --value '<webhook secret>'

   (If Azure answers Forbidden, your Key Vault Secrets Officer role is still propagating: retry in a minute.)

2. In the 100ms dashboard, Developer section, enable webhooks and set:

     Webhook URL:     $webhook_url
     Webhook header:  $header = <the same webhook secret>

EOF
