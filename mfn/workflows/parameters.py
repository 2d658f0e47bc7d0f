"""A notebook's parameters: those it declares, those it is given, and the checks its validation cell calls.

Every notebook in ``notebooks/`` and ``tutorials/`` starts with a cell tagged ``parameters``
(annotated defaults, one per line) followed by a validation cell that builds its model's
parameters (:func:`model_params_for`) and checks every other value (:func:`check_output_dir`
and the checks of :mod:`mfn.core.checks`), so a bad papermill parameter stops the run in that
cell with a :class:`~mfn.core.errors.ParameterError` naming it. papermill itself only warns
about parameters a notebook does not declare: :func:`check_parameters` refuses them, against
:func:`notebook_parameters`, before a kernel starts. A notebook writes its result where
:func:`result_path` says, for :mod:`mfn.workflows.batch` to collect.

Notebooks import these from :mod:`mfn.workflows.notebook`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mfn.core.errors import ParameterError

__all__ = [
    "KERNEL_NAME",
    "RESULT_FILE",
    "check_output_dir",
    "check_parameters",
    "existing_notebook",
    "model_params_for",
    "notebook_parameters",
    "result_path",
]

RESULT_FILE = "result.nc"
"""Name of the result file a notebook writes into its ``output_dir`` for :mod:`mfn.workflows.batch`."""
KERNEL_NAME = "python3"
"""Kernel used for every execution: the Python running :mod:`mfn` (ipykernel's native spec)."""


def check_parameters(given: Mapping[str, Any], expected: Iterable[str]) -> dict[str, Any]:
    """Refuse parameters that a notebook does not declare.

    Parameters
    ----------
    given : mapping
        Parameters to inject, name -> value.
    expected : iterable of str
        Names declared in the notebook's ``parameters`` cell.

    Returns
    -------
    dict
        ``given`` as a plain dict.

    Raises
    ------
    ParameterError
        Naming the first unknown parameter (all of them in the message) and listing the valid names.

    Examples
    --------
    >>> check_parameters({"steps": 5}, ["steps", "seed"])
    {'steps': 5}
    >>> try:
    ...     check_parameters({"step": 5, "sed": 1}, ["steps", "seed"])
    ... except ParameterError as err:
    ...     print(err.parameter, "|", err.hint)
    step | unknown parameters: step, sed
    """
    names = list(expected)
    unknown = [key for key in given if key not in names]
    if unknown:
        raise ParameterError(
            unknown[0],
            given[unknown[0]],
            f"a parameter of the notebook: one of {', '.join(names)}",
            hint=f"unknown parameters: {', '.join(unknown)}",
        )
    return dict(given)


def check_output_dir(output_dir: Any) -> Path:
    """Return ``output_dir`` as a :class:`~pathlib.Path`, created if missing.

    Raises
    ------
    ParameterError
        If it is not a non-empty string or path, or names an existing file.
    """
    if not isinstance(output_dir, (str, os.PathLike)) or not str(output_dir).strip():
        raise ParameterError("output_dir", output_dir, "a non-empty folder path")
    path = Path(output_dir)
    if path.exists() and not path.is_dir():
        raise ParameterError("output_dir", str(output_dir), "a folder, not an existing file")
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_path(output_dir: str | os.PathLike) -> Path:
    """Where a notebook writes the result that :mod:`mfn.workflows.batch` collects (``output_dir/result.nc``)."""
    return Path(output_dir) / RESULT_FILE


def notebook_parameters(notebook: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares: name -> ``{"default", "inferred_type_name", "help"}``.

    The ``parameters`` cell is read as Python (every notebook runs on the ``python3`` kernel),
    so a notebook saved without a kernelspec in its metadata works too.

    Raises
    ------
    ParameterError
        If the file does not exist, is not a readable notebook, or has no cell tagged
        ``parameters``.
    """
    import nbformat
    from papermill.translators import papermill_translators

    path = existing_notebook(notebook)
    try:
        node = nbformat.read(path, as_version=4)
    except Exception as err:  # invalid JSON or not a notebook: nbformat raises several kinds
        raise ParameterError(
            "notebook", str(notebook), "a readable .ipynb notebook", f"{type(err).__name__}: {err}"
        ) from None
    cell = next((c for c in node.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError("notebook", str(notebook), "a notebook with a cell tagged 'parameters'")
    found = papermill_translators.find_translator(KERNEL_NAME, "python").inspect(cell)
    return {p.name: p._asdict() for p in found}


def existing_notebook(notebook: str | os.PathLike) -> Path:
    """``notebook`` as a path, which must name an existing ``.ipynb`` file (else :class:`ParameterError`)."""
    path = Path(notebook)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ParameterError("notebook", str(notebook), "an existing .ipynb file")
    return path


def model_params_for(
    model: str, common: Mapping[str, Any], classic_only: Mapping[str, Any], extra: Mapping[str, Any]
) -> Any:
    """The parameters of ``model`` from a notebook's parameters, each validated.

    Parameters
    ----------
    model : str
        A registered model's name (``mfn models``).
    common : mapping
        Parameters every model has (``grid_size``, ``steps``, ``seed``).
    classic_only : mapping
        The classic model's own parameters the notebook declares; with another model they must
        stay at the classic defaults, so a value meant for the classic model is never dropped
        silently.
    extra : mapping
        The model's other parameters (``model_params``).

    Raises
    ------
    ParameterError
        For an unknown model, a classic parameter changed for another model, or any invalid
        or unknown parameter of the model.

    Examples
    --------
    >>> model_params_for("classic", {"grid_size": 16}, {"alpha": 0.2}, {}).alpha
    0.2
    >>> model_params_for("reaction_diffusion", {"grid_size": 16}, {"alpha": 0.18}, {"kinetics": "brusselator"}).kinetics
    'brusselator'
    """
    from mfn.core.model import get_model

    spec = get_model(model)
    if not isinstance(extra, Mapping):
        raise ParameterError("model_params", extra, "a mapping of parameter names to values")
    if spec.name == "classic":
        return spec.params_class.from_dict({**common, **classic_only, **extra})
    defaults = get_model("classic").params_class()
    for name, value in classic_only.items():
        if value != getattr(defaults, name):
            raise ParameterError(
                name,
                value,
                f"its default {getattr(defaults, name)!r} with model {spec.name!r} (it is a classic parameter)",
                f"give the {spec.name} model's parameters in model_params",
            )
    return spec.params_class.from_dict({**common, **extra})
