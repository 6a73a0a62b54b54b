"""Tests of the base under every app."""
