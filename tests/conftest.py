import pytest

pytest_plugins = ["tests.browser"]

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Plain static storage (no collectstatic in tests), media in a temporary folder."""
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _script_prefix():
    """Calling the WSGI application under a SCRIPT_NAME sets the thread's script prefix;
    put it back so one test's mount point never leaks into the next test's URLs."""
    from django.urls import get_script_prefix, set_script_prefix

    prefix = get_script_prefix()
    yield
    set_script_prefix(prefix)
