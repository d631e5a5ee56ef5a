"""Cross-domain pipeline stages: ingest → match → classify → alert.

Every stage is an idempotent batch: it selects the posts its stamp says are pending, does its
work and stamps them in one transaction. A crash loses at most the uncommitted batch, which
the next run redoes; unique constraints make a redo unable to duplicate anything.
"""
