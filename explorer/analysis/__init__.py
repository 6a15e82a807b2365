"""Exploratory statistics and effects: what looks alike, what goes with what, what investment produced."""
