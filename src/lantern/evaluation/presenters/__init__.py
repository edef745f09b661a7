"""What the evaluation pages show, shaped for templates: one module per use case."""
