"""Every write of intelligence: one module per use case (submission, mentions, triage,
tasking, updates), one function per action, each in a transaction, audited."""
