"""Machine-element knowledge: bearing geometry and catalogue, ISO 281, ISO 20816, gears."""
