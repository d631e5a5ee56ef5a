"""Collectors: one package per platform, each turning its wire format into `Post` records.

Sources know paging, rate limits and platform health. They never touch the database and
know nothing about defenders; `monitor` decides what to store and what to match.
"""
