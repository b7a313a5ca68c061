"""Front Door's composition root: configuration, the app factory, the CLI and the server.

Kept free of imports so that `frontdoor serve` can monkey-patch for gevent before anything
else is loaded (see entry.py).
"""
