"""The Carte: state, shapes, classes, the pydeck map, the typology map."""
