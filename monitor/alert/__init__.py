"""Alerts: severity rules, Alertmanager-style grouping, and the officer's actions on them."""
