"""server: the waitress options made from the app's configuration, without a server (the
live limits are tested in tests/web/test_server_limits.py)."""

from __future__ import annotations

from webui import create_app
from webui.server import BODY_SLACK, waitress_options


def test_options_follow_the_upload_limit_and_the_configuration():
    config = create_app({"MAX_UPLOAD_BYTES": 1000, "CHANNEL_TIMEOUT": 7}).config
    options = waitress_options(config)
    assert options["max_request_body_size"] == 1000 + BODY_SLACK
    assert (options["channel_timeout"], options["cleanup_interval"]) == (7, 2)
    assert (options["connection_limit"], options["asyncore_use_poll"]) == (500, True)


def test_options_are_whole_numbers_from_string_configuration() -> None:
    """Values from the environment arrive as text: waitress gets numbers."""
    options = waitress_options(
        {"MAX_UPLOAD_BYTES": "100", "CHANNEL_TIMEOUT": "3", "CLEANUP_INTERVAL": "1",
         "CONNECTION_LIMIT": "9"}
    )  # fmt: skip
    assert options["max_request_body_size"] == 100 + BODY_SLACK
    assert (options["channel_timeout"], options["cleanup_interval"]) == (3, 1)
    assert options["connection_limit"] == 9 and options["ident"] == "nmg-news-search"
