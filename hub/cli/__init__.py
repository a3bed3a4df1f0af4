"""The ``synchub`` command line: ``main`` wires the command groups, one module per group."""
