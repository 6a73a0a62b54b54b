"""Tests of the project: the API, search, the demo, whole-site crawls and journeys, and
the processes."""
