"""Helpers shared by the test tiers: real server processes, the forms as a browser posts them, a project
folder of its own for console tests."""
