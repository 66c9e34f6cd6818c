// Search snippets. The API sends `snippet_html`: the text HTML-escaped with matched words in
// <mark>. It is never given to innerHTML: it is split on the two <mark> tags, every other piece
// is unescaped as text, and Preact renders text nodes and <mark> elements. Anything else that
// looks like markup stays visible text, so a bug in the server's escaping cannot inject HTML.

export interface Piece {
  text: string;
  mark: boolean;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (Number.isNaN(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) {
        return "\uFFFD";
      }
      return String.fromCodePoint(code);
    }
    return ENTITY[name] ?? whole;
  });
}

export function parseMarked(snippetHtml: string): Piece[] {
  const out: Piece[] = [];
  let mark = false;
  for (const part of snippetHtml.split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>") {
      mark = true;
    } else if (part === "</mark>") {
      mark = false;
    } else if (part !== "") {
      const text = unescapeHtml(part);
      const last = out[out.length - 1];
      if (last && last.mark === mark) last.text += text;
      else out.push({ text, mark });
    }
  }
  return out;
}
