from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kpo.accounts.forms import (
    ContactForm,
    ConversationReplyForm,
    PeopleFilterForm,
    PhotoForm,
    ProfileForm,
)
from kpo.accounts.models import Profile
from kpo.accounts.selectors import (
    conversation_get_for_user,
    conversation_list_for_user,
    conversation_messages,
    person_expertise_evidence,
    person_get_for_user,
    person_list_for_user,
    person_photo_name,
)
from kpo.accounts.services import (
    ContactRefused,
    contact_message_send,
    conversation_reply,
    profile_get_or_create,
    profile_photo_remove,
    profile_photo_set,
    profile_update,
)
from kpo.core.casedata import CaseDataWarning
from kpo.security.ratelimit import rate_limited
from kpo.security.views import SecureLoginMixin


class LoginView(SecureLoginMixin, auth_views.LoginView):  # type: ignore[misc]
    """Login with lock-out; staff roles continue to the second factor (kpo.security)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request):
    instance = profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=instance)
        if form.is_valid():
            profile_update(user=request.user, data=form.cleaned_data)
            messages.success(request, _("Je profiel is opgeslagen."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(
            instance=instance,
            initial={"first_name": request.user.first_name, "last_name": request.user.last_name},
        )
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": instance, "photo_form": PhotoForm()},
    )


@login_required
@require_POST
@rate_limited("upload")
def profile_photo(request):
    """Upload (``photo``) or remove (``remove``) the own profile photo."""
    if "remove" in request.POST:
        profile_photo_remove(user=request.user)
        messages.success(request, _("Je foto is verwijderd."))
        return redirect("accounts:profile")
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            profile_photo_set(user=request.user, uploaded=photo_form.cleaned_data["photo"])
        except ValidationError as exc:
            photo_form.add_error("photo", exc)
        else:
            messages.success(request, _("Je foto is opgeslagen."))
            return redirect("accounts:profile")
    instance = profile_get_or_create(user=request.user)
    form = ProfileForm(
        instance=instance,
        initial={"first_name": request.user.first_name, "last_name": request.user.last_name},
    )
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": instance, "photo_form": photo_form},
        status=400,
    )


@login_required
def people(request):
    form = PeopleFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data.get("q") or None,
            "theme": data["theme"].slug if data.get("theme") else None,
            "organisation": data["organisation"].slug if data.get("organisation") else None,
            "region": data["region"].slug if data.get("region") else None,
        }
    people_qs = person_list_for_user(user=request.user, **filters)
    page = Paginator(people_qs, 24).get_page(request.GET.get("pagina"))
    return render(request, "accounts/people.html", {"form": form, "page_obj": page})


def _person_page(request, found: Profile, *, form=None, case_data=None, refused=None, status=200):
    can_contact = found.accepts_contact and found.user_id != request.user.pk
    return render(
        request,
        "accounts/person.html",
        {
            "person": found,
            "evidence": person_expertise_evidence(user=request.user, person=found),
            "can_contact": can_contact,
            "contact_form": form or (ContactForm() if can_contact else None),
            "case_data": case_data,
            "refused": refused,
        },
        status=status,
    )


@login_required
def person(request, user_id: int):
    found = person_get_for_user(user=request.user, user_id=user_id)
    if found is None:
        raise Http404
    return _person_page(request, found)


@login_required
@require_POST
def person_contact(request, user_id: int):
    """Send a colleague a message from their profile (rate limited as ``contact``)."""
    found = person_get_for_user(user=request.user, user_id=user_id)
    if found is None:
        raise Http404
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _person_page(request, found, form=form, status=400)
    try:
        message = contact_message_send(
            sender=request.user,
            expert=found.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            case_data_reason=form.cleaned_data.get("case_data_reason"),
        )
    except ContactRefused as exc:
        return _person_page(request, found, refused=str(exc), status=403)
    except CaseDataWarning as exc:
        form.reveal_case_data_reason()
        return _person_page(request, found, form=form, case_data=exc, status=400)
    except ValidationError as exc:
        _form_errors(form, exc)
        return _person_page(request, found, form=form, status=400)
    messages.success(request, _("Je bericht is verstuurd."))
    return redirect(message.conversation.get_absolute_url())


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def person_photo(request, user_id: int, size: str):
    """A colleague's photo, streamed from storage for readers who may see the person."""
    from kpo.accounts.services import profile_photo_storage_open

    name = person_photo_name(user=request.user, user_id=user_id, size=size)
    if name is None:
        raise Http404
    try:
        handle = profile_photo_storage_open(name=name)
    except OSError as exc:
        raise Http404 from exc
    content_type = "image/jpeg" if size == "jpg" else "image/webp"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def conversations(request):
    page = Paginator(conversation_list_for_user(user=request.user), 30).get_page(
        request.GET.get("pagina")
    )
    return render(request, "accounts/conversations.html", {"page_obj": page})


@login_required
def conversation(request, conversation_id: int):
    found = conversation_get_for_user(user=request.user, conversation_id=conversation_id)
    if found is None:
        raise Http404
    form = ConversationReplyForm(request.POST or None)
    case_data = refused = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conversation_reply(
                    conversation=found,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    case_data_reason=form.cleaned_data.get("case_data_reason"),
                )
            except ContactRefused as exc:
                refused, status = str(exc), 403
            except CaseDataWarning as exc:
                form.reveal_case_data_reason()
                case_data, status = exc, 400
            except ValidationError as exc:
                _form_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Je antwoord is verstuurd."))
                return redirect(found.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "accounts/conversation.html",
        {
            "conversation": found,
            "other": found.other_party(request.user),
            "messages_list": conversation_messages(conversation=found),
            "form": form,
            "case_data": case_data,
            "refused": refused,
        },
        status=status,
    )
