"""Order statistics of many rows by bucket selection: percentiles without sorting every value.

The quantile series need, for every step and series, a few order statistics of the R replicates'
values (two a percentile, for NumPy's linear interpolation). Sorting each row costs about
n log2 n comparisons (10,000 values: 150 us with NumPy on this project's machine); a selection
needs only the values near the wanted ranks.

Bucket selection (a radix select on the values, after Knuth, *TAOCP* vol. 3, 5.2.5; the
"distributive partitioning" of Dobosiewicz, 1978):

1. one pass finds the row's least and greatest value ``lo``, ``hi`` (NumPy's vectorised ``min`` and
   ``max``, for all rows at once);
2. a second pass counts the values in ``B`` equal-width buckets, ``b(x) = floor((x - lo) * B /
   (hi - lo))`` (the last bucket closed), and the running counts name the bucket holding each
   wanted rank ``r`` and the rank within it;
3. a third pass gathers the values of those buckets only (a few dozen of 10,000), which are then
   sorted (Shell's sort: few values, and quick to compile), or bucketed once more if many, or
   taken whole where all are equal.

On the recorder's blocks at R = 10,000 this takes about 21 us a row, against 148 us for NumPy's
sort (``benchmarks/bench_engine.py``'s quantile figure went from 9.2 s to 4.4 s).

``b`` is a composition of monotone roundings, so ``x <= y`` implies ``b(x) <= b(y)``: every value
of a bucket is at most every value of the next, and the k-th value of the row is the
``(k - values before the bucket)``-th of its bucket, exactly. The statistics are the values a
full sort puts at those ranks, bit for bit (a zero's sign aside, as between sorting methods).
NaNs go last, as in ``np.sort``: a rank among them is NaN.
"""

from __future__ import annotations

import numba
import numpy as np

from . import OPTIONS, kernel

BUCKETS = 2048
"""The most buckets of a pass: about five values a bucket at R = 10,000, so that a wanted bucket
sorts at once."""

VALUES_A_BUCKET = 4
"""Fewer values take fewer buckets, about this many values each (at least 16 buckets): R = 1,000
x 240 steps with quantile series took 0.64 s with 2,048 buckets a row, 0.60 s with 250."""

GAPS = np.array([1, 4, 10, 23, 57, 132, 301, 701, 1750, 4376, 10941, 27353, 68383, 170958,
                 427396, 1068491, 2671228, 6678071, 16695178, 41737946, 104344866, 260862166,
                 652155416, 1630388541], dtype=np.int64)
"""Shell's sort's gaps: Ciura's (2001) to 1750, then each 2.5 times the last."""

SMALL = 48
"""A bucket of at most this many values is sorted; a larger one is bucketed again (once)."""


@kernel
def order_statistics(block: np.ndarray, least: np.ndarray, greatest: np.ndarray,
                     ranks: np.ndarray, out: np.ndarray) -> None:
    """The values at ``ranks`` of every row of ``block`` sorted, into ``out``.

    Args:
        block: (rows, n) float32 values, n >= 1; reordered in place where a row holds NaN.
        least: (rows,) each row's ``np.min`` (NaN where the row holds NaN). NumPy's reductions
            are vectorised; the compiled equivalent here is not (LLVM does not vectorise a
            compare-and-select minimum), so the caller passes them.
        greatest: (rows,) each row's ``np.max``.
        ranks: (K,) int64 ranks in [0, n), ascending.
        out: (rows, K) float32, written.
    """
    rows, n = block.shape
    counts = np.zeros(BUCKETS + 1, dtype=np.int64)
    slot = np.full(BUCKETS, -1, dtype=np.int64)
    gathered = np.empty(n, dtype=block.dtype)
    again = np.empty(n, dtype=block.dtype)
    bucket_of = np.empty(n, dtype=np.int32)
    for row in range(rows):
        values = block[row]
        lo, hi = np.float64(least[row]), np.float64(greatest[row])
        valid = n
        if lo != lo or hi != hi:
            valid = _nan_last(values)
            if valid:
                lo, hi = _extent(values[:valid])
        _select(values[:valid], lo, hi, ranks, out[row], counts, slot, bucket_of, gathered,
                again)
        for k in range(len(ranks)):
            if ranks[k] >= valid:
                out[row, k] = np.nan


@numba.njit(**OPTIONS)
def _nan_last(values: np.ndarray) -> int:
    """Move the NaNs of ``values`` to its end (the others keep their order); how many are not."""
    valid = 0
    for i in range(len(values)):
        if values[i] == values[i]:
            valid += 1
    if valid < len(values):
        j = 0
        for i in range(len(values)):
            x = values[i]
            if x == x:
                values[j] = x
                j += 1
        for i in range(j, len(values)):
            values[i] = np.nan
    return valid


