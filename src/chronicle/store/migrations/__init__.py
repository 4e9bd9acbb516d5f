"""Alembic migrations of the Chronicle database, shipped inside the package (run on open)."""
