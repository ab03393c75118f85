"""Operator tools run against a running stack: the demo and the load benchmark."""
