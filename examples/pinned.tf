# The fix that works on v2: pin the CA that issues the backend's certificate, per backend. The azurerm provider
# cannot express it, so an azapi overlay patches properties.tls of the backend azurerm created.

# tic: done right (the pattern every internal backend should end up with).
resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "https://tic.internal.contoso.com/api"
  # No tls {} block here: the overlay below owns properties.tls.
}

resource "azapi_update_resource" "tic_backend_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.tic.id
  body = {
    properties = {
      tls = {
        validateCertificateChain = true
        validateCertificateName  = true
        serverX509Names = [{
          name = "tic.internal.contoso.com"
          # SHA-1 of certs/contoso-issuing-ca-01.cer, the CA that signs tic's certificate (not the root).
          issuerCertificateThumbprint = "C54CD3D82A01A49B61C6B4C3D3F935762F553A83"
        }]
      }
    }
  }

  # azurerm rewrites the whole backend on any change, which drops the pin; this re-applies it in the same run.
  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.tic]
  }
}

# shipping: pinned after a popular blog post that says api-version 2024-05-01 has serverX509Names. It does not
# (the pins arrived in 2025-03-01-preview), so this overlay fails to deploy.
resource "azurerm_api_management_backend" "shipping" {
  name                = "shipping-backend"
  resource_group_name = azurerm_resource_group.apim.name
  api_management_name = azurerm_api_management.contoso.name
  protocol            = "http"
  url                 = "https://shipping.internal.contoso.com"
}

resource "azapi_update_resource" "shipping_backend_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2024-05-01"
  resource_id = azurerm_api_management_backend.shipping.id
  body = {
    properties = {
      tls = {
        serverX509Names = [{
          name                        = "shipping.internal.contoso.com"
          issuerCertificateThumbprint = "C54CD3D82A01A49B61C6B4C3D3F935762F553A83"
        }]
      }
    }
  }

  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.shipping]
  }
}
