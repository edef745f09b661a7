"""The evaluation app's services, one module per use case (action plan, KPIs)."""
