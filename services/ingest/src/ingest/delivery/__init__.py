"""The delivery worker: takes the router's answer requests, posts them on the platforms with
the pages' own tokens, and announces each outcome (docs/delivery.md)."""
