variable "subscription_id" {
  type        = string
  description = "The subscription that holds the API gateway."
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the API Management service."
}

variable "location" {
  type        = string
  description = "Azure region of the API Management service."
  default     = "westeurope"
}

variable "apim_name" {
  type        = string
  description = "Name of the API Management service."
}

variable "publisher_email" {
  type        = string
  description = "Where Azure sends notices about the service."
}

variable "validate_backend_chain" {
  type        = bool
  description = "Whether APIM validates the certificate chain of the billing backend."
  default     = true
}
