"""The evaluation app's presenters, one module per use case (action plan, KPIs)."""
