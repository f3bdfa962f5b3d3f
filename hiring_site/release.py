"""The code's release, part of every cache key (settings.CACHES' KEY_PREFIX): a deploy
never reads what older code wrote into a shared cache.

`RELEASE` from the environment when set (a deploy tool's commit id or version),
otherwise a digest of the app's source: its Python modules and templates, read once at
start-up (some 150 small files, a few milliseconds).
"""

import hashlib
from pathlib import Path

from hiring_site.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# What the cached results are computed and shaped by; tests, static files and data are not.
SOURCES = ("hiring_site", "roles", "hiring", "scorecards", "templates")


def source_digest(base: Path = BASE_DIR) -> str:
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".py", ".html"):
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def release() -> str:
    return env_str("RELEASE", "") or source_digest()
