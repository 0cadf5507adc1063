"""The payment notice as an XRechnung (EN 16931, CII syntax), built offline and validated before use.

Built with ``drafthorse`` (the CII document model pretix uses for ZUGFeRD). Checked against the
official artefacts vendored beside this module (see ``README.md`` here): the UN/CEFACT CII D16B
schema with lxml, the CEN EN 16931 schematron (compiled XSLT 2) and the KoSIT XRechnung schematron
(Schematron source, compiled by :mod:`.schematron`) with Saxon (``saxonche``).
A notice that fails either check is never offered: :func:`build_valid_xrechnung` raises instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "cii-d16b" / "CrossIndustryInvoice_100pD16B.xsd"
SCHEMATRON_XSLT = HERE / "schematron" / "EN16931-CII-validation.xslt"
KOSIT_SCHEMATRON = HERE / "kosit" / "cii" / "XRechnung-CII-validation.sch"
XRECHNUNG_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EXEMPTION = "Nicht steuerbar: Kostenbeteiligung unter Kommunen im Rahmen einer öffentlich-rechtlichen Zusammenarbeit (§ 2b UStG)."


class InvalidXRechnung(Exception):
    """The generated document broke the schema or a business rule; ``errors`` says which."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


def build_xml(share) -> bytes:
    """The CII document for one city's share (the notice); raises ``ValueError`` without a Leitweg-ID."""
    from drafthorse.models.accounting import ApplicableTradeTax
    from drafthorse.models.document import Document
    from drafthorse.models.note import IncludedNote
    from drafthorse.models.payment import PaymentMeans, PaymentTerms
    from drafthorse.models.tradelines import LineItem

    recipient = getattr(share.municipality, "invoice_recipient", None)
    if recipient is None:
        raise ValueError("no Leitweg-ID")
    creditor = settings.COSTSHARES_CREDITOR
    setting = share.setting
    amount = share.amount
    issued = setting.created.date() if setting.created else dt.date.today()  # noqa: DTZ011

    doc = Document()
    doc.context.business_parameter.id = PEPPOL_PROCESS
    doc.context.guideline_parameter.id = XRECHNUNG_ID
    doc.header.id = share.notice_number
    doc.header.type_code = "380"
    doc.header.issue_date_time = issued
    doc.header.notes.add(
        IncludedNote(
            content=f"Kostenanteil {share.municipality.short_name} am Haushalt {setting.year} der Kooperation "
            f"({setting.key_label}; Fassung {setting.number})."
        )
    )

    seller = doc.trade.agreement.seller
    seller.id = creditor["identifier"]
    seller.name = creditor["name"]
    seller.address.line_one = creditor["street"]
    seller.address.postcode = creditor["postcode"]
    seller.address.city_name = creditor["city"]
    seller.address.country_id = "DE"
    seller.contact.person_name = creditor["contact_name"]
    seller.contact.telephone.number = creditor["contact_phone"]
    seller.contact.email.address = creditor["contact_email"]
    seller.electronic_address.uri_ID = ("EM", creditor["contact_email"])

    buyer = doc.trade.agreement.buyer
    buyer.name = share.municipality.name
    buyer.address.line_one = recipient.street
    if recipient.department:
        buyer.address.line_two = recipient.department
    buyer.address.postcode = recipient.postcode
    buyer.address.city_name = recipient.city
    buyer.address.country_id = "DE"
    buyer.electronic_address.uri_ID = ("0204", recipient.leitweg_id)
    doc.trade.agreement.buyer_reference = recipient.leitweg_id

    doc.trade.delivery.event.occurrence = dt.date(setting.year, 12, 31)

    line = LineItem()
    line.document.line_id = "1"
    line.product.name = f"Kostenanteil {setting.year}"
    line.agreement.net.amount = amount
    line.delivery.billed_quantity = (Decimal("1"), "C62")
    line.settlement.trade_tax.type_code = "VAT"
    line.settlement.trade_tax.category_code = "O"
    line.settlement.monetary_summation.total_amount = amount
    doc.trade.items.add(line)

    settlement = doc.trade.settlement
    settlement.currency_code = "EUR"
    settlement.payment_reference = share.notice_number
    means = PaymentMeans()
    means.type_code = "58"
    means.payee_account.iban = creditor["iban"]
    means.payee_account.account_name = creditor["name"]
    settlement.payment_means.add(means)
    tax = ApplicableTradeTax()
    tax.calculated_amount = Decimal("0.00")
    tax.basis_amount = amount
    tax.type_code = "VAT"
    tax.category_code = "O"
    tax.rate_applicable_percent = Decimal("0.00")  # BR-DE-14 wants the rate; for category O it is zero
    tax.exemption_reason = EXEMPTION
    tax.exemption_reason_code = "VATEX-EU-O"
    settlement.trade_tax.add(tax)
    terms = PaymentTerms()
    terms.description = f"Zahlbar bis {setting.due_date:%d.%m.%Y} unter Angabe von {share.notice_number}."
    terms.due = setting.due_date
    settlement.terms.add(terms)
    totals = settlement.monetary_summation
    totals.line_total = amount
    totals.charge_total = Decimal("0.00")
    totals.allowance_total = Decimal("0.00")
    totals.tax_basis_total = amount
    totals.tax_total = (Decimal("0.00"), "EUR")
    totals.grand_total = amount
    totals.prepaid_total = Decimal("0.00")
    totals.due_amount = amount
    return doc.serialize(schema="FACTUR-X_EXTENDED")


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(xml: bytes) -> list[str]:
    """Errors against the official UN/CEFACT CII D16B schema (the syntax EN 16931 binds to)."""
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"XSD Zeile {e.line}: {e.message}" for e in schema.error_log]


def schematron_available() -> bool:
    try:
        import saxonche  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _schematron():
    """Saxon with both rule sets compiled once per process (CEN EN 16931, then KoSIT XRechnung)."""
    from saxonche import PySaxonProcessor

    from .schematron import compile_schematron

    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    cen = compiler.compile_stylesheet(stylesheet_file=str(SCHEMATRON_XSLT))
    kosit = compiler.compile_stylesheet(stylesheet_text=compile_schematron(KOSIT_SCHEMATRON).decode("utf-8"))
    return processor, (cen, kosit)


SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def schematron_errors(xml: bytes) -> list[str]:
    """Fatal findings of the CEN EN 16931 and the KoSIT XRechnung schematron (SVRL, flag fatal)."""
    processor, executables = _schematron()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    errors = []
    for executable in executables:
        root = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
        for failed in root.iter(f"{SVRL}failed-assert"):
            if failed.get("flag", "fatal") == "fatal":
                text = " ".join("".join(failed.find(f"{SVRL}text").itertext()).split())
                errors.append(f"{failed.get('id')}: {text}")
    return errors


def validate(xml: bytes) -> list[str]:
    errors = schema_errors(xml)
    if not errors and schematron_available():
        errors = schematron_errors(xml)
    return errors


def build_valid_xrechnung(share) -> bytes:
    xml = build_xml(share)
    errors = validate(xml)
    if errors:
        raise InvalidXRechnung(errors)
    return xml
