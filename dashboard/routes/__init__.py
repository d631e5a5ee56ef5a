"""HTTP routes: HTML pages for people, `/api/v1` JSON for programs, `/healthz`."""
