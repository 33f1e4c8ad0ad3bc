chain_check = true
