"""Start GPS Live: `python run.py` (see `python run.py --help`).

Prepares the instance folder, brings the database to the current schema, and serves the app with
gevent's WSGI server (production-capable, websockets included). Ctrl-C stops it.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import sys  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python run.py",
        description="Start GPS Live on this machine (SQLite and one process unless DATABASE_URL says otherwise). "
                    "Every setting is an environment variable; see README.md.")
    parser.add_argument("--host", help="address to listen on (default: HOST or 0.0.0.0)")
    parser.add_argument("--port", type=int, help="port to listen on (default: PORT or 5000)")
    parser.add_argument("--no-migrate", action="store_true",
                        help="do not upgrade the database (when several processes share one database)")
    return parser.parse_args(argv)


def fail(message: str) -> None:
    print(f"GPS Live cannot start: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    from app.startup import StartupError, prepare

    try:
        app, setup_url = prepare(port=args.port, migrate=not args.no_migrate)
    except StartupError as error:
        fail(str(error))
    from app.startup import start_retention

    start_retention(app)
    serve(app, args.host or app.config["HOST"], app.config["PORT"], setup_url)


def serve(app, host: str, port: int, setup_url: str | None) -> None:
    from app.extensions import socketio

    public = app.config["PUBLIC_URL"]
    print(f"GPS Live is running.\n  Dashboard (this laptop): http://127.0.0.1:{port}/\n  Phones use: {public}/")
    if setup_url:
        print(f"  First start: create the first staff account here (works once): {setup_url}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        socketio.run(app, host=host, port=port, log_output=False)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        fail(f"port {port} on {host}: {error.strerror}")
    print("GPS Live stopped.")


if __name__ == "__main__":
    main(sys.argv[1:])
