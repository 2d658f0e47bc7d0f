"""The growing mycelium: hyphal tips on a nutrient medium with a spiking membrane (MODELS.md section 3)."""
