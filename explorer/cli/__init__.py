"""`python -m explorer …` commands."""
