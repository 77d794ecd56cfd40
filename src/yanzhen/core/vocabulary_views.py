"""Pages of the configurable vocabularies (系统 → 村类型、产业、来源、特长), for administrators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from yanzhen.accounts.roles import Role
from yanzhen.core import vocabulary as service

# The organisation department's administrator, as before, and the system administrator of 三员分立.
VOCABULARY_ROLES = (Role.ADMIN, Role.SYSTEM_ADMIN)


def vocabulary_index(request):
    if not request.user.has_role(*VOCABULARY_ROLES):
        raise PermissionDenied
    return render(
        request,
        "core/vocabulary_index.html",
        {
            "vocabularies": service.VOCABULARIES,
            "can_manage_accounts": request.user.has_role(Role.SYSTEM_ADMIN),
            "is_business_admin": request.user.has_role(Role.ADMIN),
        },
    )


def vocabulary_detail(request, key: str):
    chosen = service.get_vocabulary(key)
    if chosen is None:
        raise Http404
    if not request.user.has_role(*VOCABULARY_ROLES):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                service.remove_entry(
                    actor=request.user, vocabulary=chosen, entry_id=int(request.POST["remove"])
                )
            else:
                service.add_entry(actor=request.user, vocabulary=chosen, name=request.POST.get("name", ""))
        except ValidationError as invalid:
            error = "；".join(message for group in invalid.message_dict.values() for message in group)
        except ValueError:
            raise Http404 from None
        else:
            messages.success(request, "已保存。")
            return redirect("vocabulary-detail", key=key)
    return render(
        request,
        "core/vocabulary_detail.html",
        {"vocabulary": chosen, "entries": service.entries_with_usage(chosen), "error": error},
        status=400 if error else 200,
    )
