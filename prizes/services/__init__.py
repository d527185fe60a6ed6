"""The writes of the prizes app, by what they act on (the styleguide in DEVELOPERS.md)."""
