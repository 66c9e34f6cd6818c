// Keyboard shortcuts. Single keys act only when focus is not in a text field; Escape and
// Ctrl/Cmd+Enter are handled where they apply (dialogs, the composer).

export interface Shortcut {
  keys: string;
  what: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: "j", what: "Next ticket in the list" },
  { keys: "k", what: "Previous ticket in the list" },
  { keys: "Enter", what: "Open the selected ticket" },
  { keys: "r", what: "Write a reply" },
  { keys: "n", what: "Write an internal note" },
  { keys: "Ctrl+Enter", what: "Send (in the composer)" },
  { keys: "/", what: "Search" },
  { keys: "?", what: "Show these shortcuts" },
  { keys: "Esc", what: "Close a dialog, leave a field" },
];

// Whether a key press belongs to a field the agent is typing in.
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["button", "checkbox", "radio", "submit", "reset", "file"].includes(type);
  }
  return false;
}

// The shortcut a key press names, or null. Modified presses (Ctrl, Alt, Meta) are left alone
// so the browser's own shortcuts keep working.
export function shortcutFor(e: KeyboardEvent): string | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (isTyping(e.target)) return null;
  switch (e.key) {
    case "j":
    case "k":
    case "r":
    case "n":
    case "/":
    case "?":
      return e.key;
    case "Enter":
      // Enter on a button or link keeps its own meaning.
      if (e.target instanceof HTMLElement && e.target.closest("a,button,summary,[role=button]")) {
        return null;
      }
      return "Enter";
    default:
      return null;
  }
}
