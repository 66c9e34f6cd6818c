// Signs the agent in (or finds the session from a previous visit), then shows the workspace.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api } from "./api/client";
import { errorText } from "./api/client";
import type { Agent } from "./api/types";
import { WorkspaceContext } from "./context";
import { announce, dismiss, useNotice } from "./lib/announce";
import { Directory } from "./lib/directory";
import { Live } from "./lib/live";
import { DEFAULT_PATH, navigate } from "./router";
import { Login } from "./screens/Login";
import { Workspace } from "./screens/Workspace";

type State = { kind: "starting" } | { kind: "out"; notice: string | null } | { kind: "in"; me: Agent };

export function App({ api }: { api: Api }) {
  const [state, setState] = useState<State>({ kind: "starting" });

  useEffect(() => {
    api.onUnauthenticated = () => setState({ kind: "out", notice: "Your session has ended. Sign in again; your drafts are kept." });
    api
      .me()
      .then((m) => setState(m.kind === "agent" ? { kind: "in", me: m.agent } : { kind: "out", notice: "This workspace is for agents." }))
      .catch(() => setState({ kind: "out", notice: null }));
  }, [api]);

  if (state.kind === "starting") {
    return (
      <p class="starting" role="status">
        Loading…
      </p>
    );
  }
  if (state.kind === "out") {
    return (
      <>
        <Login
          api={api}
          notice={state.notice}
          onSignedIn={(me) => {
            if (location.pathname === "/" || location.pathname === "/login") navigate(DEFAULT_PATH, { replace: true });
            setState({ kind: "in", me });
          }}
        />
        <Notices />
      </>
    );
  }
  return (
    <SignedIn
      api={api}
      me={state.me}
      onSignOut={async () => {
        try {
          await api.logout();
        } catch (e) {
          announce(errorText(e), "error");
        }
        setState({ kind: "out", notice: "You are signed out." });
      }}
    />
  );
}

function SignedIn({ api, me, onSignOut }: { api: Api; me: Agent; onSignOut: () => void }) {
  const dir = useMemo(() => new Directory(api), [api, me.id]);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    dir
      .loadPeople()
      .catch((e) => announce(`Could not load agents and teams: ${errorText(e)}`, "error"))
      .finally(() => setReady(true));
    if (location.pathname === "/") navigate(DEFAULT_PATH, { replace: true });
  }, [dir]);
  // One stream of live updates for the whole workspace, while signed in.
  const live = useMemo(() => new Live(api.streamUrl), [api, me.id]);
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);
  const ctx = useMemo(() => ({ api, dir, me, live }), [api, dir, me, live]);
  if (!ready) {
    return (
      <p class="starting" role="status">
        Loading…
      </p>
    );
  }
  return (
    <WorkspaceContext.Provider value={ctx}>
      <Workspace onSignOut={onSignOut} />
      <Notices />
    </WorkspaceContext.Provider>
  );
}

// The status line: news politely, errors assertively; news fades after a while, errors stay
// until dismissed.
function Notices() {
  const n = useNotice();
  useEffect(() => {
    if (!n || n.tone === "error") return;
    const t = setTimeout(dismiss, 6000);
    return () => clearTimeout(t);
  }, [n?.id]);
  return (
    <div class="notices">
      <div class="notice-region" role="status" aria-live="polite">
        {n && n.tone === "info" ? <p class="toast">{n.text}</p> : null}
      </div>
      <div class="notice-region" role="alert" aria-live="assertive">
        {n && n.tone === "error" ? (
          <p class="toast toast-error">
            {n.text}{" "}
            <button type="button" class="link-button" onClick={dismiss}>
              Dismiss
            </button>
          </p>
        ) : null}
      </div>
    </div>
  );
}
