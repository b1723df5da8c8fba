"""Start GPS Live: `python run.py` does what the `gps-live` command does (`python run.py --help`).

Kept for deployments and habits that call run.py (deploy/, docs/deploy.md); both go through gps_live.main,
which sets up gevent only when the server starts.
"""
import sys

from gps_live import main

if __name__ == "__main__":
    sys.exit(main())
