"""Indicators of schools and territories, from the marts."""
