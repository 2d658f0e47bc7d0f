"""``mfn.calibrate``: fit any model's parameters to observed data by ABC-SMC on Dask."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from mfn.core.checks import check_bool, check_int
from mfn.core.errors import ParameterError
from mfn.core.model import Model, model_for
from mfn.core.params import SEED_MAX, ModelParams
from mfn.core.summaries import Summary, summary_values
from mfn.core.version import __version__
from mfn.inference.priors import Prior, resolve_priors
from mfn.inference.simulator import Simulator
from mfn.inference.store import CalibrationStore
from mfn.sweeps.cluster import connect
from mfn.sweeps.lock import lock_store

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["POPULATION_RANGE", "calibrate", "require_pyabc"]

POPULATION_RANGE = (10, 100_000)
"""Smallest and largest population (particles per generation)."""
GENERATIONS_MAX = 1000
"""Most generations of one calibration."""


def calibrate(
    base: ModelParams,
    priors: Mapping[str, Any],
    observed: Any,
    *,
    summaries: Sequence[str | Summary] | None = None,
    population: int = 200,
    generations: int = 8,
    scheduler: Any = None,
    workers: int | None = None,
    dashboard: bool = False,
    store: str | os.PathLike | None = None,
    seed: int = 0,
    progress: bool = True,
) -> xr.Dataset:
    """Fit parameters of a model to observed data by approximate Bayesian computation (ABC-SMC).

    Each generation draws parameters (from the priors, then from the previous generation
    perturbed), simulates ``base`` with them, summarises the run and accepts the draws whose
    summaries lie within a shrinking distance of the observed ones (adaptive distance;
    ``docs/calibration.md`` and ADR 0018 say exactly how, and how to check the result).

    Parameters
    ----------
    base : ModelParams
        Parameters of any registered model; those not fitted keep these values.
    priors : mapping of str to (lo, hi), frozen scipy.stats distribution, or None
        The parameters to fit: ``(lo, hi)`` is uniform, a frozen distribution is used as it is,
        None is uniform over the parameter's valid range. Integer parameters are rounded.
    observed : run, network or Dataset
        What the model should reproduce: a run of the model (its measures are taken as a
        simulation's would be), a hyphal network (mycelium), or a Dataset of measures or of
        the summaries themselves. A run made by :func:`mfn.simulate` of the same model also
        gives the true values (``truth`` in the result).
    summaries : sequence of str or Summary, optional
        The summary statistics compared; names from the model's (``mfn.core.model.get_model(
        name).summaries``), or :class:`mfn.core.summaries.Summary` objects of your own. Default:
        the model's default ones.
    population : int, default 200
        Accepted particles per generation, 10 <= population <= 100,000.
    generations : int, default 8
        Generations to run, >= 1. Calling again with more generations and the same store
        continues the calibration.
    scheduler : None, "synchronous", str or distributed.Client
        Where simulations run, as for :func:`mfn.sweep`: None starts a local Dask cluster
        (one worker process per core, or ``workers``); an address connects to a running
        scheduler; ``"synchronous"`` runs them in this process (reproducible from ``seed``).
    workers : int, optional
        Workers of the local cluster (only with ``scheduler=None``).
    dashboard : bool, default False
        Serve the local cluster's dashboard on 127.0.0.1.
    store : str or path-like, optional
        A SQLite file holding every finished generation. A new path is created; the store of
        the same calibration is resumed (finished generations are kept, the missing ones run);
        anything else is refused. Without it the calibration lives in a temporary file.
    seed : int, default 0
        Seed of the calibration: the proposals (in this process) and each simulation's seed,
        a hash of ``seed`` and its parameter values (``seed`` in the result).
    progress : bool, default True
        Show a progress bar over generations with epsilon, simulations and acceptance.

    Returns
    -------
    xarray.Dataset
        The final generation's particles over ``sample`` (one variable per fitted parameter,
        ``weight``), ``epsilon``, ``acceptance_rate``, ``ess`` and ``simulations`` over
        ``generation``, the priors, observed summaries, seeds and provenance (see
        :mod:`mfn.inference.result`). :func:`mfn.posterior_predictive` simulates from it,
        :func:`mfn.to_arviz` converts it.

    Raises
    ------
    ParameterError
        Before anything runs, for bad input (unknown parameter, prior outside the valid range,
        empty or undefined observed summaries, population < 10, generations < 1, a store that
        cannot be written or holds another calibration); after the sample from the prior, when
        no simulation could compute the summaries.
    KeyboardInterrupt
        With every finished generation kept in the store.

    Examples
    --------
    >>> import mfn
    >>> base = mfn.ReactionDiffusionParams(grid_size=32, steps=20, substeps=100, dt=0.004)
    >>> observed = mfn.simulate(base.replace(Dv=30.0), record_every=None)
    >>> result = mfn.calibrate(base, {"Dv": (10.0, 60.0)}, observed, population=10, generations=1,
    ...                        scheduler="synchronous", progress=False)
    >>> result.Dv.dims, result.sizes["generation"]
    (('sample',), 1)
    """
    model = _model(base)
    chosen = model.summaries.select(summaries)
    resolved = resolve_priors(type(base), priors)
    population = check_int("population", population, *POPULATION_RANGE)
    generations = check_int("generations", generations, 1, GENERATIONS_MAX)
    seed = check_int("seed", seed, 0, SEED_MAX)
    progress = check_bool("progress", progress)
    measures, x0, truth = observed_summaries(model, chosen, observed, resolved)
    if store is not None:
        from mfn.core.io import check_output_file

        check_output_file("store", store)
    require_pyabc()
    from tqdm.auto import tqdm

    from mfn.inference import smc
    from mfn.inference.result import build_result

    identity = {
        "model": model.name,
        "base": base.to_attrs(),
        "priors": {name: p.description for name, p in resolved.items()},
        "summaries": [s.name for s in chosen],
        "observed": x0,
        "population": population,
        "seed": seed,
    }
    simulator = Simulator(base, tuple(resolved.values()), chosen, seed)
    start = time.perf_counter()
    with ExitStack() as stack:
        if store is None:
            path = os.path.join(stack.enter_context(tempfile.TemporaryDirectory(prefix="mfn-calibrate-")), "abc.db")
        else:
            path = stack.enter_context(lock_store(store))
        calibration_store = CalibrationStore.open(path, identity)
        bar = stack.enter_context(tqdm(total=generations, unit="generation", desc="calibrate", disable=not progress))
        client = None
        if calibration_store.generations() < generations:  # else nothing to run: no cluster
            client = connect(scheduler, workers, stack, dashboard, name="scheduler")
            if client is not None:
                stack.callback(_drain, client)  # runs before the client and its cluster close
        history = smc.run_smc(
            simulator,
            resolved,
            x0,
            population=population,
            generations=generations,
            store=calibration_store,
            client=client,
            bar=bar,
        )
        attrs = {
            "model": model.name,
            "base": json.dumps(base.to_attrs()),
            "population": population,
            "generations_run": int(history.max_t + 1),
            "seed": seed,
            "store": "" if store is None else str(calibration_store.path),
            "resumed": int(calibration_store.resumed),
            "scheduler": _describe(client),
            "mfn_version": __version__,
            "pyabc_version": _version("pyabc"),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "duration_s": time.perf_counter() - start,
        }
        attrs["failure_examples"] = json.dumps(calibration_store.failure_examples())
        result = build_result(history, resolved, chosen, x0, truth, calibration_store.failures(), attrs)
    for name, variable in measures.data_vars.items():  # the observed measures, for pictures
        if variable.ndim:
            result[f"observed_{name}"] = variable
    return result


def require_pyabc() -> None:
    """Raise ImportError naming the extra when pyabc (or Dask, tqdm) is missing."""
    from importlib.util import find_spec

    for module in ("pyabc", "distributed", "tqdm"):
        if find_spec(module) is None:
            raise ImportError(f"calibration needs the {module} package: pip install 'mfn[calibrate]'")


def observed_summaries(
    model: Model, chosen: Sequence[Summary], observed: Any, priors: Mapping[str, Prior]
) -> tuple[xr.Dataset, dict[str, float], dict[str, float]]:
    """``(measures, summaries, truth)`` of ``observed``: its measures, its summary values, and the
    fitted parameters' values when it is a run of ``model`` (empty otherwise).

    Raises ``ParameterError`` when ``observed`` is a run of another model, empty, or leaves a
    summary undefined.
    """
    if observed is None:
        raise ParameterError("observed", None, "a run, a network or a Dataset of measures")
    attrs = getattr(observed, "attrs", None)
    run_of = attrs.get("model") if isinstance(attrs, Mapping) else None
    if run_of is not None and run_of != model.name:
        raise ParameterError("observed", f"a run of the {run_of} model", f"data to fit the {model.name} model to")
    measures = model.summaries.observe(observed)
    x0 = summary_values(chosen, measures)
    undefined = [name for name, value in x0.items() if not np.isfinite(value)]
    if undefined:
        raise ParameterError(
            "observed",
            f"data whose {', '.join(undefined)} {'is' if len(undefined) == 1 else 'are'} undefined (NaN)",
            "observed data that define every summary",
            "choose other summaries (summaries=...) or check the data",
        )
    truth = {}
    if run_of == model.name:
        for name in priors:
            value = attrs.get(name)
            if isinstance(value, (int, float, np.integer, np.floating)):
                truth[name] = float(value)
    return measures, x0, truth


def _model(base: Any) -> Model:
    if not isinstance(base, ModelParams):
        raise ParameterError("base", type(base).__name__, "parameters of a registered model, e.g. mfn.MyceliumParams()")
    model = model_for(base)
    if model.summaries is None:
        raise ParameterError("base", type(base).__name__, "parameters of a model that offers summaries to fit")
    return model


DRAIN_SECONDS = 30.0
"""Longest wait, at the end, for simulations pyabc left running on the workers."""


def _drain(client: Any) -> None:
    """Wait (at most :data:`DRAIN_SECONDS`) until no worker is running a simulation.

    pyabc's Dask sampler may leave a few surplus simulations running when a generation has its
    particles; closing the cluster under them makes the nanny kill busy workers and print
    heartbeat errors. Their results are discarded either way.
    """
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        try:
            busy = any(client.processing().values())
        except (OSError, TimeoutError):  # the scheduler is gone: nothing left to drain
            return
        if not busy:
            return
        time.sleep(0.1)


def _describe(client: Any) -> str:
    if client is None:
        return "synchronous"
    workers = client.scheduler_info(n_workers=-1)["workers"]
    return f"dask, {len(workers)} workers, {sum(w['nthreads'] for w in workers.values())} threads"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)
