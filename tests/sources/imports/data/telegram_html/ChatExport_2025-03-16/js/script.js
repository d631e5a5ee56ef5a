// Stand-in for the script Telegram Desktop copies here (not needed to import).
