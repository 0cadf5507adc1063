"""The project's URLs plus ``bench/floor/``: the base layout with an empty content block.

The floor is what every page costs before its own work (middleware, session, roles, base template),
so a page's requests per second divided by the floor's shows how much the page itself adds.
"""

from django.shortcuts import render
from django.urls import path

from interkommunal import urls as project_urls


def floor(request):
    return render(request, "bench/floor.html")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
