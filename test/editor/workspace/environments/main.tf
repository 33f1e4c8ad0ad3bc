# A root module deployed with `terraform plan -var-file=env/dev.tfvars` or `-var-file=env/prod.tfvars`.
variable "chain_check" {
  type    = bool
  default = true
}

resource "azurerm_api_management_backend" "ledger" {
  name                = "ledger"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://ledger.contoso.com/api"

  tls {
    validate_certificate_chain = var.chain_check
  }
}
