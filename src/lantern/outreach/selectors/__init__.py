"""Every read of the outreach app, one module per use case, through the access policy."""
