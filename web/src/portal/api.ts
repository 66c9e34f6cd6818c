// The portal's calls: the shared API client (session cookie, CSRF header, problem+json errors)
// with the few routes a customer uses.
import { Api } from "../api/client";
import type { Customer, Me, Message, Page, Ticket, TicketListItem, TicketWrite } from "../api/types";

export interface Accepted {
  status: "sent_if_known" | "received";
  message: string;
}

export interface ContactForm {
  email: string;
  name?: string;
  subject: string;
  message: string;
  website?: string; // The robots' trap: people leave it empty.
}

export class PortalApi {
  constructor(readonly api: Api = new Api()) {}

  // The signed-in customer, or null when nobody (or an agent) is signed in.
  async me(): Promise<Customer | null> {
    try {
      const me: Me = await this.api.me();
      return me.kind === "customer" ? me.customer : null;
    } catch {
      return null;
    }
  }

  requestLink(email: string): Promise<Accepted> {
    return this.api.request("POST", "/portal/magic-link", { json: { email } });
  }

  async signIn(token: string): Promise<Customer> {
    const r = await this.api.request<{ customer: Customer; csrf_token: string }>("POST", "/portal/session", {
      json: { token },
    });
    this.api.setCsrf(r.csrf_token);
    return r.customer;
  }

  signOut(): Promise<void> {
    return this.api.logout();
  }

  contact(form: ContactForm): Promise<Accepted> {
    return this.api.request("POST", "/portal/contact", { json: form });
  }

  tickets(cursor?: string): Promise<Page<TicketListItem>> {
    return this.api.request("GET", "/tickets", { query: { limit: 50, cursor } });
  }

  ticket(id: number): Promise<Ticket> {
    return this.api.request("GET", `/tickets/${id}`);
  }

  messages(id: number): Promise<{ items: Message[] }> {
    return this.api.request("GET", `/tickets/${id}/messages`);
  }

  openTicket(subject: string, body: string): Promise<TicketWrite> {
    return this.api.request("POST", "/tickets", { json: { subject, body } });
  }

  // The customer's reply; with files it goes as multipart/form-data.
  reply(id: number, body: string, files: File[]): Promise<TicketWrite> {
    const path = `/tickets/${id}/messages`;
    if (files.length === 0) return this.api.request("POST", path, { json: { body } });
    const form = new FormData();
    form.append("body", body);
    for (const f of files) form.append("files", f, f.name);
    return this.api.request("POST", path, { form });
  }
}
