// Email HTML for the sandboxed frame. The server has already sanitized it (no script, no event
// handlers, no style attributes; remote images moved to data-remote-src). The frame adds three
// more walls: sandbox without allow-scripts, this document's own Content-Security-Policy, and
// no remote loads until the agent asks.

// Whether the HTML names remote images that are held back.
export function remoteImageCount(html: string): number {
  return (html.match(/\sdata-remote-src=/g) ?? []).length;
}

// The HTML with every data-remote-src moved into src. Parsed with DOMParser, which builds an
// inert document: nothing loads and nothing runs while we edit it.
export function withRemoteImages(html: string): string {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  for (const img of Array.from(doc.querySelectorAll("img[data-remote-src]"))) {
    const src = img.getAttribute("data-remote-src") ?? "";
    img.removeAttribute("data-remote-src");
    if (/^https?:\/\//i.test(src)) img.setAttribute("src", src);
  }
  return doc.body.innerHTML;
}

const FRAME_STYLE = `
:root{color-scheme:light}
body{margin:0;padding:2px 0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1d232b;background:transparent;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
img:not([src]){display:inline-block;min-width:24px;min-height:16px;background:#eef1f4;
outline:1px dashed #9aa5b1}
a{color:#0b5cad}
blockquote{margin:0 0 0 .4em;padding-left:.8em;border-left:3px solid #c9d1da;color:#46515e}
table{border-collapse:collapse;max-width:100%}
td,th{padding:2px 6px;vertical-align:top}
pre{white-space:pre-wrap}
`;

// The srcdoc of the frame. Only inline styles (ours) and images from this origin and data:
// (inline cid: images the server serves as attachments); remote images only after "Load images".
export function emailDocument(html: string, loadRemote: boolean): string {
  const img = loadRemote ? "'self' data: https:" : "'self' data:";
  const csp = `default-src 'none'; img-src ${img}; style-src 'unsafe-inline'; form-action 'none'`;
  const body = loadRemote ? withRemoteImages(html) : html;
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="referrer" content="no-referrer">` +
    `<style>${FRAME_STYLE}</style></head><body>${body}</body></html>`
  );
}

// The frame's sandbox: no scripts, no forms, no top navigation. Same-origin stays so the
// workspace can size the frame to its content and inline images load with the session cookie;
// without allow-scripts nothing in the frame can use that origin. Links open in a new tab.
export const EMAIL_SANDBOX = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";
