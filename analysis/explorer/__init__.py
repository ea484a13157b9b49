"""The interactive explorer: a SolaraViz page to set levers and watch the ensemble unfold.

``flashpoint explore [SCENARIO ...] [--port N]`` starts a local Solara server (:func:`serve`) for
the page of :mod:`analysis.explorer.app`, which serves flashpoint's Mesa model itself
(:class:`~analysis.explorer.model.ExplorerModel`). Everything is served from this machine: the
page's scripts and styles come from the ``solara-assets`` package (the ``explore`` extra), and
Solara's version check and telemetry are switched off.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sim

OFFLINE_ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",  # no usage reports
    # the server hands out the page's assets from its cache, which the solara-assets package
    # fills; a file missing there would be fetched from a CDN (the browser test checks none is)
    "SOLARA_ASSETS_PROXY": "true",
    # and were a file missing, the proxy would ask this closed local port, never the internet:
    # the failure shows in the server's log ("Could not load URL"), which the browser test reads
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
    "SOLARA_THEME_SHOW_BANNER": "false",  # Solara's badge sat on the page's status line
}
"""Environment that keeps the server offline (with ``--no-check-version``)."""
MAX_FILES = 50
"""Scenario files the page's picker takes from the command line."""


def _port_free(host: str, port: int) -> bool:
    """Whether the server can listen on ``host:port`` (an IPv4 or IPv6 address, or a name).

    Raises:
        ValueError: ``host`` is no address of this machine (it could never be served).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ValueError(f"--host {host}: not an address or a name this machine knows "
                         f"({exc.strerror})") from None
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
            try:
                s.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return False
                raise ValueError(f"--host {host}: cannot listen there ({exc.strerror}); "
                                 "127.0.0.1 serves this machine only") from None
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
    env = {**os.environ, **OFFLINE_ENVIRONMENT, "FLASHPOINT_EXPLORE": json.dumps(settings),
           # Solara warns on every page load that a cookie over plain http to 127.0.0.1 cannot be
           # samesite=none: true, and irrelevant to a page on this machine
           "PYTHONWARNINGS": ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"),
                                                    "ignore:Cookies with samesite"]))}
    cmd = [sys.executable, "-m", "solara", "run", "analysis.explorer.app", "--host", host,
           "--port", str(port), "--production", "--no-open", "--no-check-version",
           "--log-level", "warning"]
    return cmd, env


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now (the system's choice)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def answers(url: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """Wait until ``url`` answers; False when ``proc`` (what serves it) exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.5)


def start(scenarios: list[str | Path] | str | Path | None = None, port: int | None = None,
          host: str = "127.0.0.1", replicates: int | None = None, seed: int | None = None,
          output: int | None = None, timeout_s: float = 90.0) -> tuple[subprocess.Popen, str]:
    """Start the page's server and wait until it answers.

    Args:
        scenarios: as :func:`server_command`.
        port: the TCP port (default: a free one).
        host: as :func:`server_command`.
        replicates: as :func:`server_command`.
        seed: as :func:`server_command`.
        output: where the server's output goes (``subprocess.PIPE``, ``DEVNULL``; default:
            this process's); with ``PIPE`` standard error joins standard output.
        timeout_s: how long to wait for the first answer (after the kernels are compiled).

    Returns:
        The server's process and the page's URL.

    Raises:
        RuntimeError: the server exited or did not answer in time (with its last output when
            it was piped).
    """
    port = free_port(host) if port is None else port
    cmd, env = server_command(scenarios, port, host, replicates, seed)
    # compiled here, the kernels are cached on disk before the server's process needs them: its
    # first page does not wait for the compiler (15-30 s the first time on a machine)
    sim.compile_kernels(announce=output is None)
    url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
    proc = subprocess.Popen(cmd, env=env, stdout=output,
                            stderr=subprocess.STDOUT if output == subprocess.PIPE else output)
    try:
        if answers(url, proc, timeout_s):
            return proc, url
    except BaseException:  # Ctrl-C while waiting: no server left behind
        proc.kill()
        raise
    proc.kill()
    said = proc.stdout.read().decode(errors="replace")[-3000:] if proc.stdout else ""
    raise RuntimeError(f"the explorer's server did not start on {url}\n{said}".rstrip())


def serve(scenarios: list[str | Path] | str | Path | None = None, port: int = 8765,
          host: str = "127.0.0.1", replicates: int | None = None, seed: int | None = None) -> int:
    """Serve the explorer until interrupted (Ctrl-C or SIGTERM); returns the server's exit code.

    Stopping this process stops the server too: no server is left running on its own.
    """

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # before the server starts: see start()
    try:
        try:
            proc, url = start(scenarios, port, host, replicates, seed)
        except KeyboardInterrupt:  # start() has stopped the server
            return 0
        print(f"flashpoint explorer: open {url} (Ctrl-C stops it)", file=sys.stderr)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
