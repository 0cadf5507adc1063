"""The notice as XRechnung: valid against the official CII D16B schema and the CEN EN 16931 schematron."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from costshares import xrechnung
from costshares.actions import create_setting, set_invoice_recipient
from costshares.models import Share
from members.models import Municipality

pytestmark = pytest.mark.django_db
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


@pytest.fixture
def share(personas):
    hagen = Municipality.objects.get(slug="hagen")
    set_invoice_recipient(
        personas["office"],
        hagen,
        leitweg_id="05914000-1-79",
        department="FB 56",
        street="Rathausstraße 11",
        postcode="58095",
        city="Hagen",
    )
    setting = create_setting(
        personas["office"], year=2024, budget=Decimal("20000.00"), key_date=dt.date(2023, 12, 31), due_date=dt.date(2024, 3, 31)
    )
    return Share.objects.get(setting=setting, municipality=hagen)


def test_notice_is_valid_xrechnung_with_the_leitweg_id(share):
    xml = xrechnung.build_xml(share)
    assert xrechnung.schema_errors(xml) == []
    assert xrechnung.schematron_available(), "saxonche is pinned in requirements/base.txt"
    assert xrechnung.schematron_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//ram:BuyerReference", namespaces=NS) == "05914000-1-79"
    assert root.findtext(".//ram:DuePayableAmount", namespaces=NS) == "2000.00"
    assert root.findtext(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=NS) == xrechnung.XRECHNUNG_ID


def test_a_broken_document_is_caught_by_schema_and_schematron(share):
    xml = xrechnung.build_xml(share)
    root = etree.fromstring(xml)
    # Schema: an element in the wrong place.
    broken = etree.fromstring(xml)
    context = broken.find("rsm:ExchangedDocumentContext", NS)
    broken.remove(context)
    broken.append(context)
    assert xrechnung.schema_errors(etree.tostring(broken))
    # Business rule: the total does not match the line (BR-CO-10 and friends).
    root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount", NS).text = "1999.99"
    errors = xrechnung.schematron_errors(etree.tostring(root))
    assert any("BR-CO-10" in e for e in errors), errors


def test_the_kosit_xrechnung_rules_run_too(share):
    """Without the Leitweg-ID as buyer reference the XRechnung rule BR-DE-15 fails (EN 16931 alone allows it)."""
    root = etree.fromstring(xrechnung.build_xml(share))
    reference = root.find(".//ram:BuyerReference", NS)
    reference.getparent().remove(reference)
    xml = etree.tostring(root)
    assert xrechnung.schema_errors(xml) == []
    errors = xrechnung.schematron_errors(xml)
    assert [e for e in errors if e.startswith("BR-DE-15")], errors


def test_an_invalid_notice_is_never_offered(share, client_for, monkeypatch):
    monkeypatch.setattr(xrechnung, "validate", lambda xml: ["BR-XX: kaputt"])
    response = client_for("office").get(f"/kostenverteilung/anteil/{share.pk}/xrechnung.xml")
    assert response.status_code == 409
    assert b"<?xml" not in response.content
    assert "BR-XX: kaputt" in response.content.decode()


def test_notice_download_for_the_office(share, client_for):
    response = client_for("office").get(f"/kostenverteilung/anteil/{share.pk}/xrechnung.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert xrechnung.validate(response.content) == []
