"""Tests of the archive app."""
