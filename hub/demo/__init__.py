"""``synchub demo``: the whole journey on SQLite and the sandbox simulators (the one product path that
may import ``connectors.sandbox``).
"""
