"""The evaluation app's forms: one module per use case."""
