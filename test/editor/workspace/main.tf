# Fixture for the editor tests: the tests locate values by the text around them, so keep each literal unique.

resource "azurerm_api_management_backend" "legacy" {
  name                = "legacy-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://legacy.contoso.com/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}

variable "validate_chain" {
  type    = bool
  default = true
}

# The chain flag's value comes from terraform.tfvars, so its finding is reported there.
resource "azurerm_api_management_backend" "billing" {
  name                = "billing-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://billing.contoso.com/api"

  tls {
    validate_certificate_chain = var.validate_chain
  }
}
