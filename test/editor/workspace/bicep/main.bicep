// Fixture for the editor tests (bicep.test.js): the tests locate values by the text around them.
resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: 'apim-contoso'
}

resource inventory 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'inventory-backend'
  properties: {
    protocol: 'http'
    url: 'https://inventory.contoso.com/api'
    tls: {
      validateCertificateChain: false
      validateCertificateName: false
    }
  }
}
