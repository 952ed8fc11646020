"""The benchmark's large organisation, written in bulk."""
