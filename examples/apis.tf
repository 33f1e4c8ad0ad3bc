# The Orders API routes its calls to the orders backend by id. The API's own service_url is a default that the
# policy overrides; apim-tls-lint checks backend entities, not service_url.
resource "azurerm_api_management_api" "orders" {
  name                  = "orders-api"
  resource_group_name   = azurerm_resource_group.apim.name
  api_management_name   = azurerm_api_management.contoso.name
  revision              = "1"
  display_name          = "Orders"
  path                  = "orders"
  protocols             = ["https"]
  service_url           = "https://orders.internal.contoso.com/api"
  subscription_required = true
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.contoso.name
  resource_group_name = azurerm_resource_group.apim.name

  xml_content = <<-XML
    <policies>
      <inbound>
        <base />
        <set-backend-service backend-id="${azurerm_api_management_backend.orders.name}" />
      </inbound>
      <backend>
        <base />
      </backend>
      <outbound>
        <base />
      </outbound>
      <on-error>
        <base />
      </on-error>
    </policies>
  XML
}
