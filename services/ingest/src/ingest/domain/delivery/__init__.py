"""Answers on their way back to the platforms: what to post, how to split it, what each
platform's answer means, and what happens next (pure; the worker does the I/O)."""
