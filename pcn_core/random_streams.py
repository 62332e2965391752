"""Fast random streams for numba kernels: xoshiro256++, an exact ziggurat normal and a vector normal.

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

A second, faster source of normals, the vector generator (:func:`lane_state`,
:func:`vector_normal`; ``simulate(..., normal_generator="vector")``), runs
``LANES`` xoshiro256++ streams in lock step (one LLVM vector) and turns each
64-bit output into a Box–Muller pair (Box & Muller 1958 [4]_) in float32 with
polynomial logarithm, sine and cosine (Horner steps as fused multiply-adds), which
the compiler vectorises: within 1e-6 (relative) of exact normals, never beyond
±6.66, bit-for-bit reproducible.
Its block layout and error analysis are in the notes above its code.

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
.. [4] Box GEP, Muller ME (1958). A note on the generation of random normal
   deviates. Ann Math Stat 29(2):610-611.
"""
from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

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


# ---------------------------------------------------------------------------------------------
# the vector generator: float32 Box–Muller on lock-step xoshiro256++ lanes
#
# The ziggurat above is exact and sequential; its table look-ups and branches keep it scalar
# (about 2.5 ns a normal here, the largest cost of a noisy network step). The vector generator
# trades exactness for SIMD: LANES independent xoshiro256++ streams advance in lock step
# (one <LANES x i64> LLVM vector, which the compiler maps onto the machine's SIMD registers),
# and each 64-bit output gives one Box–Muller pair computed in float32 with polynomial
# logarithm, sine and cosine (no table, no branch, no library call). Every operation is an
# IEEE-754 float32 operation, correctly rounded, in a fixed order: each Horner step of the
# polynomials (and e ln 2 + ln m) one fused multiply-add, a·b + c rounded once (IEEE 754's
# fusedMultiplyAdd, LLVM's llvm.fma: the machine's FMA instruction, or a correctly rounded
# library call where there is none), every other product and sum rounded on its own and
# never contracted by the compiler. So a given state gives the same normals on every machine.
#
# Block layout. A fill of n normals takes P = LANES·ceil(n / (2·LANES)) pairs: the lanes
# advance P / LANES times, word r·LANES + j being lane j's r-th output. The P words, read as
# 2P unsigned 32-bit halves (low half first), give pair p its radius from half p and its
# angle from half P + p; normal p is the pair's cosine part and normal P + p its sine part.
# The first n of the 2P normals are returned, the rest discarded.
#
# Error analysis (tested in tests/test_random_streams.py):
# - radius R = sqrt(-2 ln U) with U = (k + 1/2)·2⁻³¹ for the top 31 bits k of half p (in
#   float32: exact for k < 2²³, i.e. U < 2⁻⁸, the whole tail R > 3.33; rounded to 24 significant
#   bits above, an error of at most 6e-8 in ln U). So R <= sqrt(64 ln 2) = 6.66: the normal's
#   tail beyond ±6.66 (probability 2.7e-11 per draw) is missing.
#   Near U = 1 the 24-bit rounding of U moves R² by up to 2⁻²³, so R by up to
#   min(2⁻²⁴/R, 3.5e-4): normals within 1e-3 of zero (probability 8e-4) are that coarse.
# - ln m for the mantissa m in [√½, √2): 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.1716, by its
#   Taylor series through s⁹; the first omitted term is below 2e-9 relative.
# - angle θ = (q + φ) π/2 with the quarter q from the low 2 bits of half P + p and
#   φ in [-1/2, 1/2) from its top 23 bits (resolution 2⁻²³ of a quarter turn); sin a and cos a
#   of a = φ π/2, |a| <= π/4, by Taylor series through a⁹ and a¹⁰ (omitted terms below 2e-9 and 1.1e-10).
# - every float32 operation rounds by at most 2⁻²⁴ relative: a normal is within a few 1e-7
#   (relative) of the exact Box–Muller value of its bits, far below what any statistic of a
#   simulation resolves (a Kolmogorov–Smirnov test needs ~1e14 draws to see a CDF error of 1e-7).

#: Number of lock-step xoshiro256++ lanes of the vector generator.
LANES = 16

