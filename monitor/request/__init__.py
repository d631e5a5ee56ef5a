"""Requests to be monitored, made by defenders on the public /request page."""
