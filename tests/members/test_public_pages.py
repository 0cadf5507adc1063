import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


@pytest.mark.parametrize(
    "url",
    ["/", "/ueber-uns/", "/mitgliedsstaedte/", "/mitgliedsstaedte/hagen/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"],
)
def test_public_pages_render_in_german(client, cooperation, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_member_cities_page_lists_all_ten_with_join_dates(client, cooperation):
    html = client.get("/mitgliedsstaedte/").content.decode()
    for city, joined in [
        ("Stadt Bochum", "28.05.2010"),
        ("Stadt Gelsenkirchen", "26.10.2010"),
        ("Stadt Herne", "26.03.2013"),
        ("Stadt Bottrop", "02.09.2015"),
        ("Stadt Hagen", "27.11.2023"),
    ]:
        assert city in html
        assert joined in html
    assert "Drucksache 0569/2023" in html


def test_unknown_page_is_404(client, cooperation):
    assert client.get("/gibt-es-nicht/").status_code == 404
