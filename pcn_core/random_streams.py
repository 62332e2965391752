"""Fast random streams for numba kernels: xoshiro256++ and an exact ziggurat normal.

A compiled kernel that calls ``numpy.random.Generator`` methods one scalar at a
time pays about 10 ns per draw, more than the rest of a network step per
neuron. The streams here are plain data, a ``(4,)`` uint64 array, that a kernel
advances in place with a few integer instructions:

- ``xoshiro256++`` (Blackman & Vigna 2021 [1]_) gives 64 random bits per call.
  Its state is 256 bits; the all-zero state is its only fixed point and is
  never produced by :func:`stream_state`.
- Uniforms in [0, 1) are the top 53 bits times 2⁻⁵³ (every double of the form
  m 2⁻⁵³, equally likely).
- Standard normals come from a 256-layer ziggurat (Marsaglia & Tsang 2000 [2]_,
  in the form of Doornik 2005 [3]_): one 64-bit draw gives the layer (its
  low 8 bits) and a signed abscissa (its top 53 bits); 98.5 % of draws are
  accepted at once, the rest go through the exact wedge test or Marsaglia's
  exact tail algorithm, and a rejected point is replaced by a fresh draw.
  The method is exact, not an approximation: every layer (the base strip
  with the tail included) has the same area ``v`` by construction, and the
  top layer is as tall as needed to cover the density.
  The tables (:data:`NORMAL_TABLES`) are computed once at import, in NumPy.

The compiled pieces (``_next_uint64(state)``, ``_uniform(state)``,
``_standard_normal(state, tables)`` and the faster block version
``_fill_standard_normal(state, tables, out)``, which gives the same draws) are
for kernels, which pass ``random_streams._TABLES`` as ``tables`` (the tables
:data:`NORMAL_TABLES` shows, in a writeable array: numba compiles read-only
arrays into slower code). Python code uses the validated functions
:func:`stream_state`, :func:`random_raw`, :func:`uniform` and
:func:`standard_normal`, which draw the very same stream.

References
----------
.. [1] Blackman D, Vigna S (2021). Scrambled linear pseudorandom number
   generators. ACM Trans Math Softw 47(4):36 (xoshiro256++, §4 and Fig. 5).
.. [2] Marsaglia G, Tsang WW (2000). The ziggurat method for generating random
   variables. J Stat Softw 5(8):1-7 (layers of equal area, the tail algorithm).
.. [3] Doornik JA (2005). An improved ziggurat method to generate normal random
   samples. Technical report, University of Oxford (the layer and a signed
   abscissa from disjoint bits of one draw; a fresh draw after each rejection).
"""
from __future__ import annotations

import math

import numba
import numpy as np

from . import validation

#: Number of ziggurat layers (the layer index takes the low 8 bits of a draw).
N_LAYERS = 256

_LAYER_MASK = np.uint64(N_LAYERS - 1)
_MANTISSA_SHIFT = np.uint64(11)     # keep the top 53 bits
_TWO_TO_MINUS_53 = 2.0 ** -53
_U_OFFSET = 1 - (1 << 53)           # 2m + 1 - 2⁵³: odd multiples of 2⁻⁵³ in (-1, 1)
# xoshiro256++ constants (Blackman & Vigna 2021, Fig. 5): output rotation, shift, state rotation
_ROT_OUT, _ROT_OUT_BACK = np.uint64(23), np.uint64(64 - 23)
_SHIFT = np.uint64(17)
_ROT_STATE, _ROT_STATE_BACK = np.uint64(45), np.uint64(64 - 45)


