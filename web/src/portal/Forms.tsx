// The portal's forms: ask for a sign-in link, sign in with it, open a ticket (or write to us
// without an account).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, errorText } from "../api/client";
import type { Customer } from "../api/types";
import { navigate, onLinkClick } from "../router";
import type { PortalApi } from "./api";

// A form's sending state: `run` calls `action`, busy meanwhile, its failure as plain words.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>, words: (e: unknown) => string = errorText) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(words(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="p-error" role="alert">
      {error}
    </p>
  );
}

export function RequestLink({ api, reason }: { api: PortalApi; reason: string | null }) {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => setSent((await api.requestLink(email.trim())).message));
  };

  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">See where your tickets stand</h1>
      {reason ? <p>{reason}</p> : null}
      {sent ? (
        <p class="p-ok" role="status">
          {sent} Check your inbox.
        </p>
      ) : (
        <form onSubmit={submit} class="p-form">
          <p>We email you a link to sign in. No password to remember.</p>
          <EmailField id="link-email" value={email} onInput={setEmail} />
          <FormError error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Email me a sign-in link"}
          </button>
        </form>
      )}
      <p>
        No account? <a href="/portal/new" onClick={onLinkClick}>Write to us</a> and we will answer by email.
      </p>
    </section>
  );
}

// The emailed link opens this page; only the button (a POST) uses the token up, so a mail
// scanner that opens links cannot sign in for the customer or spend the link.
export function SignIn({ api, onSignedIn }: { api: PortalApi; onSignedIn: (c: Customer) => void }) {
  const [token] = useState(() => new URLSearchParams(location.hash.replace(/^#/, "")).get("token") ?? "");
  const { busy, error, run } = useAction();

  useEffect(() => {
    // The token leaves the address bar (and the history) at once.
    if (location.hash) history.replaceState(null, "", location.pathname);
  }, []);

  const signIn = () =>
    run(
      async () => {
        onSignedIn(await api.signIn(token));
        navigate("/portal/", { replace: true });
      },
      (err) =>
        err instanceof ApiError && err.status === 404
          ? "This sign-in link was already used or has expired. Ask for a new one below."
          : errorText(err),
    );

  if (!token) {
    return (
      <section>
        <h1>Sign in</h1>
        <p>This page needs the link from our email. Ask for a new one:</p>
        <p>
          <a href="/portal/" onClick={onLinkClick}>
            Email me a sign-in link
          </a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <p>Press the button to see your tickets. The link works once.</p>
      <FormError error={error} />
      <button type="button" onClick={signIn} disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {error ? (
        <p>
          <a href="/portal/" onClick={onLinkClick}>
            Email me a new sign-in link
          </a>
        </p>
      ) : null}
    </section>
  );
}

// A new ticket: signed in, it opens under the customer's account; signed out, it is the contact
// form (email, name, subject, message) and the answer comes by email.
export function NewTicket({ api, me }: { api: PortalApi; me: Customer | null }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [subject, setSubject] = useState("");
  const [message, setMessage] = useState("");
  const trap = useRef<HTMLInputElement>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      if (me) {
        const w = await api.openTicket(subject.trim(), message);
        navigate(`/portal/tickets/${w.ticket.id}`);
        return;
      }
      const r = await api.contact({
        email: email.trim(),
        name: name.trim() || undefined,
        subject: subject.trim(),
        message,
        website: trap.current?.value ?? "",
      });
      setDone(r.message);
    });
  };

  if (done) {
    return (
      <section>
        <h1>Thank you</h1>
        <p class="p-ok" role="status">
          {done}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">{me ? "New ticket" : "Write to us"}</h1>
      <form onSubmit={submit} class="p-form">
        {me ? null : (
          <>
            <EmailField id="c-email" value={email} onInput={setEmail} />
            <label for="c-name">Your name (optional)</label>
            <input
              id="c-name"
              autocomplete="name"
              maxLength={200}
              value={name}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
            <div class="p-trap" aria-hidden="true">
              <label for="c-website">Leave this empty</label>
              <input id="c-website" ref={trap} tabIndex={-1} autocomplete="off" />
            </div>
          </>
        )}
        <label for="c-subject">Subject</label>
        <input
          id="c-subject"
          required
          maxLength={200}
          value={subject}
          onInput={(e) => setSubject((e.target as HTMLInputElement).value)}
        />
        <label for="c-message">How can we help?</label>
        <textarea
          id="c-message"
          required
          rows={8}
          maxLength={20000}
          value={message}
          onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
        />
        <FormError error={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send"}
        </button>
      </form>
    </section>
  );
}

// "Your email address", as both forms ask it (254: the longest address SMTP carries).
function EmailField({ id, value, onInput }: { id: string; value: string; onInput: (v: string) => void }) {
  return (
    <>
      <label for={id}>Your email address</label>
      <input
        id={id}
        type="email"
        autocomplete="email"
        required
        maxLength={254}
        value={value}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
    </>
  );
}
