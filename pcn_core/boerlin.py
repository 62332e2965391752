"""Set-ups of Boerlin, Machens & Denève (2013) that several figure notebooks share.

The notebooks of Figs 1, 3, 4 and 7 drive a network representing one variable x with
the same kind of input: a stimulus made of two pulses (x rises, then falls) and a
sensory noise that stops when the stimulus stops (:func:`pcn_core.signals.white_noise_until`).
Figs 3 and 4 run the same inhomogeneous network (J copies of x, sparse random kernels)
on the same noisy input; :func:`inhomogeneous_integrator` builds it from one seed, drawing
the kernels first and then the noise, so that both figures (and any later draws from the
same Generator) get the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import network as nw
from . import signals, validation


def two_pulse_stimulus(duration: float, dt: float, amplitude: float, *, second_height: float = -0.5,
                       first: tuple[float, float] = (0.1, 0.5),
                       second: tuple[float, float] = (0.6, 0.8)) -> np.ndarray:
    """Stimulus s(t) of two rectangular pulses: ``amplitude`` on ``first``, then
    ``second_height * amplitude`` on ``second`` (Boerlin et al. 2013, Figs 1, 3, 4, 7).

    Parameters
    ----------
    duration : float
        Length in s, > 0.
    dt : float
        Time step in s, > 0.
    amplitude : float
        Height of the first pulse, units of x per s (any sign).
    second_height : float
        Height of the second pulse relative to the first (default -0.5: x falls back by a quarter
        of its rise when the pulses last 0.4 s and 0.2 s).
    first, second : (float, float)
        Windows ``[start, stop)`` of the pulses, in s.

    Returns
    -------
    (n_steps,) float array
        s(t) on the grid ``dt * arange(round(duration / dt))``, units of x per s.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not positive, a window is not increasing, or a height is not
        finite (from :func:`pcn_core.signals.pulse`).

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Figs 1C-D and 3.

    Examples
    --------
    >>> s = two_pulse_stimulus(1.0, 0.1, 20.0)
    >>> s.tolist()
    [0.0, 20.0, 20.0, 20.0, 20.0, 0.0, -10.0, -10.0, 0.0, 0.0]
    """
    return amplitude * (signals.pulse(duration, dt, *first) + second_height * signals.pulse(duration, dt, *second))


@dataclass(frozen=True)
class IntegratorSetup:
    """A network with its input: kernels, network, stimulus and sensory noise.

    Attributes
    ----------
    kernels : (J, N) float array
        Decoding kernels Γ, units of x per spike.
    network : pcn_core.network.Network
        The network built on ``kernels``.
    stimulus : (n_steps,) float array
        Stimulus s(t), units of x per s.
    sensory_noise : (n_steps,) float array
        Noise added to the stimulus, units of x per s (0 after the input stops).

    Examples
    --------
    >>> kernels = nw.homogeneous_kernels(4, 0.1)
    >>> net = nw.boerlin_network(kernels, [[0.0]], decoder_leak=10.0, membrane_leak=20.0)
    >>> setup = IntegratorSetup(kernels, net, np.ones(3), np.zeros(3))
    >>> setup.command.tolist()   # one column per copy of x
    [[1.0], [1.0], [1.0]]
    """
    kernels: np.ndarray
    network: nw.Network
    stimulus: np.ndarray
    sensory_noise: np.ndarray

    @property
    def command(self) -> np.ndarray:
        """(n_steps, J) command: the noisy stimulus, the same for every copy of x (x per s)."""
        return np.repeat((self.stimulus + self.sensory_noise)[:, None], self.kernels.shape[0], axis=1)


def inhomogeneous_integrator(*, n_neurons: int, n_copies: int, connection_probability: float, kernel_low: float,
                             kernel_high: float, decoder_leak: float, membrane_leak: float, linear_cost: float,
                             quadratic_cost: float, duration: float, dt: float, stimulus_amplitude: float,
                             sensory_noise: float, input_stop: float, seed=None) -> IntegratorSetup:
    """The inhomogeneous perfect integrator of Boerlin et al. (2013) Figs 3-4 and its noisy input.

    ``n_copies`` copies of one variable x (``A = 0``), sparse random kernels
    (:func:`pcn_core.network.sparse_random_kernels`), driven by :func:`two_pulse_stimulus` plus
    sensory noise that stops at ``input_stop`` (:func:`pcn_core.signals.white_noise_until`).
    The draws come from one Generator in a fixed order: the kernels, then the noise; a
    Generator passed as ``seed`` continues its stream afterwards.

    Parameters
    ----------
    n_neurons : int
        N, even, >= 2 (first half positive kernels, second half negative).
    n_copies : int
        J, copies of x, >= 1.
    connection_probability : float
        Probability that a kernel entry is nonzero, in (0, 1].
    kernel_low, kernel_high : float
        Nonzero ``|Γ_ji|`` are uniform in ``[kernel_low, kernel_high]``, units of x per spike.
    decoder_leak : float
        λ_d in Hz, > 0.
    membrane_leak : float
        λ_V in Hz, >= 0.
    linear_cost, quadratic_cost : float
        ν and μ, >= 0 (dimensionless).
    duration : float
        Length of the input in s, > 0.
    dt : float
        Time step in s, > 0.
    stimulus_amplitude : float
        Height of the first stimulus pulse, x per s (any sign).
    sensory_noise : float
        Noise density σ_s, x per √s, >= 0.
    input_stop : float
        Time in s at which the noise stops.
    seed : int, None or np.random.Generator
        Source of every draw.

    Returns
    -------
    IntegratorSetup
        Kernels, network, stimulus and noise; ``.command`` is the ``(n_steps, J)`` input.

    Raises
    ------
    ValueError
        From the kernel, network and signal builders, naming the parameter out of range.
    TypeError
        If ``seed`` is not None, an integer >= 0 or a Generator.

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical variables in
       balanced spiking networks. PLoS Comput Biol 9:e1003258, Figs 3 and 4.

    Examples
    --------
    >>> setup = inhomogeneous_integrator(n_neurons=20, n_copies=3, connection_probability=0.7, kernel_low=0.06,
    ...                                  kernel_high=0.1, decoder_leak=10.0, membrane_leak=20.0, linear_cost=1e-5,
    ...                                  quadratic_cost=1e-6, duration=1.0, dt=1e-3, stimulus_amplitude=20.0,
    ...                                  sensory_noise=1.0, input_stop=0.5, seed=0)
    >>> setup.kernels.shape, setup.command.shape
    ((3, 20), (1000, 3))
    >>> bool(np.all(setup.sensory_noise[500:] == 0))
    True
    """
    rng = validation.rng(seed)
    kernels = nw.sparse_random_kernels(n_neurons, n_copies, connection_probability=connection_probability,
                                       low=kernel_low, high=kernel_high, seed=rng)
    stimulus = two_pulse_stimulus(duration, dt, stimulus_amplitude)
    noise = signals.white_noise_until(duration, dt, sensory_noise, input_stop, seed=rng)
    network = nw.boerlin_network(kernels, np.zeros((n_copies, n_copies)), decoder_leak=decoder_leak,
                                 membrane_leak=membrane_leak, linear_cost=linear_cost, quadratic_cost=quadratic_cost)
    return IntegratorSetup(kernels, network, stimulus, noise)
