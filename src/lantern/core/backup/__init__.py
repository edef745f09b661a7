"""Encrypted, verified backups of the whole of Lantern: ``lantern backup``, ``lantern restore``.

``database`` takes consistent snapshots and restores them, ``crypto`` encrypts the backup
file as a stream, ``services`` puts them together with the private files and a manifest,
and verifies a restore against it. docs/adr/0023-backup-and-restore.md says why.
"""
