"""The network of :func:`pcn_core.simulation.simulate` rebuilt in Brian2 (cpp_standalone), for the benchmark.

``python -m pcn_core.brian2_network REQUEST.npz REPLY.npz`` reads a network and
its input (written by :func:`pcn_core.bench.run_brian2`), builds the identical
network in Brian2's C++ standalone mode, compiles and runs it once and writes
the spikes and timings. The module imports nothing but NumPy (and Brian2 inside
the functions), so it runs under any interpreter that has Brian2, e.g. one with
an older NumPy (Brian2 2.9, the last release for Python 3.11, does not import
with NumPy >= 2.4).

The Brian2 model follows :mod:`pcn_core.simulation`'s step order exactly
(module docstring there), for the case the benchmark needs (no slow
connections, ``spike_rule="all"``, ``delay >= dt``, immediate self-reset, no
sensory or threshold noise, no failures). Per step k of length dt:

1. ``before_groups`` slot: the synaptic pathway delivers the spikes emitted in
   step k - 1 - D (``D = delay / dt``): it pushes the spikes of the previous
   threshold check with a delay of D steps, so they act at the start of step
   k + 1 + D after being emitted in step k, as in pcn_core;
2. ``groups`` slot: ``v = v * (1 - λ_V dt) + Σ_a Γ_ai (c_a dt)`` (the inputs
   ``c_a dt`` are TimedArrays, summed in the order of pcn_core's kernel), then
   ``v = v + σ_V √dt · randn()``;
3. ``thresholds``: ``v > T_i``; ``resets``: ``v = v - self_reset_i``.

A spike of neuron j adds ``Ω_f[i, j]`` to every ``v_i``, itself included, and
then subtracts ``Ω_f[j, j]`` from ``v_j`` (its self-reset already acted at the
spike), the same floating-point operations as pcn_core's dense delivery, so
that a noise-free run gives identical spike trains. Compilation uses Brian2's
default flags without ``-ffast-math`` and with ``-ffp-contract=off``: the
reassociations and fused multiply-adds that fast-math allows change the last
bits of the voltages and, eventually, the spike trains.

References
----------
.. [1] Stimberg M, Brette R, Goodman DFM (2019). Brian 2, an intuitive and
   efficient neural simulator. eLife 8:e47314.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

#: Compiler flags of the standalone build: Brian2's defaults for x86-64 and ARM
#: without ``-ffast-math`` (bit-for-bit the arithmetic pcn_core's kernel does).
COMPILE_FLAGS = ("-w", "-O3", "-march=native", "-std=c++11", "-ffp-contract=off")

#: Arrays a request holds (:func:`pcn_core.bench.run_brian2` writes them).
REQUEST_FIELDS = ("thresholds", "self_reset", "decoder", "fast_weights", "input_steps", "leak_factor",
                  "noise_step", "dt", "delay_steps", "seed", "directory")


def brian2_version() -> str:
    """Version of the importable Brian2, or the reason it cannot be imported.

    Returns
    -------
    str
        ``"brian2 X.Y.Z"``, or ``"unavailable: <reason>"`` when the import
        fails (not installed, or incompatible with the installed NumPy).

    Examples
    --------
    >>> brian2_version().startswith(("brian2 ", "unavailable: "))    # depends on the interpreter
    True
    """
    try:
        import brian2
    except Exception as exc:  # an incompatible NumPy raises AttributeError, not ImportError
        return f"unavailable: {type(exc).__name__}: {exc}"
    return f"brian2 {brian2.__version__}"


def _check_request(request: dict) -> None:
    missing = [name for name in REQUEST_FIELDS if name not in request]
    if missing:
        raise ValueError(f"the request lacks {missing}")
    N = request["thresholds"].shape[0]
    J = request["decoder"].shape[0]
    if request["decoder"].shape != (J, N) or request["fast_weights"].shape != (N, N):
        raise ValueError(f"decoder must be (J, N) and fast_weights (N, N) for N={N}, got "
                         f"{request['decoder'].shape} and {request['fast_weights'].shape}")
    if request["input_steps"].ndim != 2 or request["input_steps"].shape[1] != J:
        raise ValueError(f"input_steps must be (n_steps, J={J}), got {request['input_steps'].shape}")
    if int(request["delay_steps"]) < 1:
        raise ValueError(f"delay_steps must be >= 1 (the model pushes spikes one step late), "
                         f"got {int(request['delay_steps'])}")


def _build(request: dict):
    """Build the network on Brian2's standalone device; returns (device, spike monitor)."""
    import brian2 as b2

    N = request["thresholds"].shape[0]
    J = request["decoder"].shape[0]
    dt = float(request["dt"])
    b2.set_device("cpp_standalone", build_on_run=False, directory=str(request["directory"]))
    b2.prefs.codegen.cpp.extra_compile_args_gcc = list(COMPILE_FLAGS)
    b2.defaultclock.dt = dt * b2.second
    inputs = {f"input_{a}": b2.TimedArray(np.ascontiguousarray(request["input_steps"][:, a]), dt=dt * b2.second)
              for a in range(J)}
    model = ("v : 1\nthreshold_v : 1 (constant)\nself_reset : 1 (constant)\n"
             "leak_factor : 1 (shared, constant)\nnoise_step : 1 (shared, constant)\n"
             + "".join(f"kernel_{a} : 1 (constant)\n" for a in range(J)))
    neurons = b2.NeuronGroup(N, model, threshold="v > threshold_v", reset="v = v - self_reset",
                             namespace=inputs, name="pcn_neurons")
    # one statement per term: Brian2 passes expressions through sympy, which may
    # reassociate a longer sum; a temporary keeps pcn_core's order (kernel 0, 1, ...)
    update = ["drive = kernel_0 * input_0(t)"]
    update += [f"drive = drive + kernel_{a} * input_{a}(t)" for a in range(1, J)]
    update += ["v = v * leak_factor + drive", "v = v + noise_step * randn()"]
    neurons.run_regularly("\n".join(update), when="groups", name="pcn_voltage_update")
    neurons.threshold_v = request["thresholds"]
    neurons.self_reset = request["self_reset"]
    neurons.leak_factor = float(request["leak_factor"])
    neurons.noise_step = float(request["noise_step"])
    for a in range(J):
        setattr(neurons, f"kernel_{a}", request["decoder"][a])
    # all-to-all, presynaptic-major; w_self undoes the column's diagonal (the self-reset acted at the spike)
    pre = np.repeat(np.arange(N), N)
    post = np.tile(np.arange(N), N)
    weights = request["fast_weights"][post, pre]
    fast = b2.Synapses(neurons, neurons, "w : 1 (constant)\nw_self : 1 (constant)",
                       on_pre="v_post += w\nv_post -= w_self",
                       delay=int(request["delay_steps"]) * dt * b2.second, name="pcn_fast")
    fast.connect(i=pre, j=post)
    fast.w = weights
    fast.w_self = np.where(pre == post, weights, 0.0)
    # before the threshold check: spikes of step k are pushed in step k + 1 and act at the
    # start of step k + 1 + D (pcn_core's exact delay convention)
    fast.pre.when = "before_groups"
    monitor = b2.SpikeMonitor(neurons, name="pcn_spikes")
    b2.seed(int(request["seed"]))
    b2.run(request["input_steps"].shape[0] * dt * b2.second)
    return b2.device, monitor


