# A backend pinned to the internal issuing CA by an azapi overlay (the pattern of DESIGN §1). The thumbprint is the
# SHA-1 of certs/contoso-issuing-ca-01.cer, so the hover can show the matching certificate.
resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://tic.internal.contoso.com/api"
}

resource "azapi_update_resource" "tic_backend_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.tic.id
  body = {
    properties = {
      tls = {
        serverX509Names = [{
          name                        = "tic.internal.contoso.com"
          issuerCertificateThumbprint = "C54CD3D82A01A49B61C6B4C3D3F935762F553A83"
        }]
      }
    }
  }

  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.tic]
  }
}
