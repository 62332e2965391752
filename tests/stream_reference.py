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
