"""Panels the evaluation app adds to users' home pages (``lantern.core.home``)."""
