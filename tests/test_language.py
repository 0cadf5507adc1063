"""German first, in the formal register; English as the second language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = [pytest.mark.sqlite_fast]


@pytest.mark.parametrize(
    "msgid",
    ["You must type the same password each time.", "Please type your current password.", "You have signed out."],
)
def test_account_messages_address_people_formally(msgid):
    with translation.override("de"):
        text = gettext(msgid)
    assert text != msgid
    assert not any(word in text.split() for word in ("du", "Du", "dein", "deine", "Dein", "Deine", "dich"))


def test_english_catalogue_translates_the_navigation():
    with translation.override("en"):
        assert gettext("Verzeichnis") == "Directory"
        assert gettext("Mein Bereich") == "My area"
