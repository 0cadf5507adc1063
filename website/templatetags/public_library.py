"""Template helpers of the public library (publications and practice examples share them)."""

from django import template

from lib.licences import LicenceInfo, licence_info

register = template.Library()


@register.filter
def licence(value: str) -> LicenceInfo:
    """``{{ revision.licence|licence }}``: the shared licence description for a stored value."""
    return licence_info(value)


@register.filter
def filesize_de(size: int | None) -> str:
    """Bytes as German readers write them (1,2 MB)."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
