# Only terraform.tfvars beside this file is opened by the tests: its value is what the finding is reported on.
variable "chain_check" {
  type    = bool
  default = true
}

resource "azurerm_api_management_backend" "ledger" {
  name                = "ledger-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://ledger.contoso.com/api"

  tls {
    validate_certificate_chain = var.chain_check
  }
}
