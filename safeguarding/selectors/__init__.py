"""Reads of safeguarding's pages, each taking the user and scoped by safeguarding's policies."""
