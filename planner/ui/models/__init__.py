"""Qt item models and proxies over the core services."""
