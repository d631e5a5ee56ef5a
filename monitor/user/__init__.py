"""People who use Kalkan: accounts, roles, passwords and API tokens."""
