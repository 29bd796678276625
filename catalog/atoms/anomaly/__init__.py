"""Anomaly-detection atoms: scorers, thresholds, metrics."""
