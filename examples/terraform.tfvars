# Production values for the Contoso API gateway.
# temporary, until the CA is sorted
validate_backend_chain = false

subscription_id     = "00000000-0000-0000-0000-000000000000"
resource_group_name = "rg-apim-prod"
location            = "westeurope"
apim_name           = "apim-contoso-prod"
publisher_email     = "api-platform@contoso.com"
