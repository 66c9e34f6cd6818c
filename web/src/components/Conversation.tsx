// The conversation: customer messages, replies, internal notes (each looks different), and
// the ticket's events as quiet lines between them.
import { useState } from "preact/hooks";
import type { Attachment, Message } from "../api/types";
import { bytes, when } from "../lib/format";
import type { Entry, Names } from "../lib/timeline";
import { actorName } from "../lib/timeline";
import { Age } from "./Bits";
import { EmailFrame } from "./EmailFrame";

const KIND_LABEL: Record<string, string> = {
  customer: "wrote",
  reply: "replied",
  note: "Internal note",
  system: "Steadfast",
};

export function Conversation({ entries, names }: { entries: Entry[]; names: Names }) {
  return (
    <ol class="conversation" aria-label="Conversation">
      {entries.map((e) =>
        e.kind === "message" ? (
          <MessageItem key={`m${e.message.id}`} m={e.message} names={names} />
        ) : (
          <li key={`e${e.event.id}`} class="event">
            <span class="event-text">{e.text}</span> <Age iso={e.at} />
          </li>
        ),
      )}
    </ol>
  );
}

function MessageItem({ m, names }: { m: Message; names: Names }) {
  const [showQuoted, setShowQuoted] = useState(false);
  const [formatted, setFormatted] = useState(false);
  const who = actorName(m.author, names);
  const headingId = `msg-${m.id}-who`;
  if (m.kind === "system") {
    return (
      <li class="event system-message" data-message-id={m.id}>
        <details>
          <summary>
            <span class="event-text">Steadfast wrote to the customer automatically</span> <Age iso={m.created_at} />
          </summary>
          <div class="msg-body system-body">{m.body}</div>
        </details>
      </li>
    );
  }
  return (
    <li class={`msg msg-${m.kind}`} aria-labelledby={headingId} data-message-id={m.id}>
      <header class="msg-head">
        <span id={headingId} class="msg-who">
          {m.kind === "note" ? <span class="note-label">Internal note · </span> : null}
          <strong>{who}</strong> {m.kind === "note" ? "" : KIND_LABEL[m.kind]}
          {m.from_address ? <span class="quiet"> &lt;{m.from_address}&gt; by email</span> : null}
          {m.chase ? (
            <span class="chase-badge" title="The customer only asked for news: they had to chase us.">
              Chase
            </span>
          ) : null}
        </span>
        <time class="msg-time" dateTime={m.created_at} title={when(m.created_at)}>
          {when(m.created_at)}
        </time>
      </header>
      {m.kind === "note" ? <p class="sr-only">Only the team sees this note.</p> : null}
      {formatted && m.html !== null ? (
        <EmailFrame html={m.html} title={`Email from ${who}, formatted`} />
      ) : (
        <div class="msg-body">{m.body}</div>
      )}
      {m.quoted ? (
        <div class="quoted">
          <button
            type="button"
            class="link-button"
            aria-expanded={showQuoted}
            onClick={() => setShowQuoted(!showQuoted)}
          >
            {showQuoted ? "Hide quoted history" : "Show quoted history"}
          </button>
          {showQuoted ? <div class="quoted-text">{m.quoted}</div> : null}
        </div>
      ) : null}
      {m.html !== null ? (
        <button type="button" class="link-button" aria-pressed={formatted} onClick={() => setFormatted(!formatted)}>
          {formatted ? "Show plain text" : "Show formatted email"}
        </button>
      ) : null}
      {m.attachments.length > 0 ? <Attachments list={m.attachments} /> : null}
    </li>
  );
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

function Attachments({ list }: { list: Attachment[] }) {
  return (
    <ul class="attachments" aria-label="Attachments">
      {list.map((a) => (
        <li key={a.id}>
          <a href={a.url} download={a.filename}>
            {IMAGE_TYPES.has(a.content_type) ? (
              <img src={a.url} alt="" loading="lazy" class="thumb" width={48} height={48} />
            ) : null}
            <span>{a.filename}</span>
            <span class="quiet"> ({bytes(a.size)})</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
