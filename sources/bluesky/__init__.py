"""Bluesky: public author feeds from the AppView, and post search with an app-password session."""
