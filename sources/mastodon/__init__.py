"""Servers speaking the Mastodon API (Mastodon, Pleroma/Akkoma, GoToSocial): public timelines."""