def run_request(request: dict) -> dict:
    """Build, compile and run one request; return its spikes and timings.

    Parameters
    ----------
    request : dict
        The fields of :data:`REQUEST_FIELDS` (as written by
        :func:`pcn_core.bench.run_brian2`): thresholds (N,), self_reset (N,),
        decoder (J, N), fast_weights (N, N) Ω_f, input_steps (n_steps, J) the
        input of each step ``c dt``, leak_factor ``1 - λ_V dt``, noise_step
        ``σ_V √dt``, dt (s), delay_steps D >= 1, seed, directory (the build
        directory; reused, so a second request recompiles only what changed).

    Returns
    -------
    dict
        ``spike_steps`` and ``spike_neurons`` (int64 arrays, step k of each
        spike), ``compile_seconds``, ``binary_seconds`` (wall time of the
        compiled program: start, run, writing results), ``loop_seconds`` (the
        simulation loop alone, as the program reports it), ``binary`` (path of
        the compiled program), ``version``.

    Raises
    ------
    ValueError
        If a field is missing or shapes disagree, or ``delay_steps < 1``.
    ImportError
        If Brian2 cannot be imported.

    Examples
    --------
    >>> run_request({"seed": 0})
    Traceback (most recent call last):
    ...
    ValueError: the request lacks [...]
    """
    _check_request(request)
    device, monitor = _build(request)
    start = time.perf_counter()
    device.build(run=False, directory=str(request["directory"]))
    compiled = time.perf_counter() - start
    device.run()
    dt = float(request["dt"])
    steps = np.rint(np.asarray(monitor.t_) / dt).astype(np.int64)   # Brian2 stamps the start of the step
    reply = dict(spike_steps=steps, spike_neurons=np.asarray(monitor.i[:], dtype=np.int64),
                 compile_seconds=compiled, binary_seconds=float(device.timers["run_binary"]),
                 loop_seconds=float(device._last_run_time), binary=str(Path(device.project_dir, "main")),
                 version=brian2_version())
    return reply


def main(argv=None) -> None:
    """``python -m pcn_core.brian2_network REQUEST.npz REPLY.npz`` (or ``--version``).

    Parameters
    ----------
    argv : list of str, optional
        ``[request, reply]`` paths of .npz files (default ``sys.argv[1:]``),
        or ``["--version"]`` to print :func:`brian2_version`.

    Raises
    ------
    SystemExit
        On a wrong number of arguments.

    Examples
    --------
    >>> main(["request.npz"])
    Traceback (most recent call last):
    ...
    SystemExit: usage: python -m pcn_core.brian2_network REQUEST.npz REPLY.npz | --version
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:
        print(brian2_version())
        return
    if len(argv) != 2:
        raise SystemExit("usage: python -m pcn_core.brian2_network REQUEST.npz REPLY.npz | --version")
    with np.load(argv[0], allow_pickle=False) as data:
        request = {name: data[name] for name in data.files}
    request["directory"] = str(request["directory"])
    reply = run_request(request)
    np.savez(argv[1], **reply)


if __name__ == "__main__":
    main()
