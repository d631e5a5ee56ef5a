"""Key material, encryption of contact details, keyed hashes and password hashing."""
