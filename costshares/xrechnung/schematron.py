"""A small ISO Schematron (query binding xslt2) to XSLT 3 compiler, enough for the KoSIT XRechnung rules.

The KoSIT XRechnung schematron is published as Schematron source only; the usual compiler (SchXslt)
is not installable here. This compiler covers the features those rules use: ``ns``, ``include``,
``let`` (schema, pattern, rule), ``pattern``/``rule``/``assert``/``report`` with ``id`` and ``flag``,
``name``/``value-of`` in messages and embedded ``xsl:function``. Phases are ignored (every pattern
runs). As in Schematron, a node is checked by the first rule of a pattern whose context matches it.
The result is SVRL, read by :func:`costshares.xrechnung.schematron_errors`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _load(path: Path) -> etree._Element:
    """The schema with every ``include`` replaced by the element it points to."""
    root = etree.parse(str(path)).getroot()
    for include in list(root.iter(_q(SCH, "include"))):
        included = _load((path.parent / include.get("href")).resolve())
        include.getparent().replace(include, included)
    return root


def _message(parent: etree._Element, source: etree._Element) -> None:
    """Copy an assert's text into ``svrl:text``, evaluating ``name`` and ``value-of``."""
    text = etree.SubElement(parent, _q(SVRL, "text"))
    text.text = source.text
    for child in source:
        if child.tag == _q(SCH, "name"):
            select = f"name({child.get('path', '.')})"
        elif child.tag == _q(SCH, "value-of"):
            select = child.get("select") or "''"
        else:
            continue
        etree.SubElement(text, _q(XSL, "value-of"), select=select).tail = child.tail


def _variable(parent: etree._Element, let: etree._Element) -> None:
    etree.SubElement(parent, _q(XSL, "variable"), name=let.get("name"), select=let.get("value"))


def compile_schematron(path: Path) -> bytes:
    schema = _load(path)
    nsmap = {"xsl": XSL, "svrl": SVRL, "xs": "http://www.w3.org/2001/XMLSchema"}
    for ns in schema.iter(_q(SCH, "ns")):
        nsmap[ns.get("prefix")] = ns.get("uri")
    for prefix, uri in schema.nsmap.items():
        if prefix and prefix not in nsmap:
            nsmap[prefix] = uri
    out = etree.Element(_q(XSL, "stylesheet"), nsmap=nsmap, version="3.0")
    for function in schema.iter(_q(XSL, "function")):
        out.append(function)
    patterns = list(schema.iter(_q(SCH, "pattern")))
    for let in schema.findall(_q(SCH, "let")):
        _variable(out, let)
    for pattern in patterns:
        for let in pattern.findall(_q(SCH, "let")):
            _variable(out, let)
    root_template = etree.SubElement(out, _q(XSL, "template"), match="/")
    report = etree.SubElement(root_template, _q(SVRL, "schematron-output"))
    for index, pattern in enumerate(patterns):
        mode = f"pattern-{index}"
        etree.SubElement(report, _q(XSL, "apply-templates"), select="/", mode=mode)
        rules = pattern.findall(_q(SCH, "rule"))
        for position, rule in enumerate(rules):
            template = etree.SubElement(
                out, _q(XSL, "template"), match=rule.get("context"), mode=mode, priority=str(len(rules) - position + 1)
            )
            for let in rule.findall(_q(SCH, "let")):
                _variable(template, let)
            for check in rule:
                if check.tag not in (_q(SCH, "assert"), _q(SCH, "report")):
                    continue
                test = check.get("test")
                condition = f"not({test})" if check.tag == _q(SCH, "assert") else test
                branch = etree.SubElement(template, _q(XSL, "if"), test=condition)
                kind = "failed-assert" if check.tag == _q(SCH, "assert") else "successful-report"
                finding = etree.SubElement(branch, _q(SVRL, kind), id=check.get("id", ""), flag=check.get("flag", "fatal"))
                finding.set("location", "{path(.)}")
                _message(finding, check)
            etree.SubElement(template, _q(XSL, "apply-templates"), select="@*|node()", mode=mode)
        fallback = etree.SubElement(out, _q(XSL, "template"), match="@*|node()", mode=mode, priority="-10")
        etree.SubElement(fallback, _q(XSL, "apply-templates"), select="@*|node()", mode=mode)
        etree.SubElement(out, _q(XSL, "template"), match="text()", mode=mode, priority="-5")
    return bytes(etree.tostring(out, xml_declaration=True, encoding="utf-8"))
