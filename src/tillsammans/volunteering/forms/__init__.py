"""Forms of volunteer coordination, one module per subject."""