def _layers(right_edge: float):
    """Layer edges and heights for a tail starting at ``right_edge``.

    Returns the common area v, the abscissas x[0..C] (x[0] = v / f(r) is the
    width of the base strip, x[1] = r, x[C] = 0), the heights y[0..C]
    (y[0] = 0, y[i] = f(x[i]), y[C] the top of the top layer) and the covering
    margin y[C] - 1 (>= 0 when the top layer covers the density's peak).
    """
    r = float(right_edge)
    f_r = math.exp(-0.5 * r * r)
    area = r * f_r + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    x = np.zeros(N_LAYERS + 1)
    y = np.zeros(N_LAYERS + 1)
    x[0], x[1], y[1] = area / f_r, r, f_r
    for i in range(1, N_LAYERS):
        # layer i spans [0, x[i]] × [y[i], y[i+1]] and has area v
        y[i + 1] = y[i] + area / x[i]
        if i + 1 < N_LAYERS:
            if y[i + 1] >= 1.0:  # the layers reach the peak too early: r is too small
                return area, x, y, 1.0
            x[i + 1] = math.sqrt(-2.0 * math.log(y[i + 1]))
    return area, x, y, y[N_LAYERS] - 1.0


def _normal_tables() -> np.ndarray:
    """(2, C + 1) array: row 0 the layer widths x[i], row 1 the heights y[i].

    The tail start r solves "the top layer exactly reaches the peak"; bisection
    stops at adjacent doubles and keeps the side where the top layer covers
    the peak (margin >= 0), so that every layer has area v and the union of
    the layers contains the density: the sampler is then exact.
    """
    low, high = 2.0, 5.0       # margin > 0 at low (too small r), < 0 at high
    assert _layers(low)[3] > 0 and _layers(high)[3] < 0
    while True:
        mid = 0.5 * (low + high)
        if mid in (low, high):
            break
        if _layers(mid)[3] >= 0:
            low = mid
        else:
            high = mid
    _, x, y, margin = _layers(low)
    assert 0.0 <= margin < 1e-9
    return np.ascontiguousarray(np.stack([x, y]))


# What kernels get as ``tables``. Writeable on purpose: numba compiles a read-only
# array argument into a ziggurat loop that measured 1.7 times slower.
_TABLES = _normal_tables()
#: Ziggurat tables of :func:`standard_normal`, row 0 the widths x[0..256] and row 1
#: the heights y[0..256] (a read-only view of what kernels are passed).
NORMAL_TABLES = _TABLES.view()
NORMAL_TABLES.flags.writeable = False
#: Where the ziggurat's tail begins (x[1], about 3.654).
TAIL_START = float(_TABLES[0, 1])


# ---------------------------------------------------------------------------------------------
# compiled pieces


@numba.njit(cache=True, inline="always")
def _rotl(value, shift, back):
    return (value << shift) | (value >> back)


@numba.njit(cache=True, inline="always")
def _xoshiro(s0, s1, s2, s3):
    """One xoshiro256++ step on the four state words: (output, s0, s1, s2, s3)."""
    result = _rotl(s0 + s3, _ROT_OUT, _ROT_OUT_BACK) + s0
    t = s1 << _SHIFT
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _ROT_STATE, _ROT_STATE_BACK)
    return result, s0, s1, s2, s3


@numba.njit(cache=True, inline="always")
def _next_uint64(state):
    """64 random bits; advances the (4,) uint64 ``state`` by one xoshiro256++ step."""
    result, state[0], state[1], state[2], state[3] = _xoshiro(state[0], state[1], state[2], state[3])
    return result


@numba.njit(cache=True, inline="always")
def _uniform(state):
    """A uniform double in [0, 1): the top 53 bits of one draw times 2⁻⁵³."""
    return np.int64(_next_uint64(state) >> _MANTISSA_SHIFT) * _TWO_TO_MINUS_53


@numba.njit(cache=True)
def _open_uniform(state):
    """A uniform double in (0, 1] (for logarithms)."""
    return (np.int64(_next_uint64(state) >> _MANTISSA_SHIFT) + 1) * _TWO_TO_MINUS_53


@numba.njit(cache=True, inline="always")
def _abscissa(bits, tables):
    """Layer and signed abscissa of one 64-bit draw: the layer from the low 8 bits,
    x = u · width[layer] with u = (2m + 1 - 2⁵³) 2⁻⁵³ from the top 53 bits m
    (symmetric about 0, in (-1, 1))."""
    layer = np.int64(bits & _LAYER_MASK)
    u = (np.int64(bits >> _MANTISSA_SHIFT) * 2 + _U_OFFSET) * _TWO_TO_MINUS_53
    return layer, u * tables[0, layer]


