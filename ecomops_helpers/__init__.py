"""ecomops helpers: exports, shop arithmetic, charts and report runs for the notebooks."""
