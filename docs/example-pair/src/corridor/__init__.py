"""Corridor: a walker in a corridor of length 10 with a slippery floor (the example pair)."""
