"""Flows that do nothing, for bench/flows.py: what is left of a run's time is Prefect's own cost.

``python -m bench.flow_probes serve`` serves both (a runner, as ``synchub serve`` does);
``python -m bench.flow_probes deploy POOL`` registers them for a process worker of ``POOL``.
"""

from __future__ import annotations

import sys

from prefect import flow, serve
from prefect.types.entrypoint import EntrypointType


@flow(name="bench-noop-sync")
def noop_sync() -> int:
    return 0


@flow(name="bench-noop-async")
async def noop_async() -> int:
    return 0


PROBES = (noop_sync, noop_async)

if __name__ == "__main__":
    from bench import flow_probes  # the flows as bench.flow_probes, not __main__, so runs can load them

    if sys.argv[1] == "serve":
        serve(
            *(
                f.to_deployment(name="bench", entrypoint_type=EntrypointType.MODULE_PATH)
                for f in flow_probes.PROBES
            )
        )
    else:
        for probe in flow_probes.PROBES:
            deployment = probe.to_deployment(name="worker", entrypoint_type=EntrypointType.MODULE_PATH)
            deployment.apply(work_pool_name=sys.argv[2])
