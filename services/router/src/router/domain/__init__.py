"""Pure routing decisions: which agency answers a classified appeal."""
