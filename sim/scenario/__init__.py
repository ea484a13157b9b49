"""The scenario format: schema, bounded loader, limits, errors, bundled scenarios."""
