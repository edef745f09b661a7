"""What templates of the outreach app show, one module per use case."""
