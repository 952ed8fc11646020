"""The demo's small organisation: intake and mentors, built through the real services."""