_ONE_F32_BITS = np.uint32(0x3F800000)
_MANTISSA_F32 = np.uint32(0x007FFFFF)
_EXPONENT_SHIFT_F32 = np.uint32(23)
_TOP_23_SHIFT = np.uint32(9)
_BIT_1 = np.uint32(1)
_SIGN_SHIFT_F32 = np.uint32(31)
_F32 = np.float32
_SQRT2_F32 = _F32(math.sqrt(2.0))
_LN2_F32 = _F32(math.log(2.0))
_HALF_PI_F32 = _F32(math.pi / 2)
_TWO_TO_MINUS_31_F32 = _F32(2.0 ** -31)
_TWO_TO_MINUS_32_F32 = _F32(2.0 ** -32)
# Taylor coefficients, rounded to float32: 2 atanh(s)/s = Σ 2 z^k/(2k+1) with z = s²;
# sin(a)/a = Σ (-1)^k z^k/(2k+1)!, cos(a) = Σ (-1)^k z^k/(2k)! with z = a²
_ATANH_F32 = tuple(_F32(2.0 / (2 * k + 1)) for k in range(5))
_SIN_F32 = tuple(_F32((-1) ** k / math.factorial(2 * k + 1)) for k in range(5))
_COS_F32 = tuple(_F32((-1) ** k / math.factorial(2 * k)) for k in range(6))
_A0, _A1, _A2, _A3, _A4 = _ATANH_F32
_S0, _S1, _S2, _S3, _S4 = _SIN_F32
_C0, _C1, _C2, _C3, _C4, _C5 = _COS_F32
_ONE_F32, _TWO_F32, _HALF_F32, _ONE_HALF_F32, _MINUS_TWO_F32 = _F32(1), _F32(2), _F32(0.5), _F32(1.5), _F32(-2)


@intrinsic
def _f32_from_bits(typingctx, bits):
    """The float32 whose IEEE-754 bits are the low 32 bits of the unsigned integer ``bits``
    (numba widens uint32 arithmetic to uint64)."""
    if not (isinstance(bits, types.Integer) and not bits.signed):
        return None

    def codegen(context, builder, signature, args):
        low = builder.trunc(args[0], ir.IntType(32)) if bits.bitwidth > 32 else args[0]
        return builder.bitcast(low, ir.FloatType())
    return types.float32(bits), codegen


@intrinsic
def _fma_f32(typingctx, a, b, c):
    """a·b + c in float32, rounded once (IEEE-754 fusedMultiplyAdd, ``llvm.fma.f32``)."""
    if not (a == types.float32 and b == types.float32 and c == types.float32):
        return None

    def codegen(context, builder, signature, args):
        f32 = ir.FloatType()
        fma = cgutils.get_or_insert_function(builder.module, ir.FunctionType(f32, [f32, f32, f32]), "llvm.fma.f32")
        return builder.call(fma, args)
    return types.float32(types.float32, types.float32, types.float32), codegen


@intrinsic
def _bits_from_f32(typingctx, value):
    """The IEEE-754 bits of the float32 ``value``, as a uint32."""
    if value != types.float32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(32))
    return types.uint32(types.float32), codegen


@intrinsic
def _xoshiro_lanes(typingctx, lanes, out):
    """Advance the (4, LANES) uint64 ``lanes`` len(out) / LANES times, writing lane j's r-th
    output to out[r·LANES + j]. The lanes are one LLVM vector (xoshiro256++ needs only adds,
    shifts and xors, which every SIMD instruction set has for 64-bit elements), held in
    registers for the whole block; ``len(out)`` must be a multiple of LANES (unchecked here)."""
    if not (isinstance(lanes, types.Array) and lanes.dtype == types.uint64 and lanes.ndim == 2
            and lanes.layout == "C" and isinstance(out, types.Array) and out.dtype == types.uint64
            and out.ndim == 1 and out.layout == "C"):
        return None

    def codegen(context, builder, signature, args):
        state = context.make_array(signature.args[0])(context, builder, args[0])
        output = context.make_array(signature.args[1])(context, builder, args[1])
        i64 = ir.IntType(64)
        vector = ir.VectorType(i64, LANES)
        state_rows = builder.bitcast(state.data, vector.as_pointer())
        out_rows = builder.bitcast(output.data, vector.as_pointer())
        words = [cgutils.alloca_once_value(builder, builder.load(builder.gep(state_rows, [ir.Constant(i64, w)]),
                                                                   align=8)) for w in range(4)]

        def splat(value):
            return ir.Constant(vector, [ir.Constant(i64, value)] * LANES)

        def rotl(value, shift):
            return builder.or_(builder.shl(value, splat(shift)), builder.lshr(value, splat(64 - shift)))

        rounds = builder.udiv(builder.extract_value(output.shape, 0), ir.Constant(i64, LANES))
        with cgutils.for_range(builder, rounds) as loop:
            s0, s1, s2, s3 = (builder.load(word) for word in words)
            result = builder.add(rotl(builder.add(s0, s3), int(_ROT_OUT)), s0)
            t = builder.shl(s1, splat(int(_SHIFT)))
            s2 = builder.xor(s2, s0)
            s3 = builder.xor(s3, s1)
            s1 = builder.xor(s1, s2)
            s0 = builder.xor(s0, s3)
            s2 = builder.xor(s2, t)
            s3 = rotl(s3, int(_ROT_STATE))
            builder.store(result, builder.gep(out_rows, [loop.index]), align=8)
            for word, value in zip(words, (s0, s1, s2, s3)):
                builder.store(value, word)
        for w in range(4):
            builder.store(builder.load(words[w]), builder.gep(state_rows, [ir.Constant(i64, w)]), align=8)
        return context.get_dummy_value()
    return types.void(lanes, out), codegen


