"""Media in lessons: a self-hosted video with captions and a transcript plays under the site's
real Content Security Policy, and a YouTube video stays behind a click-to-load facade: nothing is
requested from a third party before the learner asks for it."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SERVER, check_accessibility, django_shell, screenshot
from tests.e2e.test_everyday_screens import new_user

pytestmark = pytest.mark.e2e

COURSE = "Wet Bibob: de basis"
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:05.000\nWelkom bij de les over de Wet Bibob.\n"
# A tiny WebM made by the browser itself (canvas + MediaRecorder): no video tool needed.
RECORD_WEBM = """async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 160; canvas.height = 90;
  const ctx = canvas.getContext('2d');
  const stream = canvas.captureStream(25);
  const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8'});
  const chunks = [];
  recorder.ondataavailable = e => chunks.push(e.data);
  let frame = 0;
  const timer = setInterval(() => {
    ctx.fillStyle = `hsl(${(frame * 12) % 360} 60% 40%)`; ctx.fillRect(0, 0, 160, 90);
    ctx.fillStyle = '#fff'; ctx.fillText('KPO ' + frame++, 10, 50);
  }, 40);
  recorder.start(200);
  await new Promise(r => setTimeout(r, 3000));
  recorder.stop();
  await new Promise(r => recorder.onstop = r);
  clearInterval(timer);
  const buffer = await new Blob(chunks, {type: 'video/webm'}).arrayBuffer();
  let binary = '';
  new Uint8Array(buffer).forEach(b => binary += String.fromCharCode(b));
  return btoa(binary);
}"""


def _make_media(page, tmp_dir) -> dict:
    page.goto("/")
    video = tmp_dir / f"les-{uuid.uuid4().hex[:6]}.webm"
    video.write_bytes(base64.b64decode(page.evaluate(RECORD_WEBM)))
    assert video.stat().st_size > 1000
    captions = tmp_dir / f"{video.stem}.vtt"
    captions.write_text(CAPTIONS, encoding="utf-8")
    out = django_shell(
        "import json\n"
        "from django.core.files import File\n"
        "from wagtail.documents.models import Document\n"
        "ids = []\n"
        f"for path in ({str(video)!r}, {str(captions)!r}):\n"
        "    with open(path, 'rb') as fh:\n"
        "        name = path.rsplit('/', 1)[-1]\n"
        "        doc = Document(title=name, file=File(fh, name=name))\n"
        "        doc.save()\n"
        "    ids.append(doc)\n"
        "from academie.models import CoursePage\n"
        f"course = CoursePage.objects.get(title={COURSE!r})\n"
        "lesson = course.lessons.order_by('sort_order').first()\n"
        "body = [('media', {'title': 'Introductie Wet Bibob', 'video': ids[0],"
        " 'captions': ids[1], 'transcript': 'Welkom bij de les over de Wet Bibob.'}),"
        " ('video', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ')]\n"
        "lesson.body = body + [(b.block_type, b.value) for b in lesson.body"
        " if b.block_type not in ('media', 'video')]\n"
        "lesson.save()\n"
        "print(json.dumps({'course': course.pk, 'lesson': lesson.pk}))\n"
    )
    return json.loads(out.strip().splitlines()[-1])


def test_lesson_video_plays_under_the_csp_and_embeds_wait_for_a_click(as_user, tmp_path):
    learner = as_user(new_user())
    ids = _make_media(learner, tmp_path)
    learner.goto("/academie/")
    learner.get_by_role("link", name=COURSE, exact=True).click()
    learner.get_by_role("button", name="Inschrijven").click()

    errors: list[str] = []
    third_party: list[str] = []
    own_host = urlparse(SERVER["url"]).hostname
    learner.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    learner.on("pageerror", lambda e: errors.append(str(e)))
    learner.on(
        "request",
        lambda r: third_party.append(r.url) if urlparse(r.url).hostname != own_host else None,
    )
    learner.route(
        lambda url: urlparse(url).hostname not in (own_host, None),
        lambda route: route.abort(),
    )
    response = learner.goto(f"/academie/e-learning/{ids['course']}/les/{ids['lesson']}/")
    csp = response.headers["content-security-policy"]
    assert "media-src 'self'" in csp
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in csp

    video = learner.locator("video.kpo-video")
    expect(video).to_be_visible()
    expect(video.locator("track[kind='captions']")).to_have_attribute("srclang", "nl")
    state = video.evaluate(
        """async v => {
            v.muted = true;
            await v.play();
            await new Promise(r => setTimeout(r, 1500));
            const track = v.textTracks[0];
            track.mode = 'showing';
            await new Promise(r => setTimeout(r, 500));
            return {ready: v.readyState, time: v.currentTime,
                    cues: track.cues ? track.cues.length : 0, error: v.error && v.error.code};
        }"""
    )
    assert state["error"] is None, state
    assert state["ready"] >= 2 and state["time"] > 0.3, f"the video does not play: {state}"
    assert state["cues"] >= 1, f"the captions did not load: {state}"
    learner.get_by_text("Uitgeschreven tekst").click()
    expect(learner.locator(".kpo-transcript")).to_contain_text("Welkom bij de les")

    facade = learner.locator(".kpo-embed")
    expect(facade).to_contain_text("pas geladen als je op de knop klikt")
    expect(learner.locator("iframe")).to_have_count(0)
    check_accessibility(learner)
    screenshot(learner, "les-video-1280")
    assert not errors, f"console errors: {errors}"
    assert not third_party, f"third-party requests before the click: {third_party}"

    learner.get_by_role("button", name="Video van YouTube laden").click()
    frame = learner.locator("iframe.kpo-embed__frame")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "Video van YouTube")
    learner.wait_for_timeout(500)
    assert third_party and all(
        urlparse(u).hostname == "www.youtube-nocookie.com" for u in third_party
    ), third_party
