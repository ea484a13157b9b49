"""What the sweep's fork server imports once, before it forks the local workers.

Local workers are started by multiprocessing's fork server (``forkserver``: the sweep's own process
has threads and must not fork). Without a preload every worker imports pandas, Mesa, Numba and the
engine and loads the compiled kernels itself: about 3 s before its first chunk here, longer than a
small sweep's whole computation. With this module preloaded the server does that once and every
worker starts as a fork of it, the kernels already loaded (copy on write).
"""

import sim

sim.die_with_parent()  # killing the sweep's process ends the server, and so its workers
sim.compile_kernels()
