"""The kernels' random streams: xoshiro256++ against its published output and an independent
pure-Python implementation, the ziggurat's tables against their definition, and the draws'
statistics against the exact normal and uniform distributions (tolerances from sampling SEs)."""
import math

import numba
import numpy as np
import pytest
import scipy.special
import scipy.stats

from pcn_core import random_streams as rs
from stream_reference import PythonStream

N_DRAWS = 1_000_000


@pytest.fixture(scope="module")
def normals():
    return rs.standard_normal(rs.stream_state(2024), N_DRAWS)


# --- the bit stream -------------------------------------------------------------------------

def test_first_outputs_follow_from_the_definition_by_hand():
    # state (s0, s1, s2, s3) = (1, 2, 3, 4): output rotl(s0 + s3, 23) + s0 = 5·2²³ + 1. The update
    # gives s2 = 3^1 = 2, s3 = 4^2 = 6, s1 = 2^2 = 0, s0 = 1^6 = 7, s2 ^= 2 << 17, s3 = rotl(6, 45),
    # so the second output is rotl(7 + 6·2⁴⁵, 23) + 7 = 7·2²³ + 6·2⁴ + 7: the bits of 6·2⁴⁵ move
    # 23 places up, past bit 63, and wrap around to 6·2⁶⁸⁻⁶⁴.
    state = np.array([1, 2, 3, 4], dtype=np.uint64)
    first, second = rs.random_raw(state, 2).tolist()
    assert first == 5 * 2 ** 23 + 1
    assert second == 7 * 2 ** 23 + 6 * 2 ** 4 + 7


def test_stream_matches_the_published_reference_output():
    # The first ten outputs from state (1, 2, 3, 4) as published with the Rust crate rand_xoshiro
    # (rust-random/rngs, src/xoshiro256plusplus.rs, test `reference`), which states they were
    # produced with the authors' reference implementation xoshiro256plusplus.c.
    published = [41943041, 58720359, 3588806011781223, 3591011842654386, 9228616714210784205,
                 9973669472204895162, 14011001112246962877, 12406186145184390807,
                 15849039046786891736, 10450023813501588000]
    assert rs.random_raw(np.array([1, 2, 3, 4], dtype=np.uint64), 10).tolist() == published
    python = PythonStream([1, 2, 3, 4])
    assert [python.next() for _ in range(10)] == published


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_kernel_stream_equals_the_pure_python_implementation(seed):
    state = rs.stream_state(seed)
    python = PythonStream(state)
    raw = rs.random_raw(state, 2000)
    assert raw.tolist() == [python.next() for _ in range(2000)]
    assert python.s == [int(word) for word in state]  # the states advance alike
    np.testing.assert_array_equal(rs.uniform(state, 2000), python.random(2000))


def test_kernel_normals_equal_the_pure_python_ziggurat_including_wedges_and_tails():
    state = rs.stream_state(7)
    python = PythonStream(state)
    n = 60_000
    kernel = rs.standard_normal(state, n)
    np.testing.assert_array_equal(kernel, python.standard_normal(n))
    assert python.s == [int(word) for word in state]
    # the comparison covered the rare paths: tail draws beyond r and wedge draws
    assert np.sum(np.abs(kernel) > rs.TAIL_START) >= 5
    assert python.wedge_tests >= 100 and python.tail_draws >= 5


def test_scalar_and_block_kernels_give_the_same_draws():
    @numba.njit
    def one_at_a_time(state, tables, n):
        out = np.empty(n)
        for i in range(n):
            out[i] = rs._standard_normal(state, tables)
        return out

    a = rs.stream_state(3)
    b = a.copy()
    np.testing.assert_array_equal(one_at_a_time(a, rs._TABLES, 50_000), rs.standard_normal(b, 50_000))
    np.testing.assert_array_equal(a, b)


