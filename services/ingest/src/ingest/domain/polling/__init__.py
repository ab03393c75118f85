"""Comments under the recent posts of OK and MAX pages, which no webhook delivers: what a poll
fetched (`fetched`), where the last one stopped (`cursor`), what is new (`decide`), when to
poll next (`schedule`), and how each API's answers read (`ok_api`, `max_api`)."""
