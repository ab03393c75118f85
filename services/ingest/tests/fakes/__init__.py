"""Local fakes of the APIs the comment poller calls, served over real HTTP on 127.0.0.1."""
