"""Shared figure style and small drawing helpers used by every notebook.

:func:`use_style` applies ``pcn.mplstyle`` (shipped beside this module);
:func:`save_figure` writes a panel as PNG plus a byte-stable vector copy under
:func:`pcn_core.paths.figures_dir`; :func:`raster`, :func:`panel_label` and
:func:`network_schematic` draw on a given matplotlib ``Axes``. The colour
constants keep the papers' conventions across notebooks.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from .paths import figures_dir

STYLE = Path(__file__).with_name("pcn.mplstyle")

#: Colours used across papers for the two kernel signs (Boerlin's magenta/green).
POSITIVE_COLOR = "#c2185b"
NEGATIVE_COLOR = "#2e7d32"
STATE_COLOR = "#1f77b4"
ESTIMATE_COLOR = "#d62728"


def use_style() -> None:
    """Apply the project's matplotlib style (call once at the top of a notebook).

    Updates the global ``matplotlib.rcParams`` from :data:`STYLE`
    (``pcn_core/pcn.mplstyle``: 7 × 4.5 in figures, 9 pt fonts, no top or right
    spines, tight bounding boxes and 150 dpi when saving).

    Examples
    --------
    >>> import matplotlib
    >>> with matplotlib.rc_context():  # restores the previous style on exit
    ...     use_style()
    ...     print(matplotlib.rcParams["figure.figsize"], matplotlib.rcParams["axes.spines.top"])
    [7.0, 4.5] False
    """
    plt.style.use(STYLE)


def save_figure(fig, paper: str, name: str, figures_root: str | os.PathLike | None = None,
                vector: str = "svg") -> None:
    """Write ``fig`` to ``<figures root>/<paper>/<name>.png`` and a vector copy (``svg`` or ``pdf``).

    The root is :func:`pcn_core.paths.figures_root`: ``build/figures`` unless
    ``make figures`` (or ``figures_root`` / ``PCN_FIGURES_DIR``) says otherwise.
    The folder is created if missing and existing files are overwritten. The
    vector file carries no creation date, so re-running a notebook leaves it
    byte-identical. Returns nothing, so a notebook cell ending with it shows no
    machine path.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save (resolution and bounding box from the active style).
    paper : str
        Paper key, the output sub-folder (e.g. ``"boerlin2013"``).
    name : str
        File stem (e.g. ``"fig1"``).
    figures_root : str, os.PathLike or None, default None
        Output root; None uses ``PCN_FIGURES_DIR`` if set, else ``build/figures``.
    vector : {"svg", "pdf"}, default "svg"
        Format of the vector copy.

    Raises
    ------
    ValueError
        If ``vector`` is not ``"svg"`` or ``"pdf"`` (checked before anything is written).

    See Also
    --------
    pcn_core.paths.figures_dir : the output folder.

    Examples
    --------
    >>> import os, tempfile
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # no display needed
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 1.5))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as root:
    ...     save_figure(fig, "demo", "panel", figures_root=root)
    ...     print(sorted(os.listdir(os.path.join(root, "demo"))))
    ['panel.png', 'panel.svg']
    >>> plt.close(fig)
    """
    if vector not in ("svg", "pdf"):
        raise ValueError(f"vector must be 'svg' or 'pdf', got {vector!r}")
    out = figures_dir(paper, figures_root)
    png = out / f"{name}.png"
    fig.savefig(png)
    # Fixed metadata keeps the vector file byte-stable across runs.
    fig.savefig(out / f"{name}.{vector}", metadata={"Date": None} if vector == "svg" else {"CreationDate": None})


def raster(ax, times, neurons, *, color="k", size=2.0, **kwargs):
    """Dot raster: one dot per spike at (time, neuron index). Units follow the inputs.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on.
    times : array_like
        Spike times (in the x-axis unit, usually s or ms).
    neurons : array_like
        Index of the neuron of each spike (y position), same shape as ``times``.
    color : color or sequence of colors, default "k"
        Dot colour, one for all or one per spike (matplotlib's ``c``).
    size : float, default 2.0
        Marker area in points²; from 4 on, vertical ticks (``"|"``) replace dots.
    **kwargs
        Passed on to ``ax.scatter`` (e.g. ``rasterized=True``, ``alpha``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, for chaining.

    Raises
    ------
    ValueError
        If ``times`` and ``neurons`` differ in shape.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = raster(ax, [0.01, 0.25, 0.30], [0, 3, 1])
    >>> ax.collections[0].get_offsets().tolist()
    [[0.01, 0.0], [0.25, 3.0], [0.3, 1.0]]
    >>> plt.close(fig)
    """
    times = np.asarray(times)
    neurons = np.asarray(neurons)
    if times.shape != neurons.shape:
        raise ValueError(f"times and neurons must have the same shape, got {times.shape} and {neurons.shape}")
    ax.scatter(times, neurons, s=size, c=color, marker="|" if size >= 4 else ".", linewidths=0.8, **kwargs)
    return ax


def panel_label(ax, label: str) -> None:
    """Bold panel letter in the top-left corner, outside the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The panel's axes.
    label : str
        Panel letter (e.g. ``"A"``), placed at axes coordinates (-0.08, 1.04).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> panel_label(ax, "B")
    >>> ax.texts[0].get_text(), ax.texts[0].get_fontweight()
    ('B', 'bold')
    >>> plt.close(fig)
    """
    ax.text(-0.08, 1.04, label, transform=ax.transAxes, fontweight="bold", fontsize=11, va="bottom", ha="right")


def network_schematic(ax) -> None:
    """Boerlin et al. (2013) Fig 1A: input c weighted by Γᵀ, neurons with fast
    (filled-circle endpoints) and slow (diamond endpoints) recurrent connections,
    red excitatory and blue inhibitory, and the linear read-out x̂ = Γ r.

    Five neurons (magenta: positive kernel, green: negative kernel) with five
    illustrative connections; a drawing, not a simulated network. The axes are
    set to x in [0, 10], y in [0, 6], equal aspect, and hidden.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on (its limits, aspect and axis visibility are changed).

    References
    ----------
    .. [1] Boerlin M, Machens CK, Denève S (2013). Predictive coding of dynamical
       variables in balanced spiking networks. PLoS Comput Biol 9(11):e1003258,
       Fig. 1A.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(4, 2.4))
    >>> network_schematic(ax)
    >>> len(ax.patches)  # 5 neurons and 5 connections
    10
    >>> plt.close(fig)
    """
    from matplotlib.patches import Circle, FancyArrowPatch

    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6)
    ax.set_aspect("equal")
    ax.axis("off")
    neurons = [(3.5, 4.6), (5.0, 4.6), (6.5, 4.6), (4.25, 2.6), (5.75, 2.6)]
    signs = [1, 1, -1, 1, -1]

    def link(a, b, color, tip, rad):
        ax.add_patch(FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad}", arrowstyle="-",
                                     color=color, lw=1.0, shrinkA=11, shrinkB=11))
        ax.plot(*b, marker=tip, color=color, ms=4.5, mfc=color if tip == "o" else "white", zorder=4)

    # fast: same sign inhibit (blue), opposite sign excite (red); slow: the reverse
    link(neurons[0], neurons[1], "tab:blue", "o", 0.3)
    link(neurons[1], neurons[2], "tab:red", "o", 0.3)
    link(neurons[3], neurons[0], "tab:red", "D", -0.3)
    link(neurons[4], neurons[2], "tab:blue", "D", 0.3)
    link(neurons[3], neurons[4], "tab:red", "o", -0.3)
    for (x, y), s in zip(neurons, signs):
        ax.add_patch(Circle((x, y), 0.42, fc=POSITIVE_COLOR if s > 0 else NEGATIVE_COLOR, ec="k", lw=0.8, zorder=3))
    ax.annotate("", xy=(2.9, 3.6), xytext=(0.8, 3.6), arrowprops=dict(arrowstyle="->", lw=1.2))
    ax.text(0.3, 3.6, "$c$", fontsize=12, va="center")
    ax.text(1.55, 3.85, r"$\Gamma^T$", fontsize=10, ha="center")
    ax.annotate("", xy=(9.4, 3.6), xytext=(7.2, 3.6), arrowprops=dict(arrowstyle="->", lw=1.2))
    ax.text(8.3, 3.85, r"$\Gamma$", fontsize=10, ha="center")
    ax.text(9.55, 3.6, r"$\hat{x}$", fontsize=12, va="center")
    ax.text(5.0, 5.6, r"$\Omega_f$ (fast, $\bullet$)   $\Omega_s$ (slow, $\diamond$)", ha="center", fontsize=8)
    ax.text(5.0, 1.4, "red: excitatory   blue: inhibitory", ha="center", fontsize=8)
    ax.text(5.0, 0.8, "magenta: positive kernel   green: negative kernel", ha="center", fontsize=8)


def subset_raster(ax, times, neurons, shown, *, colors="k", size: float = 2.0, window=None, row_height: float = 1.0,
                  baseline: float = 0.0, hollow: bool = False, **scatter_kwargs):
    """Raster of a subset of neurons in a chosen row order, coloured by neuron (e.g. by kernel sign).

    Row ``k`` (at height ``baseline + k * row_height``) holds the spikes of neuron ``shown[k]``;
    spikes of other neurons, and outside ``window``, are left out of the plot (not of the data).
    Markers as :func:`raster` (``"|"`` from ``size`` 4 on, dots below, line width 0.8) unless
    ``scatter_kwargs`` say otherwise.

    Parameters
    ----------
    ax : matplotlib Axes
        Where to draw.
    times : (n_spikes,) array
        Spike times (any unit; the x axis shows them as given).
    neurons : (n_spikes,) int array
        Neuron of each spike, >= 0.
    shown : (n_shown,) int array
        Neurons to draw, distinct, >= 0, in the order of the rows (bottom first).
    colors : str or sequence of str
        One matplotlib colour for every spike, or one colour per neuron, indexed by neuron number
        (length above the largest neuron drawn), e.g. ``np.where(positive, POSITIVE_COLOR, NEGATIVE_COLOR)``.
    size : float
        Marker area in points², > 0.
    window : (float, float) or None
        Only spikes with ``window[0] <= time < window[1]`` are drawn (None: all).
    row_height, baseline : float
        Vertical spacing of the rows and height of row 0 (data units of the y axis).
    hollow : bool
        Open markers whose edges carry the colours (to overlay a second run on a first).
    **scatter_kwargs
        Passed to ``ax.scatter`` (e.g. ``marker``, ``linewidths``, ``alpha``).

    Returns
    -------
    matplotlib Axes
        ``ax``.

    Raises
    ------
    ValueError
        If ``times`` and ``neurons`` differ in shape, a time is not finite, neurons or ``shown`` are not non-negative
        integers, ``shown`` repeats a neuron, ``colors`` has no colour for a neuron drawn,
        ``window`` is not an increasing pair, or ``size`` is not > 0.

    See Also
    --------
    raster : every spike at (time, neuron index).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig, ax = plt.subplots()
    >>> _ = subset_raster(ax, [0.1, 0.2, 0.3, 0.4], [5, 1, 7, 5], [5, 7], colors="k")
    >>> ax.collections[0].get_offsets().tolist()   # neuron 5 on row 0, neuron 7 on row 1; neuron 1 not shown
    [[0.1, 0.0], [0.3, 1.0], [0.4, 0.0]]
    >>> plt.close(fig)
    """
    times = np.asarray(times, dtype=float)
    neurons = np.asarray(neurons)
    if times.shape != neurons.shape or times.ndim != 1:
        raise ValueError(f"times and neurons must be 1-D of the same shape, got {times.shape} and {neurons.shape}")
    if not np.all(np.isfinite(times)):
        raise ValueError("times must be finite (a NaN spike would silently vanish from the plot)")
    shown = np.asarray(shown)
    for name, values in (("neurons", neurons), ("shown", shown)):
        if values.size and (not np.issubdtype(values.dtype, np.integer) or values.min() < 0):
            raise ValueError(f"{name} must hold integer neuron indices >= 0")
    if shown.ndim != 1 or np.unique(shown).size != shown.size:
        raise ValueError("shown must be a 1-D array of distinct neuron indices")
    if not (np.isfinite(size) and size > 0):
        raise ValueError(f"size must be a marker area > 0, got {size}")
    n = int(max(neurons.max(initial=-1), shown.max(initial=-1))) + 1
    row_of = np.full(n, -1)
    row_of[shown] = np.arange(shown.size)
    keep = row_of[neurons] >= 0
    if window is not None:
        start, stop = window
        if not start < stop:
            raise ValueError(f"window must be an increasing pair (start, stop), got {window!r}")
        keep &= (times >= start) & (times < stop)
    if isinstance(colors, str):
        colour = colors
    else:
        per_neuron = np.asarray(colors)
        if per_neuron.ndim != 1 or (keep.any() and per_neuron.size <= neurons[keep].max()):
            raise ValueError(f"colors must be one colour or one colour per neuron (at least {n} entries)")
        colour = per_neuron[neurons[keep]]
    options = {"s": size, "marker": "|" if size >= 4 else ".", "linewidths": 0.8, **scatter_kwargs}
    y = baseline + row_height * row_of[neurons[keep]]
    if hollow:
        ax.scatter(times[keep], y, facecolors="none", edgecolors=colour, **options)
    else:
        ax.scatter(times[keep], y, c=colour, **options)
    return ax
