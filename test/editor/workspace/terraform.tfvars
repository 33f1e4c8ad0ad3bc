validate_chain = false
