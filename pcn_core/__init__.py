"""pcn_core: simulator and analyses for reproducing classic papers on spike coding.

Modules (one concern each; import the one you need):

- ``validation``     argument checks shared by every module (one message style) and the seed convention
- ``paths``          where figures and real recordings live (settings, not constants)
- ``datasets``       loaders for the real recordings in the data directory
- ``claims``         the claims table that ends every notebook
- ``plotting``       the shared figure style and small drawing helpers
- ``signals``        input signals: white and smoothed white noise, pulses
- ``spikestats``     ISI, CV, CV2, Fano factor, count correlations, correlograms, jitter
- ``network``        spike-coding networks from a linear system (Boerlin 2013, Koren 2017)
- ``simulation``     their compiled Euler simulation (spike rules incl. greedy, delays, noise, failures, perturbations)
- ``random_streams`` fast seeded random streams for compiled kernels (xoshiro256++, exact ziggurat normals)
- ``millivolts``     network voltages rescaled to mV (Boerlin 2013)
- ``boerlin``        set-ups several Boerlin 2013 notebooks share: two-pulse stimulus, inhomogeneous integrator,
                     size scaling of the homogeneous integrator (to 10⁵ neurons)
- ``linear_systems`` target systems: point-mass arm, leaky differentiator, damped oscillator (Boerlin 2013)
- ``tuning``         tuning-curve fits: von Mises, offset and gain changes
- ``rate_model``     Poisson rate model with the network's slow connections (Boerlin 2013 Fig 7C)
- ``glm``            Poisson GLM coupling filters with statsmodels (Boerlin 2013 Fig 7F)
- ``bench``          speed benchmark on networks checked to be in their regimes, against Brian2
                     (``python -m pcn_core.bench``)
- ``brian2_network`` the simulator's network rebuilt in Brian2 (run by ``bench`` in a Brian2 interpreter)
- ``sweep``          parallel parameter-grid sweeps (joblib or Dask) with a resumable per-cell disk cache
- ``lif``            single leaky integrate-and-fire neuron and its analytic rate
- ``synapses``       unreliable synapses driving the LIF neuron (Zador 1998)
- ``information``    ISI entropies and direct information estimates (Zador 1998)
- ``deneve_review``  the models of Denève & Machens 2016 Fig 1: rate code versus error-correcting code,
                     Poisson E/I drive, coding error of small networks
- ``binning``        spike trains on a time grid: binning, smoothing, held-out splits
- ``reconstruction`` linear decoders of a stimulus from spike trains, their sweeps (Bialek 1991)
- ``coherence``      gain, noise, SNR and the information lower bound of a reconstruction (Bialek 1991)
- ``h1_model``       FitzHugh–Nagumo model of the fly H1 cell (Bialek 1991)
- ``upstates``       Up states, MUA and spike-triggered MUA, ± read-out, coding error and cost, CV2 (Koren 2017)
"""

__version__ = "0.1.0"
