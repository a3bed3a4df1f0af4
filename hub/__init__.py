"""The interfaces on the top floor: the ``synchub`` CLI (``cli``), the HTTP API (``api``), the web
console (``web``) and the demo (``demo``). They call the services below; nothing below calls them.
"""
