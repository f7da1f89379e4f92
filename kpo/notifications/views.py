from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kpo.notifications.selectors import notification_list_for_user
from kpo.notifications.services import notification_mark_read


@login_required
def notification_list(request):
    page = Paginator(notification_list_for_user(user=request.user), 30).get_page(
        request.GET.get("pagina")
    )
    return render(request, "notifications/list.html", {"page_obj": page})


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:list")
