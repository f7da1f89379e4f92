"""Community files: the file list with upload, and the download that applies the access rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communities import selectors, services
from communities.downloads import attachment_response
from communities.forms import (
    UploadForm,
)
from communities.models import Community
from communities.views.base import (
    community_context,
    community_view,
    error_text,
)


@community_view(content=True)
def file_list(request, community: Community):
    form = UploadForm(request.POST or None, request.FILES or None)
    case_data = None
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_create(
                community=community,
                user=request.user,
                uploaded=form.cleaned_data["file"],
                case_data_reason=form.cleaned_data.get("case_data_reason"),
            )
        except services.CaseDataWarning as exc:
            case_data = exc
            form.reveal_case_data_reason()
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Het bestand is gedeeld."))
            return redirect("communities:files", community.slug)
    files = selectors.attachment_list_for_user(user=request.user, community=community)
    page = Paginator(files, 30).get_page(request.GET.get("pagina"))
    status = 400 if form.errors or case_data else 200
    return render(
        request,
        "communities/files.html",
        community_context(
            request, community, form=form, page_obj=page, case_data=case_data, has_file=True
        ),
        status=status,
    )


@login_required
def attachment_download(request, slug: str, pk: int):
    """Serve a private file after the access check; always as a download. 404 when the user may
    not read it (never revealing whether it exists)."""
    community = selectors.community_get_for_user(user=request.user, slug=slug)
    if community is None:
        raise Http404
    attachment = selectors.attachment_get_for_user(user=request.user, community=community, pk=pk)
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
