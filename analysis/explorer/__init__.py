"""The interactive explorer: a SolaraViz page to set levers and watch the ensemble unfold.

``flashpoint explore [SCENARIO ...] [--port N]`` starts a local Solara server (:func:`serve`) for
the page of :mod:`analysis.explorer.app`, which serves flashpoint's Mesa model itself
(:class:`~analysis.explorer.model.ExplorerModel`). Everything is served from this machine: the
page's scripts and styles come from the ``solara-assets`` package (the ``explore`` extra), and
Solara's version check and telemetry are switched off.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import sim

OFFLINE_ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no usage reports
    # the server hands out the page's assets from its cache, which the solara-assets package
    # fills; a file missing there would be fetched from a CDN (the browser test checks none is)
    "SOLARA_ASSETS_PROXY": "true",
}
"""Environment that keeps the server offline (with ``--no-check-version``)."""
MAX_FILES = 50
"""Scenario files the page's picker takes from the command line."""


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def server_command(scenarios: list[str | Path] | str | Path | None = None, port: int = 8765,
                   host: str = "127.0.0.1", replicates: int | None = None,
                   seed: int | None = None) -> tuple[list[str], dict[str, str]]:
    """The command and environment that serve the page (what :func:`serve` runs).

    Args:
        scenarios: bundled names or files (each checked first); the page opens with the first
            (default: the baseline) and its picker lists the files beside the bundled ones.
        port: the TCP port.
        host: the address to listen on (default: this machine only).
        replicates: R the page starts with (default 200).
        seed: the seed it starts with (default 1).

    Raises:
        sim.ScenarioError: the scenario does not load (file, line, field and what is allowed).
        ValueError: no free port, or replicates out of range.
    """
    from importlib.util import find_spec

    from .model import MAX_REPLICATES

    missing = [m for m in ("solara", "solara_assets", "altair") if find_spec(m) is None]
    if missing:
        raise ValueError(f"the explorer needs {', '.join(missing)}: install the explore extra "
                         "(pip install -e '.[explore]', see the README)")
    if scenarios is None or isinstance(scenarios, str | Path):
        scenarios = [] if scenarios is None else [scenarios]
    if len(scenarios) > MAX_FILES:
        raise ValueError(f"at most {MAX_FILES} scenarios, not {len(scenarios)}")
    choices: list[str] = []
    names = []
    for scenario in scenarios:
        sim.load_scenario(scenario)  # a bad file is refused here, before any server starts
        name = str(scenario)
        if name not in sim.bundled_names():
            name = str(Path(scenario).resolve())
            if name not in choices:
                choices.append(name)
        names.append(name)
    name = names[0] if names else "baseline"
    if replicates is not None and not 1 <= replicates <= MAX_REPLICATES:
        raise ValueError(f"--replicates must lie in [1, {MAX_REPLICATES}], not {replicates}")
    if seed is not None and not 0 <= seed < 2**63:
        raise ValueError(f"--seed must lie in [0, 2^63 - 1], not {seed}")
    if not 1 <= port <= 65535:
        raise ValueError(f"--port must lie in [1, 65535], not {port}")
    if not _port_free(host, port):
        raise ValueError(f"port {port} on {host} is in use: choose another with --port")
    settings = {"scenario": name, "choices": choices, "replicates": replicates, "seed": seed}
    env = {**os.environ, **OFFLINE_ENVIRONMENT, "FLASHPOINT_EXPLORE": json.dumps(settings)}
    cmd = [sys.executable, "-m", "solara", "run", "analysis.explorer.app", "--host", host,
           "--port", str(port), "--production", "--no-open", "--no-check-version",
           "--log-level", "warning"]
    return cmd, env


def serve(scenarios: list[str | Path] | str | Path | None = None, port: int = 8765,
          host: str = "127.0.0.1", replicates: int | None = None, seed: int | None = None) -> int:
    """Serve the explorer until interrupted (Ctrl-C); returns the server's exit code."""
    cmd, env = server_command(scenarios, port, host, replicates, seed)
    print(f"flashpoint explorer: open http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    proc = subprocess.Popen(cmd, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)
        return 0