@numba.njit(cache=True, inline="always", error_model="numpy")
def _box_muller_f32(radius_bits, angle_bits):
    """The Box–Muller pair (R cos θ, R sin θ) of two 32-bit halves, in float32 (module notes)."""
    # U = (k + 1/2) 2⁻³¹ in (0, 1) from the top 31 bits; -2 ln U = -2 (e ln 2 + ln m), m in [√½, √2)
    u = _F32(np.int32(radius_bits >> _BIT_1)) * _TWO_TO_MINUS_31_F32 + _TWO_TO_MINUS_32_F32
    bits = _bits_from_f32(u)
    exponent = np.int32(bits >> _EXPONENT_SHIFT_F32) - np.int32(127)
    m = _f32_from_bits((bits & _MANTISSA_F32) | _ONE_F32_BITS)
    big = m > _SQRT2_F32
    m = m * _HALF_F32 if big else m
    exponent = exponent + np.int32(1) if big else exponent
    f = m - _ONE_F32
    s = f / (_TWO_F32 + f)
    z = s * s
    series = _fma_f32(_fma_f32(_fma_f32(_fma_f32(_A4, z, _A3), z, _A2), z, _A1), z, _A0)
    radius = np.sqrt(_MINUS_TWO_F32 * _fma_f32(_F32(exponent), _LN2_F32, s * series))
    # θ = (q + φ) π/2: φ in [-1/2, 1/2) from the top 23 bits, the quarter q from the low 2 bits
    a = (_f32_from_bits((angle_bits >> _TOP_23_SHIFT) | _ONE_F32_BITS) - _ONE_HALF_F32) * _HALF_PI_F32
    z = a * a
    sine = _fma_f32(_fma_f32(_fma_f32(_fma_f32(_S4, z, _S3), z, _S2), z, _S1), z, _S0) * a
    cosine = _fma_f32(_fma_f32(_fma_f32(_fma_f32(_fma_f32(_C5, z, _C4), z, _C3), z, _C2), z, _C1), z, _C0)
    odd = (angle_bits & _BIT_1) != 0            # q = 1, 3: cos θ = ∓sin a, sin θ = ±cos a
    x = sine if odd else cosine
    y = cosine if odd else sine
    flip_x = ((angle_bits ^ (angle_bits >> _BIT_1)) & _BIT_1) << _SIGN_SHIFT_F32   # q = 1, 2
    flip_y = ((angle_bits >> _BIT_1) & _BIT_1) << _SIGN_SHIFT_F32                  # q = 2, 3
    return (radius * _f32_from_bits(_bits_from_f32(x) ^ flip_x),
            radius * _f32_from_bits(_bits_from_f32(y) ^ flip_y))


@numba.njit(cache=True, error_model="numpy")
def _fill_vector_normal(lanes, raw, halves, out):
    """Fill ``out`` (2P float32) with the next 2P vector-generator normals. ``raw`` is a
    (P,) uint64 scratch, P a multiple of LANES, and ``halves`` its ``view(np.uint32)``, made
    by the caller: a view taken here keeps the compiler from vectorising the loop."""
    _xoshiro_lanes(lanes, raw)
    pairs = raw.shape[0]
    for p in range(pairs):
        x, y = _box_muller_f32(halves[p], halves[pairs + p])
        out[p] = x
        out[pairs + p] = y


