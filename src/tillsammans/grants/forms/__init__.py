"""Forms of the grants pages, one module per subject."""
