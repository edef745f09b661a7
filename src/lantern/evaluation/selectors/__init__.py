"""The evaluation app's selectors, one module per use case (action plan, KPIs)."""