@numba.njit(cache=True)
def _tail(state, r):
    """|X| conditioned on |X| > r (Marsaglia's exact tail algorithm)."""
    while True:
        e = -math.log(_open_uniform(state)) / r
        w = -math.log(_open_uniform(state))
        if 2.0 * w > e * e:
            return r + e


@numba.njit(cache=True)
def _slow_path(state, tables, layer, x):
    """The rare second stage for a signed abscissa x outside the part of its layer
    that lies wholly under the density: the tail (base layer) or the wedge test,
    and after a rejection fresh draws until one is accepted."""
    while True:
        if layer == 0:
            tail = _tail(state, tables[0, 1])
            return -tail if x < 0.0 else tail
        low, high = tables[1, layer], tables[1, layer + 1]
        if low + _uniform(state) * (high - low) < math.exp(-0.5 * x * x):
            return x
        layer, x = _abscissa(_next_uint64(state), tables)
        if abs(x) < tables[0, layer + 1]:
            return x


@numba.njit(cache=True)
def _standard_normal(state, tables):
    """One standard normal from the stream ``state`` with the ziggurat ``tables``
    (:data:`NORMAL_TABLES`): the draw :func:`_fill_standard_normal` makes."""
    layer, x = _abscissa(_next_uint64(state), tables)
    if abs(x) >= tables[0, layer + 1]:
        x = _slow_path(state, tables, layer, x)
    return x


@numba.njit(cache=True)
def _fill_standard_normal(state, tables, out):
    """Fill ``out`` with the next standard normals, as many calls of
    :func:`_standard_normal` would. The state words live in registers in the
    fast path (a call per draw, or the state in memory, costs several times more)."""
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for n in range(out.shape[0]):
        bits, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
        layer, x = _abscissa(bits, tables)
        if abs(x) >= tables[0, layer + 1]:
            state[0], state[1], state[2], state[3] = s0, s1, s2, s3
            x = _slow_path(state, tables, layer, x)
            s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
        out[n] = x
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3


@numba.njit(cache=True)
def _fill_raw(state, out):
    for n in range(out.shape[0]):
        out[n] = _next_uint64(state)


@numba.njit(cache=True)
def _fill_uniform(state, out):
    for n in range(out.shape[0]):
        out[n] = _uniform(state)


# ---------------------------------------------------------------------------------------------
# validated Python API


def _checked(state, name: str = "state") -> np.ndarray:
    """``state`` itself if it is a usable stream state, else a TypeError/ValueError naming ``name``."""
    if not isinstance(state, np.ndarray) or state.dtype != np.uint64:
        raise TypeError(f"{name} must be a (4,) uint64 numpy array (from stream_state), got "
                        f"{type(state).__name__}{' of ' + str(state.dtype) if isinstance(state, np.ndarray) else ''}")
    if state.shape != (4,):
        raise ValueError(f"{name} must have shape (4,), got {state.shape}")
    if not (state.flags.writeable and state.flags.c_contiguous):
        raise ValueError(f"{name} must be a writeable contiguous array (it is advanced in place); pass a copy")
    if not np.any(state):
        raise ValueError(f"{name} must not be all zero (the fixed point of xoshiro256++)")
    return state


def stream_state(seed=None) -> np.ndarray:
    """A new xoshiro256++ stream state seeded from ``seed``.

    Parameters
    ----------
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        As in :func:`pcn_core.validation.rng`: the 256 bits are drawn with
        ``Generator.integers`` from that generator (seeded from the
        ``SeedSequence`` for None, an int or a SeedSequence), so the seeds
        ``3``, ``SeedSequence(3)`` and ``np.random.default_rng(3)`` give the same
        stream and different seeds give independent ones. A Generator is
        advanced in place (by four 64-bit draws).

    Returns
    -------
    (4,) uint64 ndarray
        The state, never all zero. Functions that draw from it advance it in
        place; copy it to replay a stream.

    Raises
    ------
    TypeError
        If ``seed`` is not one of the accepted kinds (e.g. negative, a float or a bool).

    Examples
    --------
    >>> state = stream_state(3)
    >>> state.shape, state.dtype
    ((4,), dtype('uint64'))
    >>> bool(np.array_equal(state, stream_state(np.random.default_rng(3))))
    True
    >>> bool(np.array_equal(state, stream_state(4)))
    False
    """
    generator = validation.rng(seed)
    while True:
        state = generator.integers(0, 2 ** 64, size=4, dtype=np.uint64)
        if np.any(state):  # all zero has probability 2⁻²⁵⁶, but would be a fixed point
            return state


