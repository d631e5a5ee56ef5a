"""Finding defenders' names, handles and leaked contact details in post text."""
