"""Pure-Python oracle of :mod:`pcn_core.random_streams`, for the tests.

Written from the algorithm descriptions, not from the module: xoshiro256++ as
defined by Blackman & Vigna (2021, Fig. 5) on Python integers masked to 64 bits;
uniforms from the top 53 bits; normals by the ziggurat of Marsaglia & Tsang
(2000) in Doornik's (2005) form (low 8 bits choose the layer, the top 53 bits a
signed abscissa, a fresh draw after each rejection, Marsaglia's tail algorithm
beyond the last layer). Only the ziggurat's tables (plain data) are taken from
the module; ``test_random_streams`` checks their defining properties directly.
"""
from __future__ import annotations

import math

import numpy as np

from pcn_core.random_streams import NORMAL_TABLES

MASK = (1 << 64) - 1


def rotl(value: int, shift: int) -> int:
    """Rotate a 64-bit integer left by ``shift`` bits."""
    return ((value << shift) | (value >> (64 - shift))) & MASK


class PythonStream:
    """xoshiro256++ on Python ints, with numpy-Generator-like ``standard_normal(n)`` and ``random(n)``."""

    def __init__(self, state):
        self.s = [int(word) for word in state]
        assert len(self.s) == 4 and any(self.s)
        self.widths = [float(v) for v in NORMAL_TABLES[0]]
        self.heights = [float(v) for v in NORMAL_TABLES[1]]
        self.wedge_tests = 0   # how often the rare paths ran (tests check they were exercised)
        self.tail_draws = 0

    def next(self) -> int:
        s0, s1, s2, s3 = self.s
        result = (rotl((s0 + s3) & MASK, 23) + s0) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self) -> float:
        """[0, 1): the top 53 bits times 2⁻⁵³."""
        return (self.next() >> 11) * 2.0 ** -53

    def _open_uniform(self) -> float:
        return ((self.next() >> 11) + 1) * 2.0 ** -53

    def normal(self) -> float:
        widths, heights = self.widths, self.heights
        while True:
            bits = self.next()
            layer = bits & 0xFF
            u = (2 * (bits >> 11) + 1 - 2 ** 53) * 2.0 ** -53   # odd multiples of 2⁻⁵³ in (-1, 1)
            x = u * widths[layer]
            if abs(x) < widths[layer + 1]:
                return x
            if layer == 0:  # beyond the tail start r: Marsaglia's algorithm for |X| > r
                self.tail_draws += 1
                r = widths[1]
                while True:
                    e = -math.log(self._open_uniform()) / r
                    w = -math.log(self._open_uniform())
                    if 2.0 * w > e * e:
                        return -(r + e) if x < 0 else r + e
            self.wedge_tests += 1
            y = heights[layer] + self.uniform() * (heights[layer + 1] - heights[layer])
            if y < math.exp(-0.5 * x * x):
                return x

    def standard_normal(self, n: int) -> np.ndarray:
        return np.array([self.normal() for _ in range(n)])

    def random(self, n: int) -> np.ndarray:
        return np.array([self.uniform() for _ in range(n)])


def fma32(a, b, c) -> np.ndarray:
    """IEEE-754 fusedMultiplyAdd in float32, a·b + c rounded once (round to nearest, ties to
    even), in float64 NumPy. a·b is exact in float64 (24 + 24 significant bits), and so is the
    error of r = a·b + c (Knuth's TwoSum). A float64 value rounds to float32 as the exact sum
    does unless it lies exactly halfway between two float32 values (every such midpoint is a
    float64): then the sign of the error decides, by moving r one float64 step its way before
    the conversion. Normal float32 results only (the vector generator makes no others)."""
    a, b, c = (np.asarray(v, dtype=np.float32).astype(np.float64) for v in (a, b, c))
    product = a * b
    r = product + c
    back = r - product
    error = (product - (r - back)) + (c - back)
    # a midpoint's 53-bit significand ends in 1 followed by 28 zeros (its last 29 bits)
    midpoint = (r.view(np.uint64) & np.uint64(2 ** 29 - 1)) == np.uint64(2 ** 28)
    r = np.where(midpoint & (error != 0), np.nextafter(r, np.where(error > 0, np.inf, -np.inf)), r)
    return r.astype(np.float32)


