"""Every read of the outreach app, through the access policy: one module per use case."""
