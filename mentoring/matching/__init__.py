"""Matching: a pure engine (numpy), its loader from the database, and the one rule of who may be matched."""
