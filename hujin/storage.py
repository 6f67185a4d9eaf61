"""Static files: hashed, compressed names with far-future cache headers once collectstatic
has run (production: make setup), plain names before it (tests, make run)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage that falls back to a file's plain name when it has no
    hashed one: pages must render before collectstatic (the test suite runs with DEBUG off,
    where Django asks the storage for every {% static %}).

    manifest_strict = False alone is not enough: without a manifest entry Django hashes the
    collected file, and with nothing collected that raises. A plain name is served by the
    finders where there are any (runserver, the tests' live server); in production setup
    collects every file, so a fallback there means a file added without running setup."""

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
