"""SQL storage for the core: engine set-up, transactions, queries and migrations."""