def vector_normal(lanes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The vector generator (float32 Box–Muller on lock-step lanes), written from its
    description in the module notes: the lanes as PythonStreams, the transform in NumPy
    float32 with the same operations in the same order, the fused ones by :func:`fma32`
    (IEEE-754 float32 arithmetic is correctly rounded, so the values must agree bit for bit). Returns (normals, exact):
    ``exact`` the float64 Box–Muller transform of the same bits with NumPy's log, sin, cos."""
    lanes_py = [PythonStream(np.asarray(lanes)[:, j]) for j in range(lanes.shape[1])]
    n_lanes = len(lanes_py)
    pairs = n_lanes * -(-n // (2 * n_lanes))
    words = [lanes_py[i % n_lanes].next() for i in range(pairs)]  # round-major: word r·L + j
    halves = np.array([h for w in words for h in (w & 0xFFFFFFFF, w >> 32)], dtype=np.uint64)
    radius_bits, angle_bits = halves[:pairs], halves[pairs:]
    f32 = np.float32
    with np.errstate(all="raise"):
        u = (radius_bits >> 1).astype(np.int32).astype(f32) * f32(2.0 ** -31) + f32(2.0 ** -32)
        bits = u.view(np.uint32)
        exponent = (bits >> 23).astype(np.int32) - 127
        m = ((bits & 0x007FFFFF) | 0x3F800000).astype(np.uint32).view(f32)
        big = m > f32(math.sqrt(2.0))
        m = np.where(big, m * f32(0.5), m)
        exponent = np.where(big, exponent + 1, exponent).astype(np.int32)
        f = m - f32(1)
        s = f / (f32(2) + f)
        z = s * s
        a = [f32(2.0 / (2 * k + 1)) for k in range(5)]
        series = fma32(fma32(fma32(fma32(a[4], z, a[3]), z, a[2]), z, a[1]), z, a[0])
        radius = np.sqrt(f32(-2) * fma32(exponent.astype(f32), f32(math.log(2.0)), s * series))
        phi = ((angle_bits >> 9) | 0x3F800000).astype(np.uint32).view(f32) - f32(1.5)
        angle = phi * f32(math.pi / 2)
        z = angle * angle
        sc = [f32((-1) ** k / math.factorial(2 * k + 1)) for k in range(5)]
        cc = [f32((-1) ** k / math.factorial(2 * k)) for k in range(6)]
        sine = fma32(fma32(fma32(fma32(sc[4], z, sc[3]), z, sc[2]), z, sc[1]), z, sc[0]) * angle
        cosine = fma32(fma32(fma32(fma32(fma32(cc[5], z, cc[4]), z, cc[3]), z, cc[2]), z, cc[1]), z, cc[0])
        quarter = (angle_bits & 3).astype(np.int64)
        # rotate (cos a, sin a) by q quarter turns: θ = q π/2 + a
        x = np.select([quarter == 0, quarter == 1, quarter == 2, quarter == 3], [cosine, -sine, -cosine, sine])
        y = np.select([quarter == 0, quarter == 1, quarter == 2, quarter == 3], [sine, cosine, -sine, -cosine])
        normals = np.concatenate([radius * x, radius * y])[:n]
    # the same bits through float64 functions: U, and θ = (q + φ) π/2 exactly
    u64 = ((radius_bits >> 1).astype(float) + 0.5) * 2.0 ** -31
    theta = (quarter + phi.astype(float)) * (math.pi / 2)
    r64 = np.sqrt(-2.0 * np.log(u64))
    exact = np.concatenate([r64 * np.cos(theta), r64 * np.sin(theta)])[:n]
    for j, lane in enumerate(lanes_py):
        lanes[:, j] = np.array(lane.s, dtype=np.uint64)
    return normals.astype(float), exact
