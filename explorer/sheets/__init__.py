"""Territory sheets: diagnostic, comparison, sheet state, published aggregates."""
