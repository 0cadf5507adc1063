"""Objects the permission matrices need for the knowledge base: a published example by the contributor persona
(the member persona is its second reviewer), with a material and an open problem report."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge import actions
from tests.knowledge.scene import approve_twice, example_data


def knowledge_ids(personas) -> dict[str, object]:
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = actions.create_example(contributor, example_data())
    actions.add_material(contributor, example, SimpleUploadedFile("handreichung.txt", b"Eine kurze Handreichung.\n"))
    example.refresh_from_db()
    actions.submit(contributor, example, example.version)
    example.refresh_from_db()
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    report = actions.report_problem(example, text="Der Link im Vorgehen ist veraltet.")
    return {
        "knowledge_example": example.pk,
        "knowledge_material": example.materials.get().pk,
        "knowledge_report": report.pk,
    }
