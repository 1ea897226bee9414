"""Running independent tasks on an existing Dask cluster (the optional ``dist`` extra).

Importing this module is cheap: ``distributed`` and the network modules are imported when
a run starts.

:func:`run_on_cluster` sends one shared object to every worker once, runs
``function(shared, item)`` for each item, and returns the results in the order the items
were given. Before anything runs it checks, with short timeouts, that the address answers
as a Dask scheduler, that the scheduler has workers, and that every worker has the same
negotiation-sim and numpy versions as this machine (numpy's version decides the random
draws); each failure is a :class:`~sim.errors.SimError` that says what to do.

How to set up a cluster: ``docs/cluster.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sim.errors import SimError

__all__ = ["CONNECT_TIMEOUT", "PACKAGES", "SCHEDULER_VARIABLE", "WORKER_TIMEOUT", "run_on_cluster"]

SCHEDULER_VARIABLE = "SIM_SCHEDULER"
"""Environment variable naming the Dask scheduler used when none is given."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for the scheduler to answer."""
WORKER_TIMEOUT = 10.0
"""Seconds to wait for at least one worker."""
PACKAGES = ("negotiation-sim", "numpy")
"""Packages whose versions must match on every worker for results to be identical."""

T = TypeVar("T")
R = TypeVar("R")


def run_on_cluster(
    address: str,
    function: Callable[[Any, T], R],
    shared: Any,
    items: Sequence[T],
    on_result: Callable[[R], None] | None = None,
) -> list[R]:
    """Run ``function(shared, item)`` for every item on the Dask cluster at ``address``.

    Parameters
    ----------
    address : str
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    function : callable
        An importable module-level function (workers import it by name).
    shared : object
        Sent once to every worker.
    items : sequence
        One task per item.
    on_result : callable, optional
        Called with each result as it arrives (in completion order).

    Returns
    -------
    list
        The results, in the order of ``items``.
    """
    import socket

    try:
        from distributed import Client, as_completed
        from distributed.comm.addressing import parse_address, parse_host_port
    except ImportError as err:
        raise SimError(
            "running on a Dask cluster needs the 'dist' extra: pip install "
            "'negotiation-sim[dist]' (on this machine, the scheduler and every worker)"
        ) from err
    hint = (
        "check the address (tcp://HOST:PORT, from --scheduler or the environment variable "
        f"{SCHEDULER_VARIABLE}) and that `dask scheduler` is running there"
    )
    try:
        protocol, location = parse_address(address)
        host, port = parse_host_port(location)
    except Exception as err:
        raise SimError(f"{address!r} is not a Dask scheduler address; {hint}") from err
    if protocol in ("tcp", "tls"):
        try:
            socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
        except OSError as err:
            raise SimError(
                f"cannot reach the Dask scheduler at {address}: {err.strerror or err}; {hint}"
            ) from err
    identity = _identity(address, hint)
    if identity.get("type") != "Scheduler":
        raise SimError(f"{address} answered but is not a Dask scheduler; {hint}")
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except Exception as err:
        raise SimError(f"cannot reach the Dask scheduler at {address}: {err}; {hint}") from err
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except Exception as err:
            raise SimError(
                f"the Dask scheduler at {address} has no workers; start some with "
                f"`dask worker {address}`"
            ) from err
        _check_versions(client)
        remote = client.scatter(shared, broadcast=True)
        futures = [client.submit(function, remote, item, pure=False) for item in items]
        position = {future.key: k for k, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for future in as_completed(futures, loop=client.loop):
            try:
                result = future.result()
            except ImportError as err:
                raise SimError(
                    f"a worker cannot import negotiation-sim ({err}); install the same "
                    "version on every worker: pip install 'negotiation-sim[dist]'"
                ) from err
            results[position[future.key]] = result
            if on_result is not None:
                on_result(result)
        return results
    finally:
        client.close()


def _identity(address: str, hint: str) -> dict[str, Any]:
    """Ask the endpoint who it is, with a hard timeout (a non-Dask server never answers)."""
    import asyncio

    from distributed.comm import connect

    async def ask() -> Any:
        comm = await connect(address, timeout=CONNECT_TIMEOUT)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(ask(), CONNECT_TIMEOUT))
    except Exception as err:  # timeouts, refused connections, garbage from other servers
        raise SimError(
            f"cannot reach the Dask scheduler at {address}: nothing answered as a scheduler "
            f"within {CONNECT_TIMEOUT:g} s; {hint}"
        ) from err
    return answer if isinstance(answer, dict) else {}


def _check_versions(client: Any) -> None:
    """Every worker must have this machine's negotiation-sim and numpy versions."""
    from importlib import metadata

    for package in PACKAGES:
        here = metadata.version(package)
        answers = client.run(metadata.version, package, on_error="return")
        for worker, version in sorted(answers.items()):
            if isinstance(version, BaseException):
                raise SimError(
                    f"worker {worker} does not have {package} installed; install "
                    f"{package}=={here} on every worker"
                )
            if version != here:
                raise SimError(
                    f"worker {worker} has {package} {version} but this machine has {here}; "
                    f"install the same version everywhere (results depend on it)"
                )
