"""Safeguarding's forms, one module per object."""
