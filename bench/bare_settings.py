"""Lantern's own settings, served with the benchmark's URLconf (``bench/bare_urls.py``).

The public-report benchmark needs a floor to compare with: a view that does nothing but
insert one row, behind exactly the same middleware, workers and database. It must not be
reachable in Lantern itself, so it lives in bench/ and only this settings module routes it.
"""

from lantern.settings import *  # noqa: F403

ROOT_URLCONF = "bare_urls"

# Static files compressed as in production, but without the hashed-name manifest: the built
# stylesheet refers to GOV.UK Frontend's crest image, which the asset build does not ship, so
# `collectstatic` with the manifest fails and `lantern serve` stops before it starts. The
# requests measured render no page, so the manifest has no bearing on the figures.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
