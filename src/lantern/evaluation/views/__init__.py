"""The evaluation app's views, one module per use case (action plan, KPIs)."""
