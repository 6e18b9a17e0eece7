"""Side-by-side read benchmarks: cruddy_django against plain, tuned and drf-flex-fields DRF, and a floor."""
