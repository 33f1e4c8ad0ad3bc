chain_check = false
