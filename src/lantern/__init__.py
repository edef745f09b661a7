"""Lantern: intelligence hub and partnership platform for modern slavery partnerships."""