def test_chunks_continue_the_stream_and_equal_seeds_repeat_it():
    state = rs.stream_state(11)
    replay = state.copy()
    whole = rs.standard_normal(replay, 1000)
    np.testing.assert_array_equal(np.r_[rs.standard_normal(state, 1), rs.standard_normal(state, 0),
                                        rs.standard_normal(state, 999)], whole)
    np.testing.assert_array_equal(rs.standard_normal(rs.stream_state(11), 1000), whole)
    assert not np.array_equal(rs.standard_normal(rs.stream_state(12), 1000), whole)


def test_seeds_follow_the_validation_convention():
    # an int, its SeedSequence and a Generator seeded with it give the same state; the Generator is advanced
    states = [rs.stream_state(s) for s in (5, np.random.SeedSequence(5), np.random.default_rng(5))]
    for other in states[1:]:
        np.testing.assert_array_equal(states[0], other)
    generator = np.random.default_rng(5)
    first = rs.stream_state(generator)
    assert not np.array_equal(rs.stream_state(generator), first)
    fresh = rs.stream_state(None), rs.stream_state(None)
    assert not np.array_equal(*fresh) and all(s.dtype == np.uint64 and np.any(s) for s in fresh)


# --- the ziggurat's tables ------------------------------------------------------------------

def test_tables_are_the_equal_area_ziggurat_of_the_normal_density():
    widths, heights = rs.NORMAL_TABLES
    C = rs.N_LAYERS
    r = rs.TAIL_START
    density = lambda x: np.exp(-0.5 * np.square(x))  # noqa: E731
    area = r * density(r) + math.sqrt(math.pi / 2) * scipy.special.erfc(r / math.sqrt(2))
    assert widths.shape == heights.shape == (C + 1,)
    assert widths[1] == r and widths[C] == 0.0 and heights[0] == 0.0
    assert np.all(np.diff(widths) < 0)
    # the base strip (the rectangle under f(r) with the tail) and every layer have area v
    assert widths[0] * heights[1] == pytest.approx(area, rel=1e-13)
    np.testing.assert_allclose(widths[1:C] * np.diff(heights)[1:C], area, rtol=1e-12)
    # layer edges lie on the density, and the top layer covers its peak
    np.testing.assert_allclose(heights[1:C], density(widths[1:C]), rtol=1e-12)
    assert 1.0 <= heights[C] < 1.0 + 1e-9
    # the 256-layer ziggurat's tail start (Marsaglia & Tsang 2000 give r = 3.6541528853610088)
    assert r == pytest.approx(3.6541528853610088, rel=1e-12)
    with pytest.raises(ValueError):
        rs.NORMAL_TABLES[0, 0] = 1.0  # read-only


# --- distribution of the draws --------------------------------------------------------------

def test_moments_match_the_normal_within_sampling_error(normals):
    n = normals.size
    # exact moments of N(0, 1) and the standard errors of their estimates from n draws
    assert abs(normals.mean()) < 4 * math.sqrt(1 / n)
    assert abs(normals.var() - 1) < 4 * math.sqrt(2 / n)
    assert abs(scipy.stats.skew(normals)) < 4 * math.sqrt(6 / n)
    assert abs(scipy.stats.kurtosis(normals)) < 4 * math.sqrt(24 / n)


def test_kolmogorov_smirnov_and_the_layer_bins_accept_the_normal(normals):
    assert scipy.stats.kstest(normals, "norm").pvalue > 1e-3
    # χ² over the 512 intervals between ± the layer edges, where a ziggurat error shows: a sampler
    # that skips the wedge test (accepts the whole layer rectangles) gives p ~ 1e-21 here, while KS
    # and the moments do not notice it at 10⁶ draws.
    edges = np.unique(np.r_[-np.inf, -rs.NORMAL_TABLES[0, 1:], rs.NORMAL_TABLES[0, 1:], np.inf])
    expected = normals.size * np.diff(scipy.stats.norm.cdf(edges))
    assert edges.size == 2 * rs.N_LAYERS + 1
    assert scipy.stats.chisquare(np.histogram(normals, edges)[0], expected).pvalue > 1e-3


