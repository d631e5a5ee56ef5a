"""YouTube Data API v3 (API key): comment threads of watched videos/channels; rationed search."""
