"""Benchmarks of GPS Live: `python -m bench.load` (load against a bare Socket.IO baseline) and
`python -m bench.pageweight` (a girl's page weight and time to the lobby on a slow link).
See docs/benchmarks.md."""
