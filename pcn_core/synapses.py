"""Unreliable synaptic drive of a leaky integrate-and-fire neuron (Zador 1998).

``A`` afferent axons fire as independent Poisson processes at rate ``F_in``.
Each axon makes ``N_r`` functional contacts (``contacts_per_axon``), all
activated by the same axon spike; each contact releases independently with
probability ``P_r`` (``release_probability``), and each release injects a very
brief current whose charge varies from release to release (quantal
variability: gamma distributed with mean 1 and coefficient of variation
``quantal_cv``). The mean number of releases per second is held fixed,

    S_net = A · N_r · F_in · P_r,

so lowering ``N_r`` or ``P_r`` raises the axon spike rate ``A · F_in``.

Time is discrete with step ``dt`` (s), as in the paper: the *signal* is the
number of axon spikes in each step (which axon fired does not change the
current, since all axons are alike), the *noise* is which contacts release and
how large each quantum is. A release of unit quantal size raises the membrane
potential instantaneously by ``epsp_size`` (mV); between steps the potential
relaxes towards rest with time constant ``tau``. This is exactly
:func:`pcn_core.lif.simulate_lif` with a drive of ``epsp · q / (1 - exp(-dt/tau))``
mV in the step of the release (see :func:`synaptic_drive`); the first-passage
kernels below run the same update without building the drive array, because
the information estimates need millions of intervals.

Because the EPSCs are instantaneous, the inputs Poisson and the neuron is
reset after each spike, successive interspike intervals are independent: the
ISI distribution is the distribution of the first spike time after a reset,
and the ISI given the input is the first spike time given the input spikes
that follow the reset (the "frozen" input of the paper's direct method).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from . import validation

#: Neuron parameters used unless overridden (mV and s), the defaults of ``simulate_lif``.
DEFAULT_NEURON = {"tau": 0.02, "v_rest": -70.0, "v_reset": -70.0, "v_thresh": -55.0}


@dataclass(frozen=True)
class ZadorModel:
    """The neuron, synapses and time bin shared by every Zador (1998) figure.

    One place for the model of the Zador notebooks (Figs 1-5), which vary only
    the synaptic settings (``S_net``, ``N_r``, ``P_r``) and their sample sizes.
    Change it with :meth:`replace`, e.g. ``ZADOR_1998.replace(quantal_cv=0.3)``.

    Attributes
    ----------
    tau : float
        Membrane time constant (s), > 0. The paper's value is not legible; 20 ms
        is a common choice.
    v_rest, v_reset, v_thresh : float
        Resting, reset and threshold potentials (mV), ``v_reset < v_thresh``; the
        paper's values are not legible (-70, -70, -55 mV are common choices).
    epsp_size : float
        Depolarisation (mV) of one release of mean quantal size, > 0. Calibrated
        (our Fig 2): 0.43 mV makes ``S_net = 2400`` Hz drive the neuron at 40 Hz,
        as the paper states.
    quantal_cv : float
        Coefficient of variation of the quantal size, >= 0. Not legible in the
        paper; calibrated (our Fig 2) so that about 3/4 of the spike entropy is
        information at ~4 Hz.
    resolution : float
        Time bin Δt (s) of the spike times and the simulation step of the
        information estimates (Figs 2-5), > 0. Not legible in the paper;
        calibrated (our Fig 2) for the paper's ~8 bits of total entropy per spike
        at 4 Hz (the Poisson bound is 9.4 bits at 1 ms and 8.4 bits at 2 ms).

    Raises
    ------
    ValueError
        If a value is not finite or outside the ranges above (naming it).
    TypeError
        If a value is not a real number.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229, Methods
       ("Model of synaptic drive", "Direct method") and Discussion (40 Hz at
       ``S_net = 2400`` Hz).

    Examples
    --------
    >>> from pcn_core.synapses import ZADOR_1998
    >>> ZADOR_1998.neuron
    {'tau': 0.02, 'v_rest': -70.0, 'v_reset': -70.0, 'v_thresh': -55.0}
    >>> ZADOR_1998.synapses(2400.0, 1, 0.5).axon_rate
    4800.0
    >>> ZADOR_1998.replace(quantal_cv=0.5).quantal_cv
    0.5
    """
    tau: float = 0.02
    v_rest: float = -70.0
    v_reset: float = -70.0
    v_thresh: float = -55.0
    epsp_size: float = 0.43
    quantal_cv: float = 0.22
    resolution: float = 2e-3

    def __post_init__(self):
        validation.real(self.tau, "tau", low=0.0, low_open=True, unit="s")
        for name in ("v_rest", "v_reset", "v_thresh"):
            validation.real(getattr(self, name), name, unit="mV")
        if not self.v_reset < self.v_thresh:
            raise ValueError(f"v_reset ({self.v_reset} mV) must be below v_thresh ({self.v_thresh} mV)")
        validation.real(self.epsp_size, "epsp_size", low=0.0, low_open=True, unit="mV")
        validation.real(self.quantal_cv, "quantal_cv", low=0.0)
        validation.real(self.resolution, "resolution", low=0.0, low_open=True, unit="s")

    def replace(self, **changes) -> "ZadorModel":
        """A copy with some fields changed (checked like the original).

        Parameters
        ----------
        **changes : float
            New values of fields named as the attributes.

        Returns
        -------
        ZadorModel
            The changed model.

        Raises
        ------
        TypeError
            If a name is not a field.
        ValueError
            If a new value is out of range.
        """
        import dataclasses

        return dataclasses.replace(self, **changes)

    @property
    def neuron(self) -> dict:
        """The ``neuron`` argument of the first-passage functions: tau (s) and potentials (mV)."""
        return {"tau": self.tau, "v_rest": self.v_rest, "v_reset": self.v_reset, "v_thresh": self.v_thresh}

    def synapses(self, net_release_rate: float, contacts_per_axon: int = 1,
                 release_probability: float = 1.0) -> "Synapses":
        """The :class:`Synapses` of one setting (S_net in Hz, N_r, P_r) with this model's quanta.

        Parameters
        ----------
        net_release_rate : float
            ``S_net`` (Hz), > 0.
        contacts_per_axon : int, optional
            ``N_r`` >= 1.
        release_probability : float, optional
            ``P_r`` in (0, 1].

        Returns
        -------
        Synapses
            With this model's ``quantal_cv`` and ``epsp_size``.
        """
        return Synapses(net_release_rate, contacts_per_axon, release_probability, self.quantal_cv, self.epsp_size)

    def estimate_options(self, *, n_intervals: int, n_inputs: int, n_trials: int, sample_scale: float = 1.0,
                         seed=None) -> dict:
        """Keyword arguments of :func:`transmitted_information` and :func:`information_table`.

        The sample sizes are scaled by a notebook preset: intervals and frozen
        inputs by ``sample_scale``, the replays of each frozen input by its
        square root (rounded down).

        Parameters
        ----------
        n_intervals, n_inputs, n_trials : int
            Sample sizes at ``sample_scale = 1``: ISIs with fresh inputs (for the
            total entropy), frozen inputs, and replays of each (for the noise
            entropy); each >= 1 after scaling.
        sample_scale : float, optional
            Factor > 0 of the preset.
        seed : int, None or np.random.Generator
            Source of the draws, passed on (a Generator continues its stream).

        Returns
        -------
        dict
            ``quantal_cv``, ``epsp_size``, ``dt`` (= ``resolution``), ``neuron``,
            the three scaled sample sizes and ``seed``.

        Raises
        ------
        ValueError
            If ``sample_scale`` is not > 0 or a scaled size falls below 1.
        TypeError
            If a size is not an integer.

        Examples
        --------
        >>> from pcn_core.synapses import ZADOR_1998
        >>> options = ZADOR_1998.estimate_options(n_intervals=20000, n_inputs=100, n_trials=400,
        ...                                       sample_scale=0.25, seed=0)
        >>> options["n_intervals"], options["n_inputs"], options["n_trials"], options["dt"]
        (5000, 25, 200, 0.002)
        """
        scale = validation.real(sample_scale, "sample_scale", low=0.0, low_open=True)
        sizes = {}
        for name, value, factor in (("n_intervals", n_intervals, scale), ("n_inputs", n_inputs, scale),
                                    ("n_trials", n_trials, scale ** 0.5)):
            sizes[name] = validation.count(int(validation.count(value, name) * factor), f"{name} × scale")
        return dict(quantal_cv=self.quantal_cv, epsp_size=self.epsp_size, dt=self.resolution, seed=seed,
                    neuron=self.neuron, **sizes)


#: The model of every Zador (1998) notebook (see :class:`ZadorModel`).
ZADOR_1998 = ZadorModel()

#: ``sample_scale`` of :meth:`ZadorModel.estimate_options` at each notebook preset
#: (``notebook.by_preset(preset, **ZADOR_SAMPLE_SCALE)``). The paper does not state its
#: sample sizes, so ``"paper"`` takes 4x ours, not the paper's (unknown) statistics.
ZADOR_SAMPLE_SCALE = {"quick": 0.25, "default": 1.0, "paper": 4.0}


@dataclass(frozen=True)
class Synapses:
    """Parameters of the unreliable synaptic drive of the Zador (1998) model.

    ``A`` afferent axons fire as independent Poisson processes at rate ``F_in``;
    each makes ``N_r`` functional contacts, each contact releases independently
    with probability ``P_r``, and each release has a gamma-distributed quantal
    size of mean 1. The net release rate ``S_net = A * N_r * F_in * P_r`` is held
    fixed, so the axon spike rate ``A * F_in`` follows from the other parameters
    (:attr:`axon_rate`).

    Parameters
    ----------
    net_release_rate : float
        ``S_net``: releases per second summed over all contacts, Hz, finite and > 0.
    contacts_per_axon : int, optional
        ``N_r``: functional contacts per axon, integer >= 1 (default 1).
    release_probability : float, optional
        ``P_r``: release probability of each contact, in (0, 1] (default 1).
    quantal_cv : float, optional
        Coefficient of variation of the quantal size, finite and >= 0 (default 0:
        no quantal noise).
    epsp_size : float, optional
        Depolarisation in mV caused by one release of mean quantal size, finite and
        > 0 (default 0.5).

    Raises
    ------
    ValueError
        If a parameter is outside the range given above.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Model of synaptic drive" (Eqs. 2-3 and the net rate ``S_net``).

    Examples
    --------
    Halving the release probability at 5 contacts per axon: the axons must fire
    ``S_net / (N_r * P_r)`` spikes per second in total:

    >>> from pcn_core.synapses import Synapses
    >>> synapses = Synapses(net_release_rate=1000.0, contacts_per_axon=5, release_probability=0.5)
    >>> synapses.axon_rate
    400.0
    """
    net_release_rate: float
    contacts_per_axon: int = 1
    release_probability: float = 1.0
    quantal_cv: float = 0.0
    epsp_size: float = 0.5

    def __post_init__(self):
        if not (np.isfinite(self.net_release_rate) and self.net_release_rate > 0):
            raise ValueError(f"net_release_rate must be a positive rate in Hz, got {self.net_release_rate}")
        if int(self.contacts_per_axon) != self.contacts_per_axon or self.contacts_per_axon < 1:
            raise ValueError(f"contacts_per_axon must be an integer >= 1, got {self.contacts_per_axon}")
        if not (0 < self.release_probability <= 1):
            raise ValueError(f"release_probability must be in (0, 1], got {self.release_probability}")
        if not (np.isfinite(self.quantal_cv) and self.quantal_cv >= 0):
            raise ValueError(f"quantal_cv must be >= 0, got {self.quantal_cv}")
        if not (np.isfinite(self.epsp_size) and self.epsp_size > 0):
            raise ValueError(f"epsp_size must be > 0 mV, got {self.epsp_size}")

    @property
    def axon_rate(self) -> float:
        """``A * F_in = S_net / (N_r * P_r)``: summed spike rate of all afferent axons, Hz."""
        return self.net_release_rate / (self.contacts_per_axon * self.release_probability)

    @property
    def _gamma_shape(self) -> float:
        # gamma quanta with mean 1 and CV c have shape 1/c^2; 0 flags "no quantal noise"
        return 0.0 if self.quantal_cv == 0 else 1.0 / self.quantal_cv ** 2


def _neuron(neuron, dt):
    params = dict(DEFAULT_NEURON)
    if neuron:
        unknown = set(neuron) - set(DEFAULT_NEURON)
        if unknown:
            raise ValueError(f"neuron has unknown parameters {sorted(unknown)}; allowed: {sorted(DEFAULT_NEURON)}")
        params.update(neuron)
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    if not (np.isfinite(params["tau"]) and params["tau"] > 0):
        raise ValueError(f"tau must be a positive number of seconds, got {params['tau']}")
    if dt > 0.1 * params["tau"]:
        raise ValueError(f"dt={dt} s is too large for tau={params['tau']} s: need dt <= tau/10")
    if not params["v_reset"] < params["v_thresh"]:
        raise ValueError(f"v_reset ({params['v_reset']} mV) must be below v_thresh ({params['v_thresh']} mV)")
    return params


def afferent_counts(synapses: Synapses, duration: float, dt: float, *, shape: tuple = (),
                    seed=None) -> np.ndarray:
    r"""Frozen input: number of afferent axon spikes in each time step.

    Counts are Poisson with mean ``A * F_in * dt`` (the axons are alike, so only
    the number of axon spikes per step matters).

    Parameters
    ----------
    synapses : Synapses
        Synaptic parameters (fix the axon rate ``A * F_in``).
    duration : float
        Length of the input in s, finite and > 0.
    dt : float
        Time step in s, finite and > 0.
    shape : tuple of int, optional
        Leading shape, e.g. ``(n_inputs,)`` for several independent frozen inputs
        (default ``()``: one input).
    seed : int, None or np.random.Generator, optional
        Source of the draws.

    Returns
    -------
    (\*shape, round(duration / dt)) int64 array
        Axon spikes in each step.

    Raises
    ------
    ValueError
        If ``duration`` or ``dt`` is not positive and finite.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Examples
    --------
    Three 1 s inputs at ``A * F_in = 1000`` Hz hold about 1000 axon spikes each:

    >>> from pcn_core.synapses import Synapses, afferent_counts
    >>> counts = afferent_counts(Synapses(1000.0), 1.0, 1e-4, shape=(3,), seed=0)
    >>> counts.shape, counts.sum(axis=1)
    ((3, 10000), array([996, 984, 970]))
    """
    if not (np.isfinite(duration) and duration > 0):
        raise ValueError(f"duration must be a positive number of seconds, got {duration}")
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    n = int(round(duration / dt))
    return validation.rng(seed).poisson(synapses.axon_rate * dt, size=(*tuple(shape), n))


def release_amplitudes(counts, synapses: Synapses, n_trials: int, *, seed=None) -> np.ndarray:
    """Summed quantal amplitudes released in each step, one row per trial.

    Every trial sees the same frozen axon spikes ``counts`` and draws fresh
    release failures (binomial over ``counts * N_r`` contacts with probability
    ``P_r``) and quantal sizes (the sum of ``n`` gamma quanta of mean 1 and
    coefficient of variation ``cv`` is one gamma of shape ``n / cv**2``).

    Parameters
    ----------
    counts : (n_steps,) int array
        Frozen axon spikes per step, non-negative integers (as from :func:`afferent_counts`).
    synapses : Synapses
        Synaptic parameters.
    n_trials : int
        Number of trials, integer >= 1.
    seed : int, None or np.random.Generator, optional
        Source of the failures and quanta.

    Returns
    -------
    (n_trials, n_steps) float array
        Released amplitude per step, in units of the mean quantum.

    Raises
    ------
    ValueError
        If ``counts`` is not a non-empty 1-D array of non-negative integers (integer
        dtype), or ``n_trials`` is not an integer >= 1.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Model of synaptic drive" (Eqs. 2-3).

    Examples
    --------
    Reliable contacts without quantal noise release exactly ``N_r`` quanta per axon
    spike on every trial:

    >>> import numpy as np
    >>> from pcn_core.synapses import Synapses, release_amplitudes
    >>> release_amplitudes(np.array([0, 1, 3]), Synapses(1000.0, contacts_per_axon=2), 2, seed=0)
    array([[0., 2., 6.],
           [0., 2., 6.]])
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0 or np.any(counts < 0) or not np.issubdtype(counts.dtype, np.integer):
        raise ValueError("counts must be a non-empty 1-D array of non-negative integers (axon spikes per step)")
    if int(n_trials) != n_trials or n_trials < 1:
        raise ValueError(f"n_trials must be an integer >= 1, got {n_trials}")
    rng = validation.rng(seed)
    contacts = np.broadcast_to(counts * synapses.contacts_per_axon, (int(n_trials), counts.size))
    releases = contacts if synapses.release_probability == 1 else rng.binomial(contacts, synapses.release_probability)
    shape = synapses._gamma_shape
    if shape == 0:
        return releases.astype(float)
    amplitudes = np.zeros(releases.shape)
    hit = releases > 0
    amplitudes[hit] = rng.gamma(shape * releases[hit], 1.0 / shape)
    return amplitudes


