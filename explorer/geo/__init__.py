"""Geography: communes and their parents, school calendar, territory hierarchy and search."""