@pytest.mark.parametrize("beyond", [3.0, 4.0, rs.TAIL_START])
def test_tail_frequencies_match_the_normal_within_binomial_error(normals, beyond):
    p = 2 * scipy.stats.norm.sf(beyond)
    n = normals.size
    observed = np.sum(np.abs(normals) > beyond)
    assert abs(observed - n * p) < 4 * math.sqrt(n * p * (1 - p))


def test_tail_draws_follow_the_truncated_normal():
    # beyond r the draws come from Marsaglia's tail algorithm: |X| given |X| > r
    draws = np.abs(rs.standard_normal(rs.stream_state(99), 4_000_000))
    tail = draws[draws > rs.TAIL_START]
    assert tail.size > 800
    assert scipy.stats.kstest(tail, scipy.stats.truncnorm(rs.TAIL_START, np.inf).cdf).pvalue > 1e-3


def test_uniforms_are_equidistributed_in_one_and_two_dimensions():
    u = rs.uniform(rs.stream_state(5), N_DRAWS)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 4 * math.sqrt(1 / 12 / u.size)
    assert scipy.stats.chisquare(np.histogram(u, 100, (0, 1))[0]).pvalue > 1e-3
    pairs = np.histogram2d(u[0::2], u[1::2], 20, [(0, 1), (0, 1)])[0]  # consecutive pairs
    assert scipy.stats.chisquare(pairs.ravel()).pvalue > 1e-3


def test_streams_of_different_seeds_and_successive_draws_are_uncorrelated():
    n = 200_000
    bound = 4 / math.sqrt(n)  # SE of a correlation coefficient near 0
    draws = {seed: rs.standard_normal(rs.stream_state(seed), n) for seed in (0, 1, 2)}
    for a, b in ((0, 1), (1, 2), (0, 2)):
        assert abs(np.corrcoef(draws[a], draws[b])[0, 1]) < bound
    for lag in (1, 2, 3):
        assert abs(np.corrcoef(draws[0][:-lag], draws[0][lag:])[0, 1]) < bound
    # the uniforms of one seed against the normals of another
    assert abs(np.corrcoef(rs.uniform(rs.stream_state(3), n), draws[0])[0, 1]) < bound


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("state, n, error, match", [
    (np.zeros(4, dtype=np.uint64), 1, ValueError, "must not be all zero"),
    (np.ones(3, dtype=np.uint64), 1, ValueError, r"shape \(4,\)"),
    (np.ones(4, dtype=np.int64), 1, TypeError, "uint64"),
    ([1, 2, 3, 4], 1, TypeError, "uint64 numpy array"),
    (np.ones(8, dtype=np.uint64)[::2], 1, ValueError, "contiguous"),
    (np.ones(4, dtype=np.uint64), -1, ValueError, "n must be"),
    (np.ones(4, dtype=np.uint64), 2.0, TypeError, "n must be"),
])
def test_bad_states_and_counts_are_refused_by_name(state, n, error, match):
    for draw in (rs.random_raw, rs.uniform, rs.standard_normal):
        with pytest.raises(error, match=match):
            draw(state, n)


def test_a_read_only_state_and_a_bad_seed_are_refused():
    state = rs.stream_state(0)
    state.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        rs.standard_normal(state, 1)
    for seed in (-1, 1.5, True, "0"):
        with pytest.raises(TypeError, match="seed must be None, an integer >= 0"):
            rs.stream_state(seed)


# --- the vector generator (float32 Box–Muller on lock-step lanes) ---------------------------

@pytest.fixture(scope="module")
def vector_normals():
    return rs.vector_normal(rs.lane_state(2024), N_DRAWS)


