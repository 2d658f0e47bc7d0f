"""``mfn app`` refuses bad input before it starts a server; its page (no server needed)."""

import pytest

from mfn import FieldParams
from mfn.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--grid-size", "512"], "grid_size = 512 is invalid"),
        (["--grid-size", "32", "64"], "a square grid"),
        (["--steps-per-frame", "51"], "steps_per_frame = 51 is invalid"),
        (["--port", "0"], "port = 0 is invalid"),
        (["--alpha", "0.3"], "alpha = 0.3 is invalid"),
    ],
)
def test_bad_options_exit_2_with_the_message(argv, message, capsys):
    assert main(["app", *argv]) == 2
    assert message in capsys.readouterr().err


def test_app_is_listed_with_its_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["app", "--help"])
    text = capsys.readouterr().out
    assert "--port" in text and "127.0.0.1" in text and "--steps-per-frame" in text


def test_the_page_title_has_no_anchor_mark():
    """Panel adds a "¶" link to a Markdown heading unless told not to; the page's title showed it."""
    from mfn.viz.app import create_app

    intro = create_app(FieldParams(grid_size=16))[0]
    html = intro._transform_object(intro.object)["object"]
    assert "live growth" in html and "¶" not in html and "header-anchor" not in html