@numba.njit(cache=True, inline="always")
def _vector_pairs(n):
    """LANES · ceil(n / (2 LANES)) for n >= 0 (what :func:`vector_pairs` checks and returns)."""
    return -(-n // (2 * LANES)) * LANES


def vector_pairs(n: int) -> int:
    """Box–Muller pairs P a fill of ``n`` normals takes: LANES · ceil(n / (2 LANES)).

    Parameters
    ----------
    n : int
        Number of normals, >= 0.

    Returns
    -------
    int
        P: the fill draws P 64-bit outputs (P / LANES per lane) and makes 2P
        normals, of which the first ``n`` are used.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 0``.

    Examples
    --------
    >>> vector_pairs(400), vector_pairs(1), vector_pairs(0)
    (208, 16, 0)
    """
    return int(_vector_pairs(validation.count(n, "n", low=0)))


def lane_state(seed=None) -> np.ndarray:
    """A new state of the vector generator: LANES xoshiro256++ streams seeded from ``seed``.

    Parameters
    ----------
    seed : None, int, numpy.random.SeedSequence, numpy.random.Generator or (4,) uint64 ndarray
        As in :func:`stream_state` (the 256·LANES bits drawn with ``Generator.integers``),
        or a :func:`stream_state` stream, which is advanced by 4·LANES outputs that become
        the lanes (how :func:`pcn_core.simulation.simulate` derives them from a run's stream).

    Returns
    -------
    (4, LANES) uint64 ndarray
        Column j is lane j's state, never all zero.

    Raises
    ------
    TypeError
        If ``seed`` is not one of the accepted kinds.
    ValueError
        If a stream ``seed`` is malformed (as :func:`random_raw` says).

    Examples
    --------
    >>> lanes = lane_state(3)
    >>> lanes.shape, lanes.dtype
    ((4, 16), dtype('uint64'))
    >>> bool(np.array_equal(lanes, lane_state(3))), bool(np.array_equal(lanes, lane_state(4)))
    (True, False)
    """
    if isinstance(seed, np.ndarray):
        lanes = random_raw(seed, 4 * LANES).reshape(4, LANES)
    else:
        generator = validation.rng(seed)
        lanes = generator.integers(0, 2 ** 64, size=(4, LANES), dtype=np.uint64)
    if not np.all(np.any(lanes, axis=0)):  # probability LANES · 2⁻²⁵⁶
        raise ValueError("a lane drew the all-zero state (the fixed point of xoshiro256++); use another seed")
    return lanes


def _checked_lanes(lanes, name: str = "lanes") -> np.ndarray:
    """``lanes`` itself if it is a usable vector-generator state, else an error naming ``name``."""
    if not isinstance(lanes, np.ndarray) or lanes.dtype != np.uint64:
        raise TypeError(f"{name} must be a (4, {LANES}) uint64 numpy array (from lane_state), got "
                        f"{type(lanes).__name__}{' of ' + str(lanes.dtype) if isinstance(lanes, np.ndarray) else ''}")
    if lanes.shape != (4, LANES):
        raise ValueError(f"{name} must have shape (4, {LANES}), got {lanes.shape}")
    if not (lanes.flags.writeable and lanes.flags.c_contiguous):
        raise ValueError(f"{name} must be a writeable C-contiguous array (it is advanced in place); pass a copy")
    if not np.all(np.any(lanes, axis=0)):
        raise ValueError(f"{name} must not have an all-zero column (the fixed point of xoshiro256++)")
    return lanes


def vector_normal(lanes: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` normals of the vector generator (float32 Box–Muller), advancing ``lanes``.

    What a simulation kernel draws with ``normal_generator="vector"``: a fill of ``n``
    normals takes :func:`vector_pairs` (n) pairs and returns the first ``n`` (the block
    layout and the error analysis are in the notes above the generator's code). The values are float32
    numbers in float64, within a few 1e-7 (relative) of the exact Box–Muller transform of
    their bits, and never beyond ±6.66 (the normal's mass there is 2.7e-11). Unlike
    :func:`standard_normal`, two fills are not one fill cut in two: each fill rounds up to
    whole blocks of 2·LANES normals.

    Parameters
    ----------
    lanes : (4, LANES) uint64 ndarray
        A vector-generator state (:func:`lane_state`), advanced in place.
    n : int
        Number of draws, >= 0.

    Returns
    -------
    (n,) float ndarray
        Standard-normal draws.

    Raises
    ------
    TypeError
        If ``lanes`` is not a uint64 array or ``n`` not an integer.
    ValueError
        If ``lanes`` has another shape, is read-only or has an all-zero lane, or ``n < 0``.

    Examples
    --------
    >>> draws = vector_normal(lane_state(0), 200_000)
    >>> round(float(draws.mean()), 2), round(float(draws.std()), 2)
    (0.0, 1.0)
    >>> bool(np.all(draws == draws.astype(np.float32)))
    True
    """
    lanes = _checked_lanes(lanes)
    pairs = vector_pairs(n)
    raw = np.empty(pairs, dtype=np.uint64)
    out = np.empty(2 * pairs, dtype=np.float32)
    _fill_vector_normal(lanes, raw, raw.view(np.uint32), out)
    return out[:n].astype(float)
