from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from communities.selectors import community_get_for_user, community_list_for_user


@login_required
def community_list(request):
    return render(
        request,
        "communities/community_list.html",
        {"communities": community_list_for_user(user=request.user)},
    )


@login_required
def community_detail(request, slug: str):
    community = community_get_for_user(user=request.user, slug=slug)
    if community is None:
        raise Http404
    return render(request, "communities/community_detail.html", {"community": community})
