"""A collectivité's budget file: line-by-line validation, atomic import and removal."""
