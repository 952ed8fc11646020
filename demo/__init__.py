"""Fictional demo data and `seed_demo`: installed in local and test settings only, never in production."""
