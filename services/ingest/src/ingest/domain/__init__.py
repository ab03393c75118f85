"""Pure ingest decisions: which page, is it authentic, what appeal does a payload describe."""
