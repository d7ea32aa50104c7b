// Inside an iframe, tells the page around it how tall the app is whenever that changes, so
// embed.js (or a page's own script) can fit the frame: {type: "deadlock-lab:height", height}.
if (window.parent !== window) {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last) parent.postMessage({ type: 'deadlock-lab:height', height: (last = height) }, '*');
  }).observe(document.body);
}
