from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kpo.accounts.forms import PeopleFilterForm, ProfileForm
from kpo.accounts.selectors import person_get_for_user, person_list_for_user
from kpo.accounts.services import profile_get_or_create, profile_update
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
    return render(request, "accounts/profile.html", {"form": form, "profile": instance})


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


@login_required
def person(request, user_id: int):
    found = person_get_for_user(user=request.user, user_id=user_id)
    if found is None:
        raise Http404
    return render(request, "accounts/person.html", {"person": found})
