"""Counter-based random streams: every draw a pure function of (seed, replicate, stream, step, index).

After Salmon, Moraes, Dror and Shaw (2011, "Parallel random numbers: as easy as 1, 2, 3", SC'11):
Philox4x32-10, a keyed bijection of a 128-bit counter, passes BigCrush and needs no state. A draw
is

    words = Philox4x32-10(counter = (index // 2, step, stream, replicate), key = seed)
    u     = ((w_a >> 5) * 2^26 + (w_b >> 6)) / 2^53        (w_a, w_b: words 0, 1 or 2, 3 by index)

a double in [0, 1) with 53 random bits, as NumPy makes one from two 32-bit words. The replicate is
its number in the whole experiment (not its place in a batch), the stream a 32-bit hash of a name
("incidents:NATO-Russia"), so replicate 4,711 draws the same numbers whether run in a batch of
10,000, alone, or in any chunk of a sweep, and adding an actor changes no other pair's draws.

The draws built on it take one uniform each where they can, by inversion:

* Poisson(lambda): the smallest k with F(k) >= u, F the Poisson CDF summed from p(0) =
  exp(-lambda) by p(k) = p(k - 1) lambda / k (Devroye 1986, *Non-Uniform Random Variate
  Generation*, X.3.3). Above ``POISSON_INVERSION_MEAN``, where exp(-lambda) loses its precision,
  the normal approximation round(lambda + sqrt(lambda) z) by Box-Muller from uniforms 0 and 1.
* an incident's severity: high-risk when its own uniform u_i < p_high, serious when u_i < p_high +
  p_serious, else routine (one uniform an incident, i = 1, 2, ... or 2, 3, ... after Box-Muller).

Every function here works on NumPy arrays (the tests' reference) and on scalars in compiled
kernels (:mod:`sim.kernels.streams`).
"""

from __future__ import annotations

import hashlib

import numpy as np

MASK32 = np.uint64(0xFFFFFFFF)
PHILOX_M0 = np.uint64(0xD2511F53)
PHILOX_M1 = np.uint64(0xCD9E8D57)
PHILOX_W0 = np.uint64(0x9E3779B9)
PHILOX_W1 = np.uint64(0xBB67AE85)
"""Philox4x32's multipliers and Weyl key increments (Salmon et al. 2011, table 2)."""

PHILOX_ROUNDS = 10
POISSON_INVERSION_MEAN = 500.0
"""Poisson means above this are drawn by the normal approximation (exp(-500) ~ 7e-218: inversion
still exact below; the model's per-step means stay far below it)."""


def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of the counter (c0, c1, c2, c3) under the key (k0, k1): four 32-bit words.

    Arguments and results are uint64 holding 32-bit values (arrays or scalars). Each round:
    (hi0, lo0) = M0 c0, (hi1, lo1) = M1 c2 (64-bit products split in halves), then
    c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0), the key bumped by (W0, W1) between rounds.
    """
    for _ in range(PHILOX_ROUNDS - 1):
        p0 = PHILOX_M0 * c0
        p1 = PHILOX_M1 * c2
        c0, c1, c2, c3 = ((p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & MASK32,
                          (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & MASK32)
        k0 = (k0 + PHILOX_W0) & MASK32
        k1 = (k1 + PHILOX_W1) & MASK32
    p0 = PHILOX_M0 * c0
    p1 = PHILOX_M1 * c2
    return ((p1 >> np.uint64(32)) ^ c1 ^ k0, p1 & MASK32,
            (p0 >> np.uint64(32)) ^ c3 ^ k1, p0 & MASK32)


def words_to_uniform(a, b):
    """A double in [0, 1) from two 32-bit words: 27 bits of ``a`` and 26 of ``b`` (as NumPy)."""
    return ((a >> np.uint64(5)) * 67108864.0 + (b >> np.uint64(6))) / 9007199254740992.0


def uniform(k0, k1, replicate, stream, step, index):
    """The ``index``-th uniform of ``stream`` for ``replicate`` at ``step`` (see the docstring)."""
    w0, w1, w2, w3 = philox4x32(index >> np.uint64(1), step, stream, replicate, k0, k1)
    if index & np.uint64(1):
        return words_to_uniform(w2, w3)
    return words_to_uniform(w0, w1)


def key_of(seed: int) -> tuple[np.uint64, np.uint64]:
    """The Philox key of a root seed (0 <= seed < 2^64): its low and high 32-bit halves."""
    seed = int(seed)
    if not 0 <= seed < 2**64:
        raise ValueError(f"a root seed lies in [0, 2^64), not {seed}")
    return np.uint64(seed & 0xFFFFFFFF), np.uint64(seed >> 32)


def stream_id(name: str) -> np.uint64:
    """A named stream's 32-bit number: the first four bytes of BLAKE2b of its name."""
    return np.uint64(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little"))


def poisson_inverse(u, lam):
    """Poisson(lam) by inversion of one uniform ``u`` (scalars; lam <= POISSON_INVERSION_MEAN)."""
    if lam <= 0.0:
        return 0
    p = np.exp(-lam)
    total = p
    k = 0
    while u > total and k < 100_000:
        k += 1
        p = p * lam / k
        total += p
        if p == 0.0 and k > lam:  # the CDF has stopped growing in floating point: u sat above it
            break
    return k


def poisson_normal(u0, u1, lam):
    """Poisson(lam) for large lam: round(lam + sqrt(lam) z), z by Box-Muller from u0, u1 (scalars)."""
    z = np.sqrt(-2.0 * np.log(1.0 - u0)) * np.cos(2.0 * np.pi * u1)
    k = np.floor(lam + np.sqrt(lam) * z + 0.5)
    return int(k) if k > 0.0 else 0


def severity(u, p_high, p_serious):
    """An incident's severity from its uniform: 2 high-risk, 1 serious, 0 routine."""
    if u < p_high:
        return 2
    if u < p_high + p_serious:
        return 1
    return 0