def random_raw(state: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` 64-bit outputs of the stream, advancing ``state``.

    Parameters
    ----------
    state : (4,) uint64 ndarray
        A stream state (:func:`stream_state`), advanced in place.
    n : int
        Number of outputs, >= 0.

    Returns
    -------
    (n,) uint64 ndarray
        The xoshiro256++ outputs.

    Raises
    ------
    TypeError
        If ``state`` is not a uint64 array or ``n`` not an integer.
    ValueError
        If ``state`` does not have shape (4,), is read-only or all zero, or ``n < 0``.

    Examples
    --------
    The published test state (1, 2, 3, 4): the first output is
    ``rotl(1 + 4, 23) + 1 = 5 · 2²³ + 1``.

    >>> state = np.array([1, 2, 3, 4], dtype=np.uint64)
    >>> random_raw(state, 2)
    array([41943041, 58720359], dtype=uint64)
    """
    state = _checked(state)
    out = np.empty(validation.count(n, "n", low=0), dtype=np.uint64)
    _fill_raw(state, out)
    return out


def uniform(state: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` uniforms in [0, 1) of the stream, advancing ``state``.

    Each is the top 53 bits of one 64-bit output times 2⁻⁵³ (the kernels'
    ``_uniform``, used e.g. for spike failures).

    Parameters
    ----------
    state : (4,) uint64 ndarray
        A stream state (:func:`stream_state`), advanced in place.
    n : int
        Number of draws, >= 0.

    Returns
    -------
    (n,) float ndarray
        Uniform draws in [0, 1).

    Raises
    ------
    TypeError
        If ``state`` is not a uint64 array or ``n`` not an integer.
    ValueError
        If ``state`` does not have shape (4,), is read-only or all zero, or ``n < 0``.

    Examples
    --------
    >>> draws = uniform(stream_state(0), 100_000)
    >>> bool(draws.min() >= 0.0 and draws.max() < 1.0), round(float(draws.mean()), 2)
    (True, 0.5)
    """
    state = _checked(state)
    out = np.empty(validation.count(n, "n", low=0))
    _fill_uniform(state, out)
    return out


def standard_normal(state: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` standard normals of the stream (exact ziggurat), advancing ``state``.

    These are the draws a simulation kernel makes with the same state, in the
    same order (module docstring). Each takes one 64-bit output, more in the
    rare wedge and tail cases (about 1 % of draws).

    Parameters
    ----------
    state : (4,) uint64 ndarray
        A stream state (:func:`stream_state`), advanced in place.
    n : int
        Number of draws, >= 0.

    Returns
    -------
    (n,) float ndarray
        Standard-normal draws (mean 0, variance 1).

    Raises
    ------
    TypeError
        If ``state`` is not a uint64 array or ``n`` not an integer.
    ValueError
        If ``state`` does not have shape (4,), is read-only or all zero, or ``n < 0``.

    References
    ----------
    .. [1] Marsaglia G, Tsang WW (2000). The ziggurat method for generating random
       variables. J Stat Softw 5(8):1-7.
    .. [2] Doornik JA (2005). An improved ziggurat method to generate normal random
       samples. Technical report, University of Oxford.

    Examples
    --------
    Two chunks from one state continue the stream a single call gives:

    >>> state = stream_state(7)
    >>> replay = state.copy()
    >>> whole = standard_normal(replay, 5)
    >>> bool(np.array_equal(np.r_[standard_normal(state, 2), standard_normal(state, 3)], whole))
    True
    >>> draws = standard_normal(stream_state(0), 200_000)
    >>> round(float(draws.mean()), 2), round(float(draws.std()), 2)
    (0.0, 1.0)
    """
    state = _checked(state)
    out = np.empty(validation.count(n, "n", low=0))
    _fill_standard_normal(state, _TABLES, out)
    return out
