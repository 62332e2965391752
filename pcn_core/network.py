"""Spike-coding networks derived from a linear dynamical system (MODEL.md §1-2).

Boerlin, Machens & Denève (2013): the network tracks ``dx/dt = A x + c(t)``
with read-out ``dx̂/dt = -λ_d x̂ + Γ o(t)``. Greedy minimisation of
``‖x - x̂‖² + ν‖r‖₁ + μ‖r‖₂²`` gives leaky integrate-and-fire neurons with

    threshold_i   T_i = (ν λ_d + μ λ_d² + ‖Γ_i‖²) / 2
    fast weights  Ω_f = -(ΓᵀΓ + μ λ_d² I)          (instantaneous, incl. self-reset)
    slow weights  Ω_s = Γᵀ (A + λ_d I) Γ           (through r, dr/dt = -λ_d r + o)

Koren & Denève (2017) is the special case ``A = -λ I``, ``λ_d = λ`` (no slow
connections) written with costs ν_K = ν λ_d and μ_K = μ λ_d², so that
``T_i = (‖w_i‖² + ν_K + μ_K)/2`` and ``Ω_f = -(wᵀw + μ_K I)``;
:func:`koren_network` builds it from those costs.

Units: rates and leaks in Hz (1/s); ``Γ`` in units of ``x`` per spike;
voltages in units of ``x``² (the paper's dimensionless prediction error).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import validation


def _finite_array(value, name: str, ndim: int) -> np.ndarray:
    arr = np.array(value, dtype=float)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def _non_negative(value, name: str, unit: str = "") -> float:
    value = float(value)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0{unit}, got {value}")
    return value


@dataclass(frozen=True)
class Network:
    """A spike-coding network (build it with :func:`boerlin_network` or :func:`koren_network`).

    Attributes
    ----------
    decoder : (J, N) read-out kernels Γ (column i is neuron i's kernel)
    A : (J, J) state-transition matrix of the target dynamics (Hz)
    decoder_leak : λ_d (Hz); membrane_leak : λ_V (Hz)
    linear_cost : ν; quadratic_cost : μ (Boerlin's convention)
    thresholds : (N,) firing thresholds T_i
    self_reset : (N,) -Ω_f[i, i] = ‖Γ_i‖² + μ λ_d², the voltage drop after a spike
    fast_weights : (N, N) Ω_f if a dense matrix was requested, else None (the
        low-rank form -(ΓᵀΓ + μ λ_d² I) is applied in O(N·J) without storing it)
    """
    decoder: np.ndarray
    A: np.ndarray
    decoder_leak: float
    membrane_leak: float
    linear_cost: float
    quadratic_cost: float
    thresholds: np.ndarray = field(repr=False)
    self_reset: np.ndarray = field(repr=False)
    fast_weights: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_neurons(self) -> int:
        return self.decoder.shape[1]

    @property
    def n_variables(self) -> int:
        return self.decoder.shape[0]

    @property
    def slow_matrix(self) -> np.ndarray:
        """``A + λ_d I`` (J×J): the slow input to neuron i is ``Γ_iᵀ (A + λ_d I) x̂``."""
        return self.A + self.decoder_leak * np.eye(self.n_variables)

    def dense_fast_weights(self) -> np.ndarray:
        """Ω_f = -(ΓᵀΓ + μ λ_d² I) as an N×N matrix (or the stored one)."""
        if self.fast_weights is not None:
            return self.fast_weights
        weights = self.decoder.T @ self.decoder   # the only N×N array built
        weights[np.diag_indices(self.n_neurons)] += self.quadratic_cost * self.decoder_leak ** 2
        return np.negative(weights, out=weights)

    def slow_weights(self, rows=None) -> np.ndarray:
        """Ω_s = Γᵀ (A + λ_d I) Γ: the N×N matrix (for inspection and plots), or only
        its ``rows`` (integer neuron indices; an (n_rows, N) array, no N×N temporary)."""
        left = self.decoder if rows is None else self.decoder[:, validation.indices(rows, self.n_neurons, "rows")]
        return left.T @ (self.slow_matrix @ self.decoder)

    def fast_weight(self, i: int, j: int) -> float:
        """Ω_f[i, j] = −(Γ_iᵀΓ_j + μ λ_d² δ_ij) without building Ω_f."""
        i, j = validation.indices([i, j], self.n_neurons, "(i, j)")
        if self.fast_weights is not None:
            return float(self.fast_weights[i, j])
        diagonal = self.quadratic_cost * self.decoder_leak ** 2 if i == j else 0.0
        return -float(self.decoder[:, i] @ self.decoder[:, j] + diagonal)

    def effective_psp(self, i: int, j: int, t) -> np.ndarray:
        """Effective PSP (voltage, units of x²) in neuron ``i`` at times ``t >= 0`` (s)
        after one spike of neuron ``j`` at t = 0, from integrating Eqn. (8):

            PSP(t) = Ω_f[i,j] e^{-λ_V t} + Ω_s[i,j] (e^{-λ_d t} - e^{-λ_V t}) / (λ_V - λ_d)

        the fast jump decaying with the membrane leak plus the slow input carried
        by r_j(t) = e^{-λ_d t} and filtered by the membrane. For the perfect
        integrator (A = 0, μ = 0) its time integral is exactly zero.
        """
        t = np.asarray(t, dtype=float)
        if np.any(t < 0):
            raise ValueError("t must be >= 0 s")
        lam_v, lam_d = self.membrane_leak, self.decoder_leak
        fast = self.fast_weight(i, j)
        slow = self.decoder[:, i] @ self.slow_matrix @ self.decoder[:, j]
        if np.isclose(lam_v, lam_d):
            slow_part = t * np.exp(-lam_d * t)
        else:
            slow_part = (np.exp(-lam_d * t) - np.exp(-lam_v * t)) / (lam_v - lam_d)
        return fast * np.exp(-lam_v * t) + slow * slow_part


def boerlin_network(decoder, A, *, decoder_leak: float, membrane_leak: float,
                    linear_cost: float = 0.0, quadratic_cost: float = 0.0,
                    dense: bool = False) -> Network:
    """Build the Boerlin et al. (2013) network for ``dx/dt = A x + c``.

    Parameters
    ----------
    decoder : (J, N) kernels Γ, in units of x per spike
    A : (J, J) state-transition matrix, Hz (use ``[[0]]`` for a perfect integrator,
        ``[[-λ_s]]`` for a leaky one)
    decoder_leak : λ_d > 0, Hz; membrane_leak : λ_V >= 0, Hz
    linear_cost : ν >= 0; quadratic_cost : μ >= 0 (dimensionless, as in the paper)
    dense : store Ω_f as an N×N matrix (default: apply its low-rank form)
    """
    decoder = _finite_array(decoder, "decoder", 2)
    J, N = decoder.shape
    if J < 1 or N < 1:
        raise ValueError(f"decoder must be non-empty (J, N), got shape {decoder.shape}")
    silent = np.flatnonzero(~np.any(decoder != 0, axis=0))
    if silent.size:
        raise ValueError(f"decoder columns {silent[:10].tolist()} are all zero: those neurons' spikes would change "
                         f"nothing in the read-out (every kernel needs a nonzero entry)")
    A = _finite_array(A, "A", 2)
    if A.shape != (J, J):
        raise ValueError(f"A must be (J, J) = ({J}, {J}) to match decoder, got {A.shape}")
    decoder_leak = _non_negative(decoder_leak, "decoder_leak", " Hz")
    if decoder_leak == 0:
        raise ValueError("decoder_leak must be > 0 Hz (the read-out needs a finite time constant)")
    membrane_leak = _non_negative(membrane_leak, "membrane_leak", " Hz")
    linear_cost = _non_negative(linear_cost, "linear_cost")
    quadratic_cost = _non_negative(quadratic_cost, "quadratic_cost")
    norms = np.sum(decoder ** 2, axis=0)
    thresholds = 0.5 * (linear_cost * decoder_leak + quadratic_cost * decoder_leak ** 2 + norms)
    self_reset = norms + quadratic_cost * decoder_leak ** 2
    net = Network(decoder=decoder, A=A, decoder_leak=decoder_leak, membrane_leak=membrane_leak,
                  linear_cost=linear_cost, quadratic_cost=quadratic_cost,
                  thresholds=thresholds, self_reset=self_reset)
    if dense:
        object.__setattr__(net, "fast_weights", net.dense_fast_weights())
    return net


def koren_network(weights, *, leak: float, linear_cost: float = 0.0, quadratic_cost: float = 0.0,
                  dense: bool = False) -> Network:
    """Build the Koren & Denève (2017) network: signal and read-out share one leak.

    ``dx/dt = -λ x + s``, ``x̂ = w r``, ``T_i = (‖w_i‖² + ν + μ)/2``,
    ``Ω_f = -(wᵀw + μ I)``, no slow connections, membrane leak λ.

    Parameters
    ----------
    weights : (J, N) decoding weights w
    leak : λ > 0, Hz
    linear_cost, quadratic_cost : ν, μ >= 0 in Koren's convention (they enter the
        threshold and reset directly; Boerlin's are ν/λ and μ/λ²)
    """
    leak = _non_negative(leak, "leak", " Hz")
    if leak == 0:
        raise ValueError("leak must be > 0 Hz")
    weights = _finite_array(weights, "weights", 2)
    J = weights.shape[0]
    return boerlin_network(weights, -leak * np.eye(J), decoder_leak=leak, membrane_leak=leak,
                           linear_cost=_non_negative(linear_cost, "linear_cost") / leak,
                           quadratic_cost=_non_negative(quadratic_cost, "quadratic_cost") / leak ** 2,
                           dense=dense)


def homogeneous_kernels(n_neurons: int, kernel: float) -> np.ndarray:
    """(1, N) kernels for a scalar variable: first half ``+kernel``, second half ``-kernel``."""
    if n_neurons < 2 or n_neurons % 2:
        raise ValueError(f"n_neurons must be an even number >= 2, got {n_neurons}")
    if not kernel > 0:
        raise ValueError(f"kernel must be > 0, got {kernel}")
    return np.concatenate([np.full(n_neurons // 2, kernel), np.full(n_neurons // 2, -kernel)])[None, :]


def sparse_random_kernels(n_neurons: int, n_copies: int, *, connection_probability: float,
                          low: float, high: float, seed=None) -> np.ndarray:
    """(J, N) kernels of the inhomogeneous network (Boerlin et al. 2013, Figs 2B-4):
    J copies of one variable; entry (j, i) is uniform in [low, high] with
    probability ``connection_probability`` and 0 otherwise (a neuron left with no
    nonzero entry gets one, drawn uniformly); the first half of the
    neurons have positive kernels, the second half negative ones. The network
    output is the mean of the J copies.
    """
    if n_neurons < 2 or n_neurons % 2:
        raise ValueError(f"n_neurons must be an even number >= 2, got {n_neurons}")
    if n_copies < 1:
        raise ValueError(f"n_copies must be >= 1, got {n_copies}")
    if not 0 < connection_probability <= 1:
        raise ValueError(f"connection_probability must be in (0, 1], got {connection_probability}")
    if not (0 <= low <= high and high > 0):
        raise ValueError(f"need 0 <= low <= high with high > 0, got low={low}, high={high}")
    rng = validation.rng(seed)
    kernels = rng.uniform(low, high, (n_copies, n_neurons)) * (rng.random((n_copies, n_neurons)) < connection_probability)
    # A neuron whose kernel is all zero would fire spikes that change nothing: give
    # each such neuron one entry (drawn only when needed, so other draws are unchanged).
    empty = np.flatnonzero(~np.any(kernels != 0, axis=0))
    if empty.size:
        kernels[rng.integers(0, n_copies, empty.size), empty] = rng.uniform(low, high, empty.size)
    kernels[:, n_neurons // 2:] *= -1
    return kernels


def normalized_random_kernels(n_variables: int, n_neurons: int, norm: float, seed=None) -> np.ndarray:
    """(J, N) kernels drawn from a standard normal distribution, each column then
    scaled to Euclidean norm ``norm`` (Boerlin et al. 2013, Figs 5-6)."""
    if n_variables < 1 or n_neurons < 1:
        raise ValueError(f"n_variables and n_neurons must be >= 1, got {n_variables}, {n_neurons}")
    if not norm > 0:
        raise ValueError(f"norm must be > 0, got {norm}")
    rng = validation.rng(seed)
    kernels = rng.standard_normal((n_variables, n_neurons))
    return norm * kernels / np.linalg.norm(kernels, axis=0)
