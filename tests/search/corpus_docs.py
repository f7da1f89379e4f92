"""Index documents in the shared schema, built straight from ``kpo-corpus.yaml``.

Principals follow the access rule: documents carry ``platform`` or their community's content
principals; threads and events carry their community's ``content_principals()``; communities carry
``read_principals()``; e-learnings ``platform``; theme pages ``public``.
"""

from __future__ import annotations

from typing import Any

from communities.models import Community
from kpo.core.corpus import read_corpus
from search.indexer import finish_document


def ensure_communities(data: dict[str, Any]) -> dict[str, Community]:
    communities = {}
    for item in data.get("communities") or []:
        community, _ = Community.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "visibility": item["visibility"],
                "description": (item.get("description") or "").strip(),
            },
        )
        if community.visibility != item["visibility"]:
            community.visibility = item["visibility"]
            community.save(update_fields=["visibility"])
        communities[item["slug"]] = community
    return communities


def corpus_documents() -> list[tuple[str, dict[str, Any]]]:
    data = read_corpus()
    communities = ensure_communities(data)
    docs: list[tuple[str, str, dict]] = []

    for theme in data["themes"]:
        docs.append(
            (
                "theme",
                f"corpus.theme:{theme['slug']}",
                {
                    "title": theme["title"],
                    "summary": theme.get("intro", ""),
                    "body": ", ".join(theme.get("synonyms") or []),
                    "url": f"/{theme['slug']}/",
                    "themes": [theme["slug"]],
                    "principals": ["public"],
                },
            )
        )
    for item in data["communities"]:
        community = communities[item["slug"]]
        docs.append(
            (
                "community",
                f"corpus.community:{item['slug']}",
                {
                    "title": item["name"],
                    "summary": item.get("description", ""),
                    "url": f"/communities/{item['slug']}/",
                    "themes": item.get("themes") or [],
                    "regions": item.get("regions") or [],
                    "community": item["slug"],
                    "principals": sorted(community.read_principals()),
                },
            )
        )
        for thread in item.get("threads") or []:
            replies = thread.get("replies") or []
            docs.append(
                (
                    "thread",
                    f"corpus.thread:{thread['id']}",
                    {
                        "title": thread["title"],
                        "summary": thread.get("body", "")[:300],
                        "body": "\n".join(
                            [thread.get("body", ""), *(r.get("body", "") for r in replies)]
                        ),
                        "url": f"/communities/{item['slug']}/{thread['id']}/",
                        "date": str(thread.get("created")),
                        "themes": item.get("themes") or [],
                        "regions": item.get("regions") or [],
                        "community": item["slug"],
                        "accepted_answer": any(r.get("accepted") for r in replies),
                        "principals": sorted(community.content_principals()),
                    },
                )
            )
    for doc in data["documents"]:
        visibility = doc.get("visibility") or "platform"
        if visibility.startswith("community:"):
            principals = communities[visibility.split(":", 1)[1]].content_principals()
        else:
            principals = {visibility}
        docs.append(
            (
                "document",
                f"corpus.document:{doc['id']}",
                {
                    "title": doc["title"],
                    "summary": doc.get("summary", ""),
                    "body": doc.get("body", ""),
                    "url": f"/kennisbank/{doc['id']}/",
                    "themes": doc.get("themes") or [],
                    "regions": [doc["region"]] if doc.get("region") else [],
                    "organisations": doc.get("organisations") or [],
                    "doc_type": doc.get("doc_type"),
                    "year": doc.get("year"),
                    "date": f"{doc.get('year', 2025)}-01-01",
                    "review_status": "actueel",
                    "principals": sorted(principals),
                },
            )
        )
    for course in data["elearnings"]:
        lessons = course.get("lessons") or []
        docs.append(
            (
                "course",
                f"corpus.course:{course['slug']}",
                {
                    "title": course["title"],
                    "summary": course.get("description", ""),
                    "body": "\n".join(
                        f"{x.get('title', '')}. {x.get('body', '')}" for x in lessons
                    ),
                    "url": f"/academie/{course['slug']}/",
                    "themes": course.get("themes") or [],
                    "principals": ["platform"],
                },
            )
        )
    for event in data.get("events") or []:
        slug = event.get("community")
        principals = communities[slug].content_principals() if slug in communities else {"platform"}
        docs.append(
            (
                "event",
                f"corpus.event:{event['slug']}",
                {
                    "title": event["title"],
                    "summary": event.get("description", ""),
                    "url": f"/communities/events/{event['slug']}/",
                    "date": str(event["date"]) if event.get("date") else None,
                    "themes": event.get("themes") or [],
                    "community": slug,
                    "principals": sorted(principals),
                },
            )
        )
    return [
        (doc_id, finish_document(doc, doc_id=doc_id, search_type=kind))
        for kind, doc_id, doc in docs
    ]
