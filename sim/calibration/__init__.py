"""Calibration on data up to 2019: declared parameters, targets, a vectorised optimiser, a report."""
