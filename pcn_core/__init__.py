"""pcn_core: simulator and analyses for reproducing classic papers on spike coding.

Modules (one concern each; import the one you need):

- ``paths``      where figures and real recordings live (settings, not constants)
- ``datasets``   loaders for the real recordings in the data directory
- ``claims``     the claims table that ends every notebook
- ``plotting``   the shared figure style and small drawing helpers
- ``spikestats`` ISI, CV, CV2, Fano factor, count correlations, correlograms
- ``linear_systems`` target systems of Boerlin 2013 Figs 5-6: point-mass arm and reaches,
  leaky differentiator, damped oscillator
- ``tuning``     von Mises direction tuning and offset/gain (additive/multiplicative) fits
"""

__version__ = "0.1.0"
