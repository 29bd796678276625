"""Molecules: small compositions of atoms that do one job."""
