"""What the outreach pages show: one module per use case (campaigns, training)."""
