// Click-to-load facade for YouTube/Vimeo videos in lessons: nothing is requested from the
// third party until the learner presses the button (academie/templates/academie/blocks/embed.html).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".kpo-embed__load");
  if (!button) return;
  const facade = button.closest("[data-kpo-embed]");
  const frame = document.createElement("iframe");
  frame.src = facade.dataset.kpoEmbed;
  frame.title = facade.dataset.kpoEmbedTitle;
  frame.className = "kpo-embed__frame";
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.setAttribute("allowfullscreen", "");
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  facade.replaceChildren(frame);
  frame.focus();
});
