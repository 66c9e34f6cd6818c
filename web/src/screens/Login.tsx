// Sign in with email and password. The API sets the session cookie; the client keeps the CSRF
// token for writes.
import { useState } from "preact/hooks";
import type { Api } from "../api/client";
import { errorText } from "../api/client";
import type { Agent } from "../api/types";
import { ErrorLine } from "../components/Bits";

interface Props {
  api: Api;
  notice?: string | null;
  onSignedIn: (a: Agent) => void;
}

export function Login({ api, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(email.trim(), password);
      onSignedIn(r.agent);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{" "}
          Steadfast
        </h1>
        <p class="quiet">Sign in to the agent workspace.</p>
        {notice ? <p class="notice">{notice}</p> : null}
        <label class="field">
          Email
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            autofocus
            value={email}
            onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <ErrorLine text={error} />
        <button type="submit" class="primary wide" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
