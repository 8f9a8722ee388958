"""Peta Rawan Konflik: the indicator framework (config), the pure index computation, sources, snapshots."""
