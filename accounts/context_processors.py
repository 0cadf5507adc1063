from accounts.roles import ROLE_LABELS, is_member, is_office, primary_role


def roles(request):
    user = request.user
    return {
        "is_office": is_office(user),
        "is_member": is_member(user),
        "primary_role_label": ROLE_LABELS[primary_role(user)],
    }
