"""The action plan, KPIs, disclosure control and published figures: one module per use case."""
