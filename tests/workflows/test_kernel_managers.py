"""mfn.workflows.kernel_managers: a finished notebook's kernel leaves without an interrupt, over IPC or TCP."""

import pytest

from mfn.workflows.notebook import execute

RECORD_SIGINT = """\
import signal
from pathlib import Path

kernel = get_ipython().kernel
kernel.pre_handler_hook = kernel.post_handler_hook = lambda: None  # keep this handler for every later message
signal.signal(signal.SIGINT, lambda signum, frame: (Path(output_dir) / "interrupted").write_text("SIGINT"))
"""


@pytest.mark.parametrize("ipc", [True, False])
def test_a_finished_notebook_s_kernel_is_shut_down_without_an_interrupt(tmp_path, ipc):
    """jupyter_client interrupts every kernel it shuts down; one that lands while ipykernel handles a message prints
    ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` into a successful run (``make demo``).
    The kernel here records any SIGINT it gets after its last cell."""
    import nbformat

    parameters = nbformat.v4.new_code_cell('output_dir = "."', metadata={"tags": ["parameters"]})
    notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(RECORD_SIGINT)])
    path = tmp_path / "records_sigint.ipynb"
    nbformat.write(notebook, path)
    execute(path, tmp_path / "run.ipynb", {"output_dir": str(tmp_path)}, ipc=ipc)
    assert not (tmp_path / "interrupted").exists()
