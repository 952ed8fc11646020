"""Safeguarding's pages, one module per object."""
