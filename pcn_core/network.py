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
Boerlin's costs ν and μ are dimensionless here in the sense that ``ν λ_d`` and
``μ λ_d²`` carry the units of ``x``² (:mod:`pcn_core.millivolts` maps voltages
to mV).

References
----------
.. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
   variables in balanced spiking networks. PLoS Comput Biol 9:e1003258,
   Eqns. (6)-(11).
.. [2] Koren V, Denève S (2017). Computational account of spontaneous activity
   as a signature of predictive coding. PLoS Comput Biol 13:e1005355,
   Methods §1.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import validation

# rows per strip when Ω_f's upper triangle is mirrored onto the lower one
_MIRROR_BLOCK = 256


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

    A frozen dataclass: the constructor does not validate or derive anything,
    so use the two builders, which check the arguments and compute
    ``thresholds``, ``self_reset`` and (optionally) ``fast_weights``.

    Attributes
    ----------
    decoder : (J, N) float ndarray
        Read-out kernels Γ (column i is neuron i's kernel), units of x per spike.
    A : (J, J) float ndarray
        State-transition matrix of the target dynamics (Hz).
    decoder_leak : float
        λ_d (Hz), > 0.
    membrane_leak : float
        λ_V (Hz), >= 0.
    linear_cost : float
        ν >= 0 (Boerlin's convention).
    quadratic_cost : float
        μ >= 0 (Boerlin's convention).
    thresholds : (N,) float ndarray
        Firing thresholds ``T_i = (ν λ_d + μ λ_d² + ‖Γ_i‖²) / 2`` (units of x²).
    self_reset : (N,) float ndarray
        ``-Ω_f[i, i] = ‖Γ_i‖² + μ λ_d²``, the voltage drop after a spike (units of x²).
    fast_weights : (N, N) float ndarray or None
        Ω_f if a dense matrix was requested, else None (the low-rank form
        ``-(ΓᵀΓ + μ λ_d² I)`` is applied in O(N·J) without storing it).

    See Also
    --------
    boerlin_network, koren_network : the builders.
    pcn_core.simulation.simulate : runs the network.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqns. (6)-(11).

    Examples
    --------
    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> net.n_neurons, net.n_variables
    (4, 1)
    >>> net.thresholds, net.self_reset
    (array([0.005, 0.005, 0.005, 0.005]), array([0.01, 0.01, 0.01, 0.01]))
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
        """Number of neurons N (columns of ``decoder``)."""
        return self.decoder.shape[1]

    @property
    def n_variables(self) -> int:
        """Number of encoded variables J (rows of ``decoder``)."""
        return self.decoder.shape[0]

    @property
    def slow_matrix(self) -> np.ndarray:
        """``A + λ_d I`` (J×J): the slow input to neuron i is ``Γ_iᵀ (A + λ_d I) x̂``."""
        return self.A + self.decoder_leak * np.eye(self.n_variables)

    def dense_fast_weights(self) -> np.ndarray:
        """Ω_f = -(ΓᵀΓ + μ λ_d² I) as an N×N matrix (or the stored one).

        Returns
        -------
        (N, N) float ndarray
            Fast weights (units of x²): entry ``[i, j]`` is the jump of neuron
            i's voltage at a spike of neuron j; the diagonal is ``-self_reset``.
            A new array, unless the network stores ``fast_weights`` (built with
            ``dense=True``): then a read-only view of it, so that writing into
            the result cannot change the network (copy it to modify it).
            Exactly symmetric; building it allocates one N×N array and no
            other N×N temporary.

        References
        ----------
        .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqn. (10).
        """
        if self.fast_weights is not None:
            stored = self.fast_weights.view()
            stored.flags.writeable = False
            return stored
        weights = self.decoder.T @ self.decoder   # the only N×N array built
        # Exactly symmetric, whatever the BLAS does with the two halves: the simulator
        # then reads column j as row j of this matrix (contiguous, no transposed copy).
        # Strips of _MIRROR_BLOCK rows keep the temporaries small.
        n = self.n_neurons
        for start in range(0, n, _MIRROR_BLOCK):
            stop = min(start + _MIRROR_BLOCK, n)
            weights[stop:, start:stop] = weights[start:stop, stop:].T
        weights[np.diag_indices(n)] += self.quadratic_cost * self.decoder_leak ** 2
        return np.negative(weights, out=weights)

    def slow_weights(self, rows=None) -> np.ndarray:
        """Ω_s = Γᵀ (A + λ_d I) Γ: the N×N matrix (for inspection and plots), or only
        its ``rows`` (integer neuron indices; an (n_rows, N) array, no N×N temporary).

        Parameters
        ----------
        rows : int or array_like of int, optional
            Neuron indices in [0, N - 1] (postsynaptic neurons); default: all.

        Returns
        -------
        (n_rows, N) float ndarray
            Slow weights (units of x² per s): entry ``[i, j]`` multiplies the
            filtered spike train ``r_j`` in neuron i's voltage equation.

        Raises
        ------
        TypeError
            If ``rows`` are not integers.
        ValueError
            If a row index is out of range.

        References
        ----------
        .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqn. (11).
        """
        left = self.decoder if rows is None else self.decoder[:, validation.indices(rows, self.n_neurons, "rows")]
        return left.T @ (self.slow_matrix @ self.decoder)

    def fast_weight(self, i: int, j: int) -> float:
        """Ω_f[i, j] = −(Γ_iᵀΓ_j + μ λ_d² δ_ij) without building Ω_f.

        Parameters
        ----------
        i, j : int
            Postsynaptic and presynaptic neuron, integers in [0, N - 1].

        Returns
        -------
        float
            The fast weight (units of x²).

        Raises
        ------
        TypeError
            If ``i`` or ``j`` is not an integer.
        ValueError
            If ``i`` or ``j`` is out of range.
        """
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
        When λ_V = λ_d the slow term is its limit ``Ω_s[i,j] t e^{-λ_d t}``.

        Parameters
        ----------
        i, j : int
            Postsynaptic and presynaptic neuron, integers in [0, N - 1].
        t : float or array_like
            Times after the spike (s), >= 0.

        Returns
        -------
        float ndarray, shape of ``t``
            The PSP (units of x²).

        Raises
        ------
        ValueError
            If a time is negative, or ``i`` or ``j`` is out of range.
        TypeError
            If ``i`` or ``j`` is not an integer.

        References
        ----------
        .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqn. (8) and the effective PSPs of Fig. 1B.
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

    Thresholds ``T_i = (ν λ_d + μ λ_d² + ‖Γ_i‖²) / 2`` and self-resets
    ``‖Γ_i‖² + μ λ_d²``; fast weights ``Ω_f = -(ΓᵀΓ + μ λ_d² I)`` and slow
    weights ``Ω_s = Γᵀ (A + λ_d I) Γ`` follow from Γ, A and the costs (module
    docstring).

    Parameters
    ----------
    decoder : array_like, shape (J, N)
        Kernels Γ, in units of x per spike; finite, every column with a
        nonzero entry.
    A : array_like, shape (J, J)
        State-transition matrix, Hz, finite (use ``[[0]]`` for a perfect
        integrator, ``[[-λ_s]]`` for a leaky one).
    decoder_leak : float
        λ_d > 0, Hz.
    membrane_leak : float
        λ_V >= 0, Hz.
    linear_cost : float
        ν >= 0 (dimensionless, as in the paper).
    quadratic_cost : float
        μ >= 0 (dimensionless, as in the paper).
    dense : bool
        Store Ω_f as an N×N matrix (default: apply its low-rank form).

    Returns
    -------
    Network
        The network, with ``thresholds``, ``self_reset`` and, if ``dense``,
        ``fast_weights``.

    Raises
    ------
    ValueError
        If ``decoder`` or ``A`` is not a finite 2-D array, ``decoder`` is empty
        or has an all-zero column, ``A`` is not (J, J), ``decoder_leak <= 0``,
        or ``membrane_leak`` or a cost is negative or not finite.

    See Also
    --------
    koren_network : the special case ``A = -λ I``.
    homogeneous_kernels, sparse_random_kernels, normalized_random_kernels : decoders.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Eqns. (7), (10), (11).

    Examples
    --------
    A perfect integrator with four neurons, kernels ±0.1:
    ``T = (ν λ_d + μ λ_d² + 0.1²) / 2 = (0.1 + 0.1 + 0.01) / 2``, and a spike
    inhibits same-sign neurons and excites opposite-sign ones by ``0.1² = 0.01``.

    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0, linear_cost=0.01, quadratic_cost=0.001, dense=True)
    >>> net.thresholds
    array([0.105, 0.105, 0.105, 0.105])
    >>> np.round(net.fast_weights, 3)
    array([[-0.11, -0.01,  0.01,  0.01],
           [-0.01, -0.11,  0.01,  0.01],
           [ 0.01,  0.01, -0.11, -0.01],
           [ 0.01,  0.01, -0.01, -0.11]])

    The effective PSP of a same-sign neuron (fast inhibition, then slow
    excitation) integrates to zero for the perfect integrator without costs:

    >>> from scipy.integrate import quad
    >>> net = boerlin_network(homogeneous_kernels(4, 0.1), [[0.0]], decoder_leak=10.0,
    ...                       membrane_leak=20.0)
    >>> np.round(net.effective_psp(0, 1, [0.0, 0.05, 0.1]), 4)
    array([-0.01  , -0.0013,  0.001 ])
    >>> round(quad(lambda t: float(net.effective_psp(0, 1, t)), 0, np.inf)[0], 9)
    0.0
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
    weights : array_like, shape (J, N)
        Decoding weights w (units of x per spike); finite, no all-zero column.
    leak : float
        λ > 0, Hz: signal leak, decoder leak and membrane leak.
    linear_cost, quadratic_cost : float
        ν, μ >= 0 in Koren's convention (they enter the threshold and reset
        directly; Boerlin's are ν/λ and μ/λ², which the returned network stores).
    dense : bool
        Store Ω_f as an N×N matrix (default: apply its low-rank form).

    Returns
    -------
    Network
        The network (``A = -λ I``, ``decoder_leak = membrane_leak = λ``, so no
        slow connections).

    Raises
    ------
    ValueError
        If ``leak <= 0``, a cost is negative or not finite, or ``weights`` is
        not a finite (J, N) array with a nonzero entry in every column.

    See Also
    --------
    boerlin_network : the general case.

    References
    ----------
    .. [1] Koren V, Denève S (2017). Computational account of spontaneous activity
       as a signature of predictive coding. PLoS Comput Biol 13:e1005355, Methods §1
       (equations restated in shared/MODEL.md §2).

    Examples
    --------
    Two neurons with opposite weights: ``T = (‖w_i‖² + ν + μ) / 2`` and the
    reset ``‖w_i‖² + μ``.

    >>> net = koren_network([[1.0, -1.0]], leak=10.0, linear_cost=0.5, quadratic_cost=0.2)
    >>> net.thresholds, net.self_reset
    (array([0.85, 0.85]), array([1.2, 1.2]))
    >>> net.dense_fast_weights()
    array([[-1.2,  1. ],
           [ 1. , -1.2]])
    >>> print(net.linear_cost, net.quadratic_cost)   # Boerlin's ν/λ and μ/λ²
    0.05 0.002
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
    """(1, N) kernels for a scalar variable: first half ``+kernel``, second half ``-kernel``.

    The homogeneous network of Boerlin et al. (2013), Fig. 1C-D.

    Parameters
    ----------
    n_neurons : int
        N, even and >= 2.
    kernel : float
        Kernel magnitude γ > 0 (units of x per spike).

    Returns
    -------
    (1, N) float ndarray
        ``+kernel`` for neurons ``0 .. N/2 - 1``, ``-kernel`` for the others.

    Raises
    ------
    TypeError
        If ``n_neurons`` is not an integer (floats and bools are refused).
    ValueError
        If ``n_neurons`` is odd or < 2, or ``kernel`` is not > 0.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 1C-D.

    Examples
    --------
    >>> homogeneous_kernels(4, 0.1)
    array([[ 0.1,  0.1, -0.1, -0.1]])
    """
    n_neurons = validation.count(n_neurons, "n_neurons", low=2)
    if n_neurons % 2:
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

    Parameters
    ----------
    n_neurons : int
        N, even and >= 2.
    n_copies : int
        J >= 1, copies of the variable.
    connection_probability : float
        Probability in (0, 1] that an entry is nonzero.
    low, high : float
        Range of the magnitudes (units of x per spike), ``0 <= low <= high``,
        ``high > 0``.
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draws (see :func:`pcn_core.validation.rng`).

    Returns
    -------
    (J, N) float ndarray
        Kernels, ``>= 0`` in columns ``0 .. N/2 - 1`` and ``<= 0`` in the
        others, every column with a nonzero entry.

    Raises
    ------
    ValueError
        If ``n_neurons`` is odd or < 2, ``n_copies < 1``, the probability is
        outside (0, 1] or the magnitude range is invalid.
    TypeError
        If ``n_neurons`` or ``n_copies`` is not an integer (floats and bools
        are refused), or ``seed`` is not a valid seed.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 2B
       (inhomogeneous network) and Figs. 3-4.

    Examples
    --------
    >>> kernels = sparse_random_kernels(6, 3, connection_probability=0.7, low=0.06, high=0.1, seed=0)
    >>> kernels.shape
    (3, 6)
    >>> bool(np.all(kernels[:, :3] >= 0) and np.all(kernels[:, 3:] <= 0))
    True
    >>> bool(np.all(np.abs(kernels).max(axis=0) >= 0.06))   # no silent neuron
    True
    """
    n_neurons = validation.count(n_neurons, "n_neurons", low=2)
    if n_neurons % 2:
        raise ValueError(f"n_neurons must be an even number >= 2, got {n_neurons}")
    n_copies = validation.count(n_copies, "n_copies")
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
    scaled to Euclidean norm ``norm`` (Boerlin et al. 2013, Figs 5-6).

    Parameters
    ----------
    n_variables : int
        J >= 1.
    n_neurons : int
        N >= 1.
    norm : float
        Norm of every kernel ``‖Γ_i‖`` > 0 (units of x per spike).
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Source of the draws (see :func:`pcn_core.validation.rng`).

    Returns
    -------
    (J, N) float ndarray
        Kernels with isotropic random directions and equal norms.

    Raises
    ------
    ValueError
        If ``n_variables`` or ``n_neurons`` is < 1, or ``norm`` is not > 0.
    TypeError
        If ``n_variables`` or ``n_neurons`` is not an integer (floats and bools
        are refused), or ``seed`` is not a valid seed.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9:e1003258, Fig. 6
       caption ("drawing each coordinate from a normal distribution and
       normalizing the vectors to a constant norm"); also used for Fig. 5.

    Examples
    --------
    >>> kernels = normalized_random_kernels(2, 5, norm=0.03, seed=0)
    >>> kernels.shape
    (2, 5)
    >>> np.round(np.linalg.norm(kernels, axis=0), 3)
    array([0.03, 0.03, 0.03, 0.03, 0.03])
    """
    n_variables = validation.count(n_variables, "n_variables")
    n_neurons = validation.count(n_neurons, "n_neurons")
    if not norm > 0:
        raise ValueError(f"norm must be > 0, got {norm}")
    rng = validation.rng(seed)
    kernels = rng.standard_normal((n_variables, n_neurons))
    return norm * kernels / np.linalg.norm(kernels, axis=0)
