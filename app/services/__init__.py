"""Plain-Python services: the rules of the app, callable without a request."""
