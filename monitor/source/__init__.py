"""Configured sources: loading a sources file and keeping the sources table in step."""
