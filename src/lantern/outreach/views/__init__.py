"""The outreach app's pages: one module per use case (campaigns, training)."""
