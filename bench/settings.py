"""Production settings plus the benchmark floor: a URLconf with one extra page and its template folder.

Only the benchmark uses this module (DJANGO_SETTINGS_MODULE=bench.settings); it changes nothing else,
so the floor runs through exactly the middleware, context processors and template loaders of production.
"""

from interkommunal.settings import *  # noqa: F403
from interkommunal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
