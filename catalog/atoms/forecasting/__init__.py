"""Forecasting atoms: forecasters, feature builders, metrics."""
