"""Notices to officials about an appeal's SLA steps, sent by e-mail and Telegram.

`notices` composes the Russian texts (pure); `ports` has the Notifier protocol and its one
error; `email`, `telegram` and `fanout` are the adapters.
"""
