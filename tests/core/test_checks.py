"""The shared boundary checks of mfn.core.checks."""

import json

import pytest

from mfn.core.checks import read_json_object
from mfn.core.errors import ParameterError


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "an existing JSON file"),
        ("{steps: 1}", r"valid JSON \(Expecting property name"),
        (b"\xff\xfe", "valid JSON"),
        ("[1, 2]", "a JSON object"),
    ],
)
def test_read_json_object_names_the_parameter_and_the_problem(tmp_path, content, match):
    path = tmp_path / "grid.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ParameterError, match=match) as info:
        read_json_object("--grid", path)
    assert info.value.parameter == "--grid"
    assert str(path) in str(info.value)


def test_read_json_object_returns_the_object(tmp_path):
    path = tmp_path / "grid.json"
    path.write_text(json.dumps({"alpha": [0.1, 0.2]}))
    assert read_json_object("grid", path) == {"alpha": [0.1, 0.2]}
