// For a page that embeds Deadlock Lab: fits each of its iframes to the height the app inside
// reports (see README, "Embedding"). Add <script src=".../embed.js" defer></script> once.
addEventListener('message', (e) => {
  const d = e.data;
  if (!d || d.type !== 'deadlock-lab:height' || !(d.height > 0)) return;
  for (const f of document.querySelectorAll('iframe')) {
    if (f.contentWindow === e.source) f.style.height = `${Math.min(d.height, 20000)}px`;
  }
});
