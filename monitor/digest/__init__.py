"""The weekly digest: what happened in one ISO week, mailed to every active team member.

`period` parses and bounds ISO weeks in the team's timezone; `content` gathers the
figures (counts and links only, never post text or contact details); `render` writes
them as plain text and inert HTML; `service` sends each recipient's digest once, recorded
in the `digests` table (unique per recipient and week), and previews a dry run.
"""
