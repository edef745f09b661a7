"""Awareness campaigns and frontline training: one module per use case."""