def test_lanes_advance_as_independent_xoshiro_streams():
    lanes = rs.lane_state(5)
    before = lanes.copy()
    raw = np.empty(3 * rs.LANES, dtype=np.uint64)
    _lanes_raw(lanes, raw)
    for j in range(rs.LANES):
        column = before[:, j].copy()
        assert raw[j::rs.LANES].tolist() == rs.random_raw(column, 3).tolist()
        assert column.tolist() == lanes[:, j].tolist()


@numba.njit
def _lanes_raw(lanes, raw):
    rs._xoshiro_lanes(lanes, raw)


def _fused_cases(n=20_000, seed=5):
    """Random float32 triples, half of them chosen so that a·b + c rounds differently fused
    (c ≈ -a·b, the sum cancels) and a tenth landing near a float32 midpoint."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(-2, 2, n).astype(np.float32)
    b = rng.uniform(-2, 2, n).astype(np.float32)
    c = rng.uniform(-2, 2, n).astype(np.float32)
    cancel = rng.random(n) < 0.5
    c[cancel] = (-(a[cancel].astype(float) * b[cancel])).astype(np.float32)
    # a·b with a 25th bit set and c tiny: a·b + c lands on either side of a midpoint
    mid = rng.random(n) < 0.1
    b[mid] = np.float32(1) + np.float32(2.0 ** -23)
    c[mid] = np.where(rng.random(mid.sum()) < 0.5, 1, -1) * np.abs(a[mid]) * np.float32(2.0 ** -40)
    return a, b, c


def test_fma32_oracle_is_the_exactly_rounded_fused_multiply_add():
    from fractions import Fraction
    from stream_reference import fma32
    a, b, c = _fused_cases(4000)
    got = fma32(a, b, c)
    for x, y, z, r in zip(a.tolist(), b.tolist(), c.tolist(), got.tolist()):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        below = np.float32(float(exact))                     # within one float32 step of exact
        candidates = {float(v) for v in (np.nextafter(below, np.float32(-np.inf)), below,
                                         np.nextafter(below, np.float32(np.inf)))}
        distance = {v: abs(Fraction(v) - exact) for v in candidates}
        best = min(distance.values())
        nearest = [v for v in candidates if distance[v] == best]
        if len(nearest) == 2:                                # a tie: the even significand
            nearest = [v for v in nearest if int(np.float32(v).view(np.uint32)) % 2 == 0]
        assert r == nearest[0], (x, y, z)


def test_kernel_fma_is_fused_and_equals_the_oracle():
    from stream_reference import fma32

    @numba.njit
    def kernel(a, b, c):
        out = np.empty_like(a)
        for i in range(a.shape[0]):
            out[i] = rs._fma_f32(a[i], b[i], c[i])
        return out
    a, b, c = _fused_cases()
    got = kernel(a, b, c)
    np.testing.assert_array_equal(got, fma32(a, b, c))
    unfused = (a * b) + c                                    # float32: two roundings
    assert np.count_nonzero(got != unfused) > 1000          # the cases tell fused from unfused


@pytest.mark.parametrize("n", [1, 32, 400, 1000])
def test_vector_normals_equal_the_numpy_float32_oracle_bit_for_bit(n):
    from stream_reference import vector_normal as oracle
    lanes = rs.lane_state(n)
    lanes_oracle = lanes.copy()
    got = rs.vector_normal(lanes, n)
    expected, _ = oracle(lanes_oracle, n)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(lanes, lanes_oracle)  # and the lanes advance alike


def test_vector_normals_are_within_the_error_analysis_of_exact_box_muller():
    # module notes: truncated series below 2e-9 relative, float32 rounding a few 2⁻²⁴ per
    # operation (about 20 operations deep): 1e-6 relative; plus U rounded to 24 bits near 1,
    # which moves R² by up to 2⁻²³, i.e. R by up to min(2⁻²⁴ / R, 2^-11.5)
    from stream_reference import vector_normal as oracle
    n = 200_000
    got, exact = oracle(rs.lane_state(11), n)
    radius = np.tile(np.hypot(exact[:n // 2], exact[n // 2:]), 2)
    bound = 1e-6 * np.maximum(1.0, np.abs(exact)) + np.minimum(2.0 ** -24 / radius, 2.0 ** -11.5)
    assert np.all(np.abs(got - exact) <= bound)
    assert np.all(got == got.astype(np.float32))          # float32 values
    assert np.abs(got).max() <= math.sqrt(64 * math.log(2.0)) + 1e-6


def test_vector_moments_match_the_normal_within_sampling_error(vector_normals):
    n = vector_normals.size
    assert abs(vector_normals.mean()) < 4 / math.sqrt(n)
    assert abs(vector_normals.var() - 1) < 4 * math.sqrt(2 / n)
    assert abs(scipy.stats.skew(vector_normals)) < 4 * math.sqrt(6 / n)
    assert abs(scipy.stats.kurtosis(vector_normals)) < 4 * math.sqrt(24 / n)


def test_vector_normals_pass_kolmogorov_smirnov_and_tail_frequencies(vector_normals):
    assert scipy.stats.kstest(vector_normals, "norm").pvalue > 1e-3
    for beyond in (2.0, 3.0, 4.0):
        p = 2 * scipy.stats.norm.sf(beyond)
        count = np.count_nonzero(np.abs(vector_normals) > beyond)
        assert abs(count - p * vector_normals.size) < 4 * math.sqrt(p * (1 - p) * vector_normals.size) + 1


def test_vector_pairs_and_chunks_are_independent_of_each_other():
    # two lanes states from different seeds, and the sine and cosine halves of one block, are uncorrelated
    a = rs.vector_normal(rs.lane_state(1), 64_000)
    b = rs.vector_normal(rs.lane_state(2), 64_000)
    bound = 4 / math.sqrt(64_000)
    assert abs(np.corrcoef(a, b)[0, 1]) < bound
    cos_part, sin_part = a[:32_000], a[32_000:]
    assert abs(np.corrcoef(cos_part, sin_part)[0, 1]) < 4 / math.sqrt(32_000)
    assert abs(np.corrcoef(cos_part ** 2, sin_part ** 2)[0, 1]) < 4 / math.sqrt(32_000)


def test_lane_state_from_a_stream_advances_it_and_repeats():
    stream = rs.stream_state(9)
    replay = stream.copy()
    lanes = rs.lane_state(stream)
    assert lanes.tolist() == rs.random_raw(replay, 4 * rs.LANES).reshape(4, rs.LANES).tolist()
    assert stream.tolist() == replay.tolist()
    assert np.array_equal(rs.lane_state(7), rs.lane_state(np.random.SeedSequence(7)))


@pytest.mark.parametrize("lanes, n, error, match", [
    (np.zeros((4, rs.LANES), dtype=np.uint64), 3, ValueError, "all-zero"),
    (np.ones((4, 8), dtype=np.uint64), 3, ValueError, r"shape \(4, 16\)"),
    (np.ones((4, rs.LANES)), 3, TypeError, "uint64"),
    (np.ones((4, rs.LANES), dtype=np.uint64), -1, ValueError, "n must be"),
    (np.ones((4, rs.LANES), dtype=np.uint64), 2.0, TypeError, "n must be"),
])
def test_bad_lanes_and_counts_are_refused_by_name(lanes, n, error, match):
    with pytest.raises(error, match=match):
        rs.vector_normal(lanes, n)


def test_read_only_or_strided_lanes_are_refused():
    lanes = rs.lane_state(0)
    lanes.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        rs.vector_normal(lanes, 4)
    with pytest.raises(ValueError, match="writeable C-contiguous"):
        rs.vector_normal(np.asfortranarray(rs.lane_state(0)), 4)
