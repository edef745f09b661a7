"""The evaluation app's pages: one module per use case."""
