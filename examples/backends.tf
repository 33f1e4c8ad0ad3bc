# The backends behind the Contoso API gateway, one for each way backend TLS trust goes right or wrong.
# README.md in this folder says what apim-tls-lint reports on each.
#
# Before the move to StandardV2 the internal services worked because Contoso's internal CA was uploaded to the
# service's CA store, which every classic-tier gateway trusts. The v2 tiers ignore that store for backend calls:
# trust in an internal CA is set per backend by pinning the issuing CA (serverX509Names), which the azurerm
# provider cannot express and an azapi_update_resource overlay can. Nobody had time for that on migration night,
# so what shipped is below. The fixes for each backend are in README.md; this file shows the state before them,
# which is what most workspaces look like when apim-tls-lint first runs on them.

# orders: an internal service whose certificate comes from Contoso Issuing CA 01.
resource "azurerm_api_management_backend" "orders" {
  name                = "orders-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "https://orders.internal.contoso.com/api"
  description         = "Orders service, certificate from the internal CA"

  tls {
    # 2 a.m. on migration night: every call to orders failed with 500 BackendConnectionFailure ("Could not
    # establish trust relationship for the SSL/TLS secure channel"). Switching validation off made the errors
    # go away, and the change was meant to be reverted on Monday.
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}

# billing: the same internal CA, but its flag comes from a variable (see terraform.tfvars).
resource "azurerm_api_management_backend" "billing" {
  name                = "billing-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "https://billing.internal.contoso.com"
  description         = "Billing service, certificate from the internal CA"

  tls {
    validate_certificate_chain = var.validate_backend_chain
    validate_certificate_name  = true
  }
}

# inventory: the legacy inventory service never got a certificate.
resource "azurerm_api_management_backend" "inventory" {
  name                = "inventory-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "http://inventory.contoso.com:8080/api"
  description         = "Legacy inventory service"
}

# payments: a public certificate and no tls block, so APIM validates chain and name (both default to true).
# This is what a healthy backend looks like.
# apim-tls-lint-disable-next-line APIM003 -- public certificate from a public CA, no pin needed
resource "azurerm_api_management_backend" "payments" {
  name                = "payments-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "https://payments.contoso.com/v1"
  description         = "Payments service, public certificate"
}

# Partner backends, one per entry of the map. Fabrikam's certificate is public; the customs gateway runs in
# Contoso's own data centre with a certificate from the internal CA, hence the false.
locals {
  partner_backends = {
    fabrikam = {
      url            = "https://api.fabrikam.com/shipping/v2"
      validate_chain = true
    }
    customs = {
      url            = "https://customs-gateway.contoso.com"
      validate_chain = false
    }
  }
}

# apim-tls-lint-disable-next-line APIM003 -- fabrikam has a public certificate; customs is APIM001's to fix
resource "azurerm_api_management_backend" "partner" {
  for_each = local.partner_backends

  name                = "${each.key}-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = each.value.url

  tls {
    validate_certificate_chain = each.value.validate_chain
    validate_certificate_name  = true
  }
}
