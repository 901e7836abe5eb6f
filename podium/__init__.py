"""Podium: run a recurring research seminar series from one place."""

__version__ = "0.1.0"
