"""The record of processing activities (Art. 30 GDPR), generated from the registry."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .registry import ACTIVITIES, Activity, Erasure, ModelPrivacy, registered_models
from .retention import RULES

ERASURE_LABELS = {
    Erasure.DELETE: "wird gelöscht",
    Erasure.AUTHORED: "bleibt als „ehemaliges Mitglied“ oder wird auf Entscheidung der Geschäftsstelle gelöscht",
    Erasure.ATTRIBUTED: "bleibt als „ehemaliges Mitglied“",
    Erasure.KEEP: "bleibt (Grund siehe unten)",
    Erasure.SUBJECT: "Person bzw. Konto selbst (siehe Löschkonzept)",
    Erasure.NONE: "kein Bezug zu einer einzelnen Person",
}


@dataclass
class ModelLine:
    label: str
    name: str
    meta: ModelPrivacy

    @property
    def erasure(self) -> str:
        text = ERASURE_LABELS[self.meta.erasure]
        return f"{text}: {self.meta.keep_reason}" if self.meta.keep_reason else text


@dataclass
class ActivitySection:
    key: str
    activity: Activity
    models: list[ModelLine]


def sections() -> list[ActivitySection]:
    grouped: dict[str, list[ModelLine]] = {key: [] for key in ACTIVITIES}
    for model, meta in registered_models():
        grouped[meta.activity].append(ModelLine(model._meta.label, str(model._meta.verbose_name_plural), meta))
    return [ActivitySection(key, ACTIVITIES[key], lines) for key, lines in grouped.items() if lines]


def retention_lines() -> list[tuple[str, int, bool]]:
    return [(rule.label, rule.days, rule.archive) for rule in RULES.values()]


def as_markdown() -> str:
    """The record as Markdown: the data-protection officer opens it in any editor or converts it with pandoc."""
    out = [
        "# Verzeichnis von Verarbeitungstätigkeiten (Art. 30 Abs. 1 DSGVO)",
        "",
        f"Verantwortlich: {settings.COSTSHARES_CREDITOR['name']}  ",
        f"Stand: {timezone.localtime():%d.%m.%Y} (aus den Angaben im Programmcode erzeugt)",
        "",
    ]
    for number, section in enumerate(sections(), start=1):
        activity = section.activity
        out += [
            f"## {number}. {activity.name}",
            "",
            f"- **Zweck:** {activity.purpose}",
            f"- **Rechtsgrundlage:** {activity.legal_basis}",
            f"- **Betroffene:** {', '.join(activity.subjects)}",
            f"- **Empfänger:** {', '.join(activity.recipients)}",
            f"- **Löschfrist:** {activity.retention}",
            "- **Übermittlung in Drittländer:** keine",
            "",
            "| Datenart (Modell) | Kategorien | Bei Löschung einer Person |",
            "|---|---|---|",
        ]
        for line in section.models:
            cells = [f"{line.name} (`{line.label}`)", ", ".join(line.meta.categories), line.erasure]
            out.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
        out.append("")
    out += ["## Aufbewahrungsregeln", "", "| Regel | Frist (Tage) | vorher dem Archiv angeboten |", "|---|---|---|"]
    for label, days, archive in retention_lines():
        out.append(f"| {label} | {days} | {'ja' if archive else 'nein'} |")
    out += [
        "",
        "## Technische und organisatorische Maßnahmen (Art. 32 DSGVO)",
        "",
        "Siehe docs/operations.md (Datensicherung, Wiederherstellungsprobe) und docs/architecture.md.",
        "",
    ]
    return "\n".join(out)
