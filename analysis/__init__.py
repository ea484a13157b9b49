"""Analysis built on sim's public API: sweeps, metrics, plots (next issues)."""
