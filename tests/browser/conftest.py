"""Browser fixtures live in tests/conftest.py, shared with tests/security."""
