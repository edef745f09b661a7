"""Every write of the evaluation app, one module per use case."""
