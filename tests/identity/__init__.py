"""Tests of the identity app."""
