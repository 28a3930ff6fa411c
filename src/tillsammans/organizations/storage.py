"""Where organisations' documents (statutes, annual reports, minutes) are kept.

They are not public: only the organisation's representatives and the
municipality's register and grant officers may read them, through the
download view, which checks who asks and logs the read. So they never go
under ``MEDIA_ROOT`` (served at ``MEDIA_URL``, e.g. by ``runserver`` in DEBUG
and by a web server in front of the site) but into a folder of their own that
no URL maps to: ``PRIVATE_MEDIA_ROOT`` (``var/private/`` by default). Logos
stay public under ``MEDIA_ROOT``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


def private_media_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


@deconstructible(path="tillsammans.organizations.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files with no URL: ``url()`` raises ``ValueError``, so no template or
    admin page can link to one by mistake."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, private_media_root())

    @cached_property
    def base_url(self):
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateStorage()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_private_storage(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The private folder must not lie in a folder the site serves."""
    private = Path(private_storage.location).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if served and _inside(private, Path(served).resolve()):
            errors.append(
                checks.Error(
                    f"The organisations' private documents ({private}) lie inside {name} "
                    f"({served}), which is served to anyone.",
                    hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT.",
                    id="organizations.E001",
                )
            )
    return errors
