"""The warehouse: connection, SQL files, staging contract, builds, catalog, provenance, workspaces."""
