"""cruddy_django: plain Django models in, a complete REST back end out."""
