"""RSS 2.0 and Atom feeds (news sites, YouTube channel feeds, Mastodon/Reddit RSS)."""
