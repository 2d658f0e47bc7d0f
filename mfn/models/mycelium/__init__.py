"""The growing mycelium: hyphal tips on a nutrient medium with a spiking membrane (docs/models.md)."""
