// The customer portal: sign in by an emailed link, see your tickets and where each stands, reply,
// open a new one (or write to us without an account). Served at /portal/ from portal.html, a
// bundle of its own: nothing of the agent workspace is loaded here.
//   /portal/            your tickets (signed in) or "email me a sign-in link"
//   /portal/sign-in     the emailed link lands here (#token=...); a button signs in
//   /portal/tickets/12  one ticket
//   /portal/new         a new ticket (signed in) or the contact form (signed out)
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Customer } from "../api/types";
import { Live } from "../lib/live";
import { navigate, onLinkClick, usePath } from "../router";
import type { PortalApi } from "./api";
import { NewTicket, RequestLink, SignIn } from "./Forms";
import { MyTickets, TicketScreen } from "./Tickets";

export type Session = Customer | null | undefined; // undefined while we ask the server.

export function Portal({ api }: { api: PortalApi }) {
  const path = usePath().replace(/[?#].*$/, "").replace(/\/+$/, "");
  const [me, setMe] = useState<Session>(undefined);
  useEffect(() => {
    api.me().then(setMe);
  }, [api]);
  // Live updates while signed in: the stream carries only this customer's tickets.
  const live = useMemo(() => (me ? new Live(api.api.streamUrl) : undefined), [api, me?.id]);
  useEffect(() => {
    live?.start();
    return () => live?.stop();
  }, [live]);

  const signOut = async () => {
    try {
      await api.signOut();
    } finally {
      setMe(null);
      navigate("/portal/");
    }
  };

  let screen;
  const ticket = /^\/portal\/tickets\/([1-9][0-9]{0,17})$/.exec(path);
  if (path === "/portal/sign-in") {
    screen = <SignIn api={api} onSignedIn={setMe} />;
  } else if (path === "/portal/new") {
    screen = me === undefined ? <Loading /> : <NewTicket api={api} me={me} />;
  } else if (me === undefined) {
    screen = <Loading />;
  } else if (me === null) {
    screen = <RequestLink api={api} reason={ticket ? "Sign in to see this ticket." : null} />;
  } else if (ticket) {
    screen = <TicketScreen api={api} id={Number(ticket[1])} live={live} />;
  } else if (path === "/portal" || path === "") {
    screen = <MyTickets api={api} me={me} live={live} />;
  } else {
    screen = <NotFound />;
  }

  return (
    <div class="portal">
      <header class="p-header">
        <a class="p-brand" href="/portal/" onClick={onLinkClick}>
          Your tickets
        </a>
        <nav aria-label="Portal">
          <a href="/portal/new" onClick={onLinkClick}>
            New ticket
          </a>
          {me ? (
            <button type="button" class="p-link" onClick={signOut}>
              Sign out
            </button>
          ) : null}
        </nav>
      </header>
      <main id="main" class="p-main">
        {screen}
      </main>
    </div>
  );
}

function Loading() {
  return <p aria-live="polite">Loading…</p>;
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is nothing at this address. <a href="/portal/" onClick={onLinkClick}>See your tickets</a>.
      </p>
    </section>
  );
}
