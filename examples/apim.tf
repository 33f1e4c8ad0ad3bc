resource "azurerm_resource_group" "apim" {
  name     = var.resource_group_name
  location = var.location
}

# The gateway moved from Standard_1 to StandardV2_1 this quarter. The security block came along unchanged.
resource "azurerm_api_management" "contoso" {
  name                = var.apim_name
  location            = azurerm_resource_group.apim.location
  resource_group_name = azurerm_resource_group.apim.name
  publisher_name      = "Contoso Ltd"
  publisher_email     = var.publisher_email
  sku_name            = "StandardV2_1"

  # Carried over from the Standard tier, where it made every internal backend trusted. StandardV2 ignores this
  # store for backend calls: only the per-backend pins of pinned.tf make APIM trust the internal CA now.
  certificate {
    encoded_certificate = filebase64("${path.module}/certs/contoso-issuing-ca-01.cer")
    store_name          = "CertificateAuthority"
  }

  security {
    # Turned on years ago for the warehouse scanner gateway, which spoke nothing newer. The scanners were replaced
    # in 2022; nobody turned these off again.
    backend_tls10_enabled = true
    backend_tls11_enabled = true
    backend_ssl30_enabled = false

    triple_des_ciphers_enabled = true
  }
}
