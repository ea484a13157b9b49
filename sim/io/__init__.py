"""What a run writes: the result folder (atomic, never over a user's files) and its figure."""
