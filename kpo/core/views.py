from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from kpo.core.problems import is_api_request, problem_response


def accessibility(request):
    return render(request, "kpo/accessibility.html")


def privacy(request):
    return render(request, "kpo/privacy.html")


def page_not_found(request, exception=None):
    """404 page; under ``/api/`` a Problem Details object (also for a URL that matches no route,
    e.g. an id out of range or a trailing slash)."""
    if is_api_request(request):
        return problem_response(
            request=request, status=404, code="not_found", detail=_("Niet gevonden.")
        )
    return render(request, "404.html", status=404)


def server_error(request):
    if is_api_request(request):
        return problem_response(
            request=request,
            status=500,
            code="server_error",
            detail=_("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        )
    return render(request, "500.html", status=500)


def _mailbox_reader(request) -> None:
    from kpo.core.mailbox import mailbox_enabled
    from kpo.security.roles import is_platform_admin

    if not mailbox_enabled():
        raise Http404
    if not is_platform_admin(request.user):
        raise PermissionDenied


@login_required
def mailbox(request):
    """ "Verzonden e-mail": what the platform sent, for platform admins of the local demo."""
    from kpo.core.mailbox import mail_list

    _mailbox_reader(request)
    return render(request, "kpo/mailbox.html", {"mails": mail_list()})


@login_required
def mailbox_message(request, key: str):
    from kpo.core.mailbox import mail_get

    _mailbox_reader(request)
    mail = mail_get(key=key)
    if mail is None:
        raise Http404
    return render(request, "kpo/mailbox_message.html", {"mail": mail})
