"""cahub: keep a database of anti-corruption Collective Action initiatives true to what they publish."""

__version__ = "0.1.0"
