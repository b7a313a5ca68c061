"""Use cases. Each takes a SQLAlchemy session, runs in one transaction and owns its commit."""