@numba.njit(**OPTIONS)
def _select(values: np.ndarray, lo: float, hi: float, ranks: np.ndarray, out: np.ndarray,
            counts: np.ndarray, slot: np.ndarray, bucket_of: np.ndarray, gathered: np.ndarray,
            again: np.ndarray) -> None:
    """``out[k]`` = the ``ranks[k]``-th smallest of ``values`` where that rank exists.

    ``values`` holds no NaN; its least is ``lo`` and its greatest ``hi``.
    """
    n = len(values)
    first = 0
    while first < len(ranks) and ranks[first] < n:
        first += 1
    if first == 0:
        return
    constant, starts, sizes, local = _gather(values, lo, hi, ranks[:first], counts, slot,
                                             bucket_of, gathered)
    if constant:
        out[:first] = values[0]
        return
    k = 0
    while k < first:  # the ranks that fell in one bucket, together
        end = k + 1
        while end < first and starts[end] == starts[k]:
            end += 1
        part = gathered[starts[k]:starts[k] + sizes[k]]
        if sizes[k] > SMALL:  # many values in one bucket: once more, within it
            inner_lo, inner_hi = _extent(part)
            same, inner_starts, inner_sizes, inner_local = _gather(
                part, inner_lo, inner_hi, local[k:end], counts, slot, bucket_of, again)
            for j in range(end - k):
                if same:
                    out[k + j] = part[0]
                else:
                    start = inner_starts[j]
                    out[k + j] = _small_select(again[start:start + inner_sizes[j]],
                                               inner_local[j])
        else:
            for j in range(k, end):
                out[j] = _small_select(part, local[j])
        k = end


@numba.njit(**OPTIONS)
def _extent(values: np.ndarray) -> tuple[float, float]:
    """The least and greatest of ``values`` (no NaN among them), in double precision."""
    lo = np.float64(values[0])
    hi = lo
    for i in range(len(values)):
        x = np.float64(values[i])
        lo = x if x < lo else lo
        hi = x if x > hi else hi
    return lo, hi


@numba.njit(**OPTIONS)
def _small_select(part: np.ndarray, rank: int) -> float:
    """The ``rank``-th smallest of ``part``: its only value if all are equal, else by sorting."""
    lo = part[0]
    hi = part[0]
    for x in part:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    if lo == hi:
        return lo
    _shell_sort(part)
    return part[rank]


@numba.njit(**OPTIONS)
def _shell_sort(part: np.ndarray) -> None:
    """Sort ``part`` in place: Shell's sort with Ciura's gaps.

    A few hundred values at most, as a rule; quick to compile, unlike Numba's generic quicksort.
    """
    n = len(part)
    gap_index = len(GAPS) - 1
    while gap_index >= 0:
        gap = GAPS[gap_index]
        gap_index -= 1
        if gap >= n:
            continue
        for i in range(gap, n):
            x = part[i]
            j = i
            while j >= gap and part[j - gap] > x:
                part[j] = part[j - gap]
                j -= gap
            part[j] = x


@numba.njit(**OPTIONS)
def _gather(values: np.ndarray, lo: float, hi: float, wanted: np.ndarray, counts: np.ndarray,
            slot: np.ndarray, bucket_of: np.ndarray, gathered: np.ndarray
            ) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray]:
    """One bucketing pass: the buckets of ``wanted`` ranks gathered into ``gathered``.

    ``lo`` and ``hi`` are the least and greatest of ``values``.

    Returns whether all values are equal (then nothing is gathered), and for each wanted rank
    where its bucket's values start in ``gathered``, how many they are, and the rank's place
    among them. ``counts``, ``slot`` and ``bucket_of`` are scratch (:data:`BUCKETS` + 1,
    :data:`BUCKETS` and at least ``len(values)`` long; ``slot`` is left all -1).
    """
    n = len(values)
    K = len(wanted)
    starts = np.zeros(K, dtype=np.int64)
    sizes = np.zeros(K, dtype=np.int64)
    local = np.zeros(K, dtype=np.int64)
    width = hi - lo
    if width == 0.0:
        return True, starts, sizes, local
    if not width < np.inf:  # an infinity among the values: one bucket, to be sorted
        for i in range(n):
            gathered[i] = values[i]
        for k in range(K):
            sizes[k] = n
            local[k] = wanted[k]
        return False, starts, sizes, local
    used = min(BUCKETS, max(16, n // VALUES_A_BUCKET))  # few values: fewer buckets to clear and walk
    scale = used / width
    top = used - 1
    index = bucket_of[:n]
    for i in range(n):  # a loop the compiler vectorises; the counting below cannot be
        b = np.int32((np.float64(values[i]) - lo) * scale)
        index[i] = b if b < top else top
    counts[:used] = 0
    for i in range(n):
        counts[index[i]] += 1
    # the bucket of each wanted rank, and each distinct wanted bucket's place in ``gathered``
    below = 0
    b = 0
    filled = 0
    buckets = np.empty(K, dtype=np.int64)
    for k in range(K):
        while below + counts[b] <= wanted[k]:
            below += counts[b]
            b += 1
        buckets[k] = b
        local[k] = wanted[k] - below
        if slot[b] < 0:
            slot[b] = filled
            filled += counts[b]
        starts[k] = slot[b]
        sizes[k] = counts[b]
    for i in range(n):
        s = slot[index[i]]
        if s >= 0:
            gathered[s] = values[i]
            slot[index[i]] = s + 1
    for k in range(K):  # ``slot`` served as each bucket's next place while filling: clear it
        slot[buckets[k]] = -1
    return False, starts, sizes, local
