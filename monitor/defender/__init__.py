"""Defenders: the people Kalkan protects, their names and (encrypted) contact details."""