def synaptic_drive(counts, synapses: Synapses, n_trials: int, dt: float, *, tau: float = DEFAULT_NEURON["tau"],
                   seed=None) -> np.ndarray:
    """Drive ``R * I`` (mV) for :func:`pcn_core.lif.simulate_lif`, one row per trial.

    Each release is an instantaneous EPSC: held for one step of ``dt`` it must
    raise the potential by ``epsp_size * q`` mV, hence the drive
    ``epsp_size * q / (1 - exp(-dt / tau))`` in the step of the release. Trials
    share the frozen axon spikes ``counts`` and differ in failures and quanta.

    Parameters
    ----------
    counts : (n_steps,) int array
        Frozen axon spikes per step, non-negative integers.
    synapses : Synapses
        Synaptic parameters.
    n_trials : int
        Number of trials, integer >= 1.
    dt : float
        Time step in s, finite and > 0.
    tau : float, optional
        Membrane time constant in s, finite and > 0 (default
        ``DEFAULT_NEURON["tau"]`` = 0.02).
    seed : int, None or np.random.Generator, optional
        Source of the failures and quanta.

    Returns
    -------
    (n_trials, n_steps) float array
        Drive in mV.

    Raises
    ------
    ValueError
        If ``dt`` or ``tau`` is not positive and finite, or
        :func:`release_amplitudes` refuses ``counts`` or ``n_trials``.
    TypeError
        If ``tau`` is not a real number, or ``seed`` is not None, an integer >= 0,
        a SeedSequence or a Generator.

    Examples
    --------
    One release of unit quantum, scaled back by ``1 - exp(-dt/tau)``, is one EPSP of 0.5 mV:

    >>> import numpy as np
    >>> from pcn_core.synapses import Synapses, synaptic_drive
    >>> drive = synaptic_drive(np.array([1, 0]), Synapses(1000.0), 1, dt=1e-4)
    >>> np.round(drive, 2)
    array([[100.25,   0.  ]])
    >>> round(float(drive[0, 0] * -np.expm1(-1e-4 / 0.02)), 6)
    0.5
    """
    if not (np.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be a positive number of seconds, got {dt}")
    validation.real(tau, "tau", low=0.0, low_open=True, unit="s")
    gain = synapses.epsp_size / -math.expm1(-dt / tau)
    return gain * release_amplitudes(counts, synapses, n_trials, seed=seed)


@numba.njit(cache=True)
def _jump(n_axon_spikes, contacts, p_release, shape, epsp, rng):
    if n_axon_spikes == 0:
        return 0.0
    n = n_axon_spikes * contacts
    if p_release < 1.0:
        n = rng.binomial(n, p_release)
    if n == 0:
        return 0.0
    if shape == 0.0:
        return epsp * n
    return epsp * rng.gamma(shape * n, 1.0 / shape)


@numba.njit(cache=True)
def _first_spikes_frozen(counts, n_trials, contacts, p_release, shape, epsp, decay, v_rest, v_reset, v_thresh,
                         rng, out):
    # counts: (n_inputs, n_steps) frozen axon spikes after a reset; out: (n_inputs, n_trials)
    # ISI in steps, or -1 if the frozen segment ended before a spike.
    for m in range(counts.shape[0]):
        for trial in range(n_trials):
            v = v_reset
            out[m, trial] = -1
            for k in range(counts.shape[1]):
                v = v_rest + (v - v_rest) * decay + _jump(counts[m, k], contacts, p_release, shape, epsp, rng)
                if v >= v_thresh:
                    out[m, trial] = k + 1
                    break


@numba.njit(cache=True)
def _first_spikes_fresh(n, max_steps, axon_per_step, contacts, p_release, shape, epsp, decay, v_rest, v_reset,
                        v_thresh, rng, out):
    # every interval with a new input; -1 if no spike within max_steps
    for i in range(n):
        v = v_reset
        out[i] = -1
        for k in range(max_steps):
            v = v_rest + (v - v_rest) * decay + _jump(rng.poisson(axon_per_step), contacts, p_release, shape,
                                                      epsp, rng)
            if v >= v_thresh:
                out[i] = k + 1
                break


def _kernel_args(synapses, params, dt):
    return (int(synapses.contacts_per_axon), float(synapses.release_probability), float(synapses._gamma_shape),
            float(synapses.epsp_size), math.exp(-dt / params["tau"]), float(params["v_rest"]),
            float(params["v_reset"]), float(params["v_thresh"]))


def isi_steps(synapses: Synapses, n_intervals: int, dt: float, *, neuron: dict | None = None,
              max_isi: float = 20.0, seed=None) -> np.ndarray:
    """Independent interspike intervals, each driven by a fresh input.

    The neuron starts at ``v_reset``; the potential relaxes towards ``v_rest``
    with time constant ``tau`` and jumps by ``epsp_size * q`` at every release;
    the interval ends at the first step with ``v >= v_thresh``. Because the EPSCs
    are instantaneous, the inputs Poisson and the neuron reset after each spike,
    these intervals are samples of the total ISI distribution ``P(T)`` of the
    model (the spike train is a renewal process).

    Parameters
    ----------
    synapses : Synapses
        Synaptic parameters.
    n_intervals : int
        Number of intervals, integer >= 1.
    dt : float
        Time step in s, finite, > 0 and at most ``tau / 10``.
    neuron : dict, optional
        Overrides of :data:`DEFAULT_NEURON`: ``tau`` (s, > 0), ``v_rest``,
        ``v_reset``, ``v_thresh`` (mV, ``v_reset < v_thresh``).
    max_isi : float, optional
        Longest interval allowed, s, finite and > 0 (default 20).
    seed : int, None or np.random.Generator, optional
        Source of the input, failures and quanta.

    Returns
    -------
    (n_intervals,) int64 array
        Interspike intervals in steps of ``dt`` (>= 1).

    Raises
    ------
    RuntimeError
        If an interval exceeds ``max_isi`` (the drive is too weak for the estimate).
    ValueError
        If ``n_intervals < 1``, ``dt`` or ``max_isi`` is not
        positive and finite, or ``neuron`` has unknown keys,
        ``tau`` is not positive, ``dt > tau / 10``, or ``v_reset >= v_thresh``.
    TypeError
        If ``n_intervals`` is not an integer (``3.0`` and booleans are refused),
        ``max_isi`` is not a real number, or ``seed`` is not None, an integer
        >= 0, a SeedSequence or a Generator.

    See Also
    --------
    conditional_isi_steps : intervals for frozen inputs.
    isi_ensemble : both samples of the direct method.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Direct method" (the total ISI distribution of Eq. 10).

    Examples
    --------
    A mean drive of ``S_net * epsp_size * tau = 40`` mV, against a 15 mV threshold,
    would reach threshold after ``-tau ln(1 - 15/40) = 9.4`` ms without noise; the
    Poisson input makes the intervals vary around that:

    >>> from pcn_core.synapses import Synapses, isi_steps
    >>> isis = isi_steps(Synapses(4000.0), 1000, dt=1e-4, seed=0)
    >>> round(float(isis.mean()) * 1e-4 * 1e3, 1), bool(isis.min() < isis.max())
    (9.6, True)
    """
    params = _neuron(neuron, dt)
    n = validation.count(n_intervals, "n_intervals")
    validation.real(max_isi, "max_isi", low=0.0, low_open=True, unit="s")
    max_steps = int(round(max_isi / dt))
    out = np.empty(n, dtype=np.int64)
    _first_spikes_fresh(n, max_steps, synapses.axon_rate * dt, *_kernel_args(synapses, params, dt), validation.rng(seed), out)
    if np.any(out < 0):
        raise RuntimeError(f"{np.sum(out < 0)} interval(s) longer than max_isi={max_isi} s; raise the drive or max_isi")
    return out


def conditional_isi_steps(synapses: Synapses, n_inputs: int, n_trials: int, dt: float, *,
                          neuron: dict | None = None, segment: float = 2.0, max_isi: float = 20.0,
                          seed=None) -> np.ndarray:
    """Interspike intervals for frozen inputs: samples of ``P(T | Z_in)``.

    Row ``m`` holds ``n_trials`` first spike times after a reset, all driven by
    the same axon spikes (input ``m``) with fresh release failures and quanta.
    Each frozen input starts as ``segment`` seconds of axon spikes and is extended
    (all its trials re-run, its beginning kept) until every trial has spiked.

    Parameters
    ----------
    synapses : Synapses
        Synaptic parameters.
    n_inputs : int
        Number of frozen inputs, integer >= 1.
    n_trials : int
        Trials per input, integer >= 1.
    dt : float
        Time step in s, finite, > 0 and at most ``tau / 10``.
    neuron : dict, optional
        Overrides of :data:`DEFAULT_NEURON`: ``tau`` (s, > 0), ``v_rest``,
        ``v_reset``, ``v_thresh`` (mV, ``v_reset < v_thresh``).
    segment : float, optional
        Initial length of each frozen input, s, finite, ``0 < segment <= max_isi``
        (default 2).
    max_isi : float, optional
        Longest interval allowed, s, finite (default 20).
    seed : int, None or np.random.Generator, optional
        Source of the inputs, failures and quanta.

    Returns
    -------
    (n_inputs, n_trials) int64 array
        Interspike intervals in steps of ``dt`` (>= 1).

    Raises
    ------
    RuntimeError
        If some trial of an input has no spike within ``max_isi``.
    ValueError
        If ``n_inputs`` or ``n_trials`` is < 1, ``segment`` or
        ``max_isi`` is not finite or violates ``0 < segment <= max_isi``, ``dt``
        is not positive and finite, or ``neuron`` has unknown keys,
        ``tau`` is not positive, ``dt > tau / 10``, or ``v_reset >= v_thresh``.
    TypeError
        If ``n_inputs`` or ``n_trials`` is not an integer (floats and booleans
        are refused), ``segment`` or ``max_isi`` is not a real number, or
        ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    See Also
    --------
    isi_steps : intervals with fresh inputs.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Direct method" (steps 1-4 and Eq. 11).

    Examples
    --------
    Reliable synapses without quantal noise: a frozen input gives the same interval
    on every trial (no conditional entropy):

    >>> import numpy as np
    >>> from pcn_core.synapses import Synapses, conditional_isi_steps
    >>> isis = conditional_isi_steps(Synapses(4000.0), 3, 5, dt=1e-4, seed=0)
    >>> isis.shape, bool(np.all(isis == isis[:, :1]))
    ((3, 5), True)

    With release failures the trials of one input differ:

    >>> noisy = conditional_isi_steps(Synapses(4000.0, release_probability=0.5), 3, 5, dt=1e-4, seed=0)
    >>> bool(np.all(noisy == noisy[:, :1]))
    False
    """
    params = _neuron(neuron, dt)
    n_inputs, n_trials = validation.count(n_inputs, "n_inputs"), validation.count(n_trials, "n_trials")
    # finite: an infinite max_isi would extend a silent input for ever
    validation.real(segment, "segment", low=0.0, low_open=True, unit="s")
    validation.real(max_isi, "max_isi", low=0.0, low_open=True, unit="s")
    if not max_isi >= segment:
        raise ValueError(f"need 0 < segment <= max_isi, got segment={segment}, max_isi={max_isi}")
    rng = validation.rng(seed)
    args = _kernel_args(synapses, params, dt)
    counts = afferent_counts(synapses, segment, dt, shape=(n_inputs,), seed=rng)
    out = np.empty((n_inputs, n_trials), dtype=np.int64)
    _first_spikes_frozen(counts, n_trials, *args, rng, out)
    for m in np.flatnonzero(np.any(out < 0, axis=1)):
        row = counts[m]
        while np.any(out[m] < 0):
            if row.size * dt >= max_isi:
                raise RuntimeError(f"input {m}: no spike within max_isi={max_isi} s on some trials; "
                                   "raise the drive or max_isi")
            # appending to a frozen input keeps its beginning: it is the same input, observed longer
            row = np.concatenate([row, afferent_counts(synapses, row.size * dt, dt, seed=rng)])
            sub = np.empty((1, n_trials), dtype=np.int64)
            _first_spikes_frozen(row[None, :], n_trials, *args, rng, sub)
            out[m] = sub[0]
    return out


def renewal_train(intervals, dt: float) -> np.ndarray:
    """Spike times of the renewal train with the given successive interspike intervals.

    Parameters
    ----------
    intervals : (n,) array_like of int
        Successive ISIs in steps, whole numbers >= 1 (an integer array, or
        floats such as ``2.0``; a fraction is refused).
    dt : float
        Time step in s, finite and > 0.

    Returns
    -------
    (n + 1,) float array
        Spike times in s, the first at 0.

    Raises
    ------
    ValueError
        If ``intervals`` is not 1-D or holds values below 1 or that are not
        whole numbers, or ``dt`` is not positive and finite.
    TypeError
        If ``dt`` is not a real number.

    Examples
    --------
    >>> from pcn_core.synapses import renewal_train
    >>> renewal_train([2, 3], 0.001)
    array([0.   , 0.002, 0.005])
    """
    validation.real(dt, "dt", low=0.0, low_open=True, unit="s")
    k = np.asarray(intervals)
    # a fraction of a step would put spikes off the time grid; NaN would pass the < 1 test
    if k.ndim != 1 or np.any(k < 1) or not (np.issubdtype(k.dtype, np.integer)
                                                    or np.all(np.isfinite(k) & (k == np.floor(k)))):
        raise ValueError("intervals must be a 1-D array of integers >= 1 (steps)")
    return dt * np.concatenate([[0], np.cumsum(k)])


def isi_ensemble(synapses: Synapses, n_intervals: int, n_inputs: int, n_trials: int, dt: float, *,
                 neuron: dict | None = None, seed=None):
    """The two ISI samples of the direct method, in steps of ``dt``: ``(total, conditional)``.

    Pass them to :func:`pcn_core.information.direct_information`.

    Parameters
    ----------
    synapses : Synapses
        Synaptic parameters.
    n_intervals : int
        Number of independent intervals with fresh inputs, integer >= 1.
    n_inputs : int
        Number of frozen inputs, integer >= 1.
    n_trials : int
        Trials per frozen input, integer >= 1.
    dt : float
        Time step in s, finite, > 0 and at most ``tau / 10``.
    neuron : dict, optional
        Overrides of :data:`DEFAULT_NEURON`: ``tau`` (s, > 0), ``v_rest``,
        ``v_reset``, ``v_thresh`` (mV, ``v_reset < v_thresh``).
    seed : int, None or np.random.Generator, optional
        Source of all draws.

    Returns
    -------
    total : (n_intervals,) int64 array
        Independent ISIs in steps from fresh inputs (samples of ``P(T)``).
    conditional : (n_inputs, n_trials) int64 array
        ISIs in steps for frozen inputs (samples of ``P(T | Z_in)``).

    Raises
    ------
    RuntimeError
        If an interval exceeds 20 s (the drive is too weak).
    ValueError
        If a count is not an integer >= 1, ``dt`` is not positive and finite, or
        ``neuron`` has unknown keys,
        ``tau`` is not positive, ``dt > tau / 10``, or ``v_reset >= v_thresh``.
    TypeError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information
       transmitted by spiking neurons. J Neurophysiol 79:1219-1229,
       Methods, "Direct method".

    Examples
    --------
    >>> from pcn_core.synapses import Synapses, isi_ensemble
    >>> total, conditional = isi_ensemble(Synapses(4000.0, release_probability=0.5), 200, 4, 10,
    ...                                   dt=1e-4, seed=0)
    >>> total.shape, conditional.shape
    ((200,), (4, 10))
    """
    rng = validation.rng(seed)
    total = isi_steps(synapses, n_intervals, dt, neuron=neuron, seed=rng)
    conditional = conditional_isi_steps(synapses, n_inputs, n_trials, dt, neuron=neuron, seed=rng)
    return total, conditional


def transmitted_information(net_release_rate: float, contacts_per_axon: int, release_probability: float, *,
                            quantal_cv: float, epsp_size: float, n_intervals: int, n_inputs: int, n_trials: int,
                            dt: float, neuron: dict | None = None, seed=None):
    """Direct estimate of the information the model neuron transmits through unreliable synapses.

    The pipeline of Zador (1998) Figs 2-5 for one synaptic setting: :class:`Synapses` from the
    arguments, the two ISI samples of :func:`isi_ensemble` (fresh inputs, then frozen inputs),
    then :func:`pcn_core.information.direct_information` on them. Every draw comes from one
    Generator in that order, so a sweep that passes the same Generator to successive calls
    repeats its numbers exactly.

    Parameters
    ----------
    net_release_rate : float
        S_net, releases per second summed over all contacts (Hz), > 0.
    contacts_per_axon : int
        N_r, functional contacts per axon, >= 1.
    release_probability : float
        P_r, in (0, 1].
    quantal_cv : float
        Coefficient of variation of the quantal size, >= 0.
    epsp_size : float
        Depolarisation (mV) of one release of mean quantal size, > 0.
    n_intervals : int
        ISIs with fresh inputs, for the total entropy H(T), >= 1.
    n_inputs, n_trials : int
        Frozen inputs and replays of each, for the conditional entropy H(T | Z_in), >= 1.
    dt : float
        Time bin and simulation step in s (the resolution of the spike times), > 0.
    neuron : dict or None
        Overrides of :data:`DEFAULT_NEURON` (``tau`` in s; ``v_rest``, ``v_reset``, ``v_thresh`` in mV).
    seed : int, None or np.random.Generator
        Source of every draw; a Generator continues its stream.

    Returns
    -------
    estimate : pcn_core.information.DirectInformation
        Rate (Hz), entropies and information (bits/spike, bits/s) with their errors.
    total : (n_intervals,) int64 array
        The ISIs from fresh inputs, in steps of ``dt`` (a renewal train: :func:`renewal_train`).

    Raises
    ------
    ValueError
        If a synaptic or neuron parameter, a count or ``dt`` is out of range (naming it).
    RuntimeError
        If an interval exceeds 20 s (the drive is too weak for the estimate).
    TypeError
        If ``seed`` is not None, an integer >= 0 or a Generator.

    References
    ----------
    .. [1] Zador A (1998). Impact of synaptic unreliability on the information transmitted
       by spiking neurons. J Neurophysiol 79:1219-1229, Figs 2-5.

    Examples
    --------
    >>> estimate, total = transmitted_information(2400.0, 1, 1.0, quantal_cv=0.0, epsp_size=0.43,
    ...                                           n_intervals=500, n_inputs=5, n_trials=20, dt=2e-3, seed=0)
    >>> total.shape
    (500,)
    >>> round(float(estimate.rate * total.mean() * 2e-3), 9)   # the rate is 1 / mean ISI
    1.0
    >>> bool(abs(estimate.conditional_entropy) < 1e-9)   # reliable synapses: a frozen input fixes the ISI
    True
    """
    from . import information

    rng = validation.rng(seed)
    syn = Synapses(net_release_rate, contacts_per_axon, release_probability, quantal_cv, epsp_size)
    total, conditional = isi_ensemble(syn, n_intervals, n_inputs, n_trials, dt, neuron=neuron, seed=rng)
    return information.direct_information(total, conditional, dt, seed=rng), total


def information_table(settings, *, quantal_cv: float, epsp_size: float, n_intervals: int, n_inputs: int,
                      n_trials: int, dt: float, neuron: dict | None = None, seed=None):
    """Direct estimates for a sequence of synaptic settings, one row each (Zador 1998 Figs 2-4).

    Runs :func:`transmitted_information` for each setting in the given order, all from one
    Generator, so the rows are those of a loop over the settings that passes the same
    Generator to every call.

    Parameters
    ----------
    settings : sequence of (float, int, float)
        ``(net_release_rate, contacts_per_axon, release_probability)`` of each row: S_net in Hz
        (> 0), N_r (integer >= 1) and P_r in (0, 1]. At least one.
    quantal_cv, epsp_size, n_intervals, n_inputs, n_trials, dt, neuron
        As in :func:`transmitted_information`, the same for every row.
    seed : int, None or np.random.Generator
        Source of every draw; a Generator continues its stream.

    Returns
    -------
    pandas.DataFrame
        One row per setting: ``s_net`` (Hz), ``contacts``, ``p_release``, then the columns of
        :func:`pcn_core.information.direct_summary` (rate in Hz; entropies and information in
        bits/spike and bits/s, with their errors; the Poisson bound in bits/s).

    Raises
    ------
    ValueError
        If ``settings`` is empty or an entry is not a triple, or a value is out of range (naming it).
    RuntimeError
        If an interval exceeds 20 s (the drive is too weak for the estimate).
    TypeError
        If ``seed`` is not None, an integer >= 0 or a Generator.

    See Also
    --------
    transmitted_information : one setting, with its ISIs (and the reference).

    Examples
    --------
    >>> table = information_table([(2400.0, 1, 1.0), (2400.0, 1, 0.5)], quantal_cv=0.2, epsp_size=0.43,
    ...                           n_intervals=300, n_inputs=4, n_trials=20, dt=2e-3, seed=0)
    >>> table[["s_net", "contacts", "p_release"]].values.tolist()
    [[2400.0, 1.0, 1.0], [2400.0, 1.0, 0.5]]
    >>> bool((table.I - (table.H - table.Hc)).abs().max() < 1e-12)   # information = entropy - noise entropy
    True
    """
    import pandas as pd

    from . import information

    settings = list(settings)
    if not settings or any(np.ndim(s) != 1 or len(s) != 3 for s in settings):
        raise ValueError("settings must be a non-empty sequence of (net_release_rate, contacts_per_axon, "
                         "release_probability) triples")
    rng = validation.rng(seed)
    rows = []
    for net_release_rate, contacts_per_axon, release_probability in settings:
        estimate, _ = transmitted_information(net_release_rate, contacts_per_axon, release_probability,
                                              quantal_cv=quantal_cv, epsp_size=epsp_size, n_intervals=n_intervals,
                                              n_inputs=n_inputs, n_trials=n_trials, dt=dt, neuron=neuron, seed=rng)
        rows.append(dict(s_net=net_release_rate, contacts=contacts_per_axon, p_release=release_probability,
                         **information.direct_summary(estimate)))
    return pd.DataFrame(rows)
