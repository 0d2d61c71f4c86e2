import pytest

from .servers import FTP, Server, write_archive


@pytest.fixture(autouse=True)
def _harvest_settings(settings):
    settings.HARVEST_DELAY = 0.001
    settings.HARVEST_TIMEOUT = 2
    settings.HARVEST_RETRIES = 1
    settings.HARVEST_ALLOW_PRIVATE = True  # the servers are on loopback
    settings.HARVEST_ALLOW_NETWORKS = []


@pytest.fixture
def http_server(tmp_path):
    server = Server(tmp_path / "www")
    (tmp_path / "www").mkdir(exist_ok=True)
    yield server
    server.stop()


@pytest.fixture
def archive_folder(http_server):
    """The archive `tst` served over HTTP at <server>/RePEc/tst/."""
    return write_archive(http_server.folder, f"{http_server.url}/RePEc/tst/")


@pytest.fixture
def ftp_server(tmp_path):
    (tmp_path / "ftp").mkdir()
    server = FTP(tmp_path / "ftp")
    yield server
    server.stop()
