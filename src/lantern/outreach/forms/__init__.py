"""The outreach app's forms: one module per use case (campaigns, training)."""
