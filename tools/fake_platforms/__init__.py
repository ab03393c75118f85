"""Fakes of the platforms' APIs we post answers through (VK, Telegram, MAX, OK): one real HTTP
server speaking each platform's documented requests, answers and errors, with a control API
(`/_fake/...`) for tests and the demo to see what was posted and to inject failures.

    uvicorn tools.fake_platforms.app:create_app --factory --port 8007
"""
