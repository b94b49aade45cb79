"""Benchmark of the public pages at scale (issue 5); not part of the portal. See README.md."""
