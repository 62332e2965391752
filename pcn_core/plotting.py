"""Shared figure style and small drawing helpers used by every notebook."""
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
    """Apply the project's matplotlib style (call once at the top of a notebook)."""
    plt.style.use(STYLE)


def save_figure(fig, paper: str, name: str, figures_root: str | os.PathLike | None = None,
                vector: str = "svg") -> Path:
    """Write ``fig`` to ``figures/<paper>/<name>.png`` and a vector copy (``svg`` or ``pdf``).

    Returns the PNG path.
    """
    if vector not in ("svg", "pdf"):
        raise ValueError(f"vector must be 'svg' or 'pdf', got {vector!r}")
    out = figures_dir(paper, figures_root)
    png = out / f"{name}.png"
    fig.savefig(png)
    # Fixed metadata keeps the vector file byte-stable across runs.
    fig.savefig(out / f"{name}.{vector}", metadata={"Date": None} if vector == "svg" else {"CreationDate": None})
    return png


def raster(ax, times, neurons, *, color="k", size=2.0, **kwargs):
    """Dot raster: one dot per spike at (time, neuron index). Units follow the inputs."""
    times = np.asarray(times)
    neurons = np.asarray(neurons)
    if times.shape != neurons.shape:
        raise ValueError(f"times and neurons must have the same shape, got {times.shape} and {neurons.shape}")
    ax.scatter(times, neurons, s=size, c=color, marker="|" if size >= 4 else ".", linewidths=0.8, **kwargs)
    return ax


def panel_label(ax, label: str) -> None:
    """Bold panel letter in the top-left corner, outside the axes."""
    ax.text(-0.08, 1.04, label, transform=ax.transAxes, fontweight="bold", fontsize=11, va="bottom", ha="right")
