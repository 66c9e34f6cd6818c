// An email's HTML in a sandboxed frame (no scripts, its own CSP, remote images held back until
// the agent clicks "Load images"). The frame grows to its content so the conversation scrolls
// as one page.
import { useEffect, useRef, useState } from "preact/hooks";
import { EMAIL_SANDBOX, emailDocument, remoteImageCount } from "../lib/email";

const MAX_HEIGHT = 2400;

export function EmailFrame({ html, title }: { html: string; title: string }) {
  const [loadRemote, setLoadRemote] = useState(false);
  const [height, setHeight] = useState(160);
  const ref = useRef<HTMLIFrameElement>(null);
  const held = remoteImageCount(html);

  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    let ro: ResizeObserver | null = null;
    const measure = () => {
      try {
        const doc = frame.contentDocument;
        if (!doc?.documentElement) return;
        setHeight(Math.min(MAX_HEIGHT, Math.max(40, doc.documentElement.scrollHeight)));
        if (!ro && typeof ResizeObserver !== "undefined" && doc.body) {
          ro = new ResizeObserver(measure);
          ro.observe(doc.body);
        }
      } catch {
        // A frame we cannot read keeps its height and scrolls.
      }
    };
    frame.addEventListener("load", measure);
    return () => {
      frame.removeEventListener("load", measure);
      ro?.disconnect();
    };
  }, [loadRemote]);

  return (
    <div class="email-frame">
      {held > 0 && !loadRemote ? (
        <p class="images-held">
          {held === 1 ? "1 remote image is" : `${held} remote images are`} not shown: loading them tells
          the sender the email was opened.{" "}
          <button type="button" class="small-button" onClick={() => setLoadRemote(true)}>
            Load images
          </button>
        </p>
      ) : null}
      <iframe
        ref={ref}
        key={loadRemote ? "remote" : "held"}
        title={title}
        sandbox={EMAIL_SANDBOX}
        referrerpolicy="no-referrer"
        srcdoc={emailDocument(html, loadRemote)}
        style={{ height: `${height}px` }}
      />
    </div>
  );
}
