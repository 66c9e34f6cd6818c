// Honest rates for the follow-through panel: every rate shows the counts behind it, and a sample
// too small to mean anything says so (with its size) instead of showing a percentage.

// Below this many settled promises (or customer messages) a rate is "not enough data".
export const MIN_SAMPLE = 10;

export interface RateView {
  text: string; // "87%", "2.1 per 100", "Not enough data", "No data yet".
  detail: string; // The counts behind it: "26 of 30 promises kept on time".
  enough: boolean; // False when the sample is below the minimum (or empty).
  n: number; // The sample size.
}

// A percentage that never rounds to a claim the counts do not make: 29 of 30 is 97%, 299 of 300
// is 99% (not 100%), and 1 of 300 is "<1%" (not 0%).
export function percent(part: number, whole: number): string {
  if (whole <= 0) return "–";
  let p = Math.round((part / whole) * 100);
  if (part < whole && p === 100) p = 99;
  if (part > 0 && p === 0) return "<1%";
  return `${p}%`;
}

function sample(n: number, noun: string, min: number): RateView | null {
  if (n === 0) return { text: "No data yet", detail: `n = 0 ${noun}`, enough: false, n };
  if (n < min) {
    return { text: "Not enough data", detail: `n = ${n} ${noun} (a rate needs ${min})`, enough: false, n };
  }
  return null;
}

// Promise-kept rate: kept on time out of the promises whose time has come (kept + missed).
export function keptRate(kept: number, missed: number, min = MIN_SAMPLE): RateView {
  const n = kept + missed;
  const small = sample(n, n === 1 ? "settled promise" : "settled promises", min);
  if (small) return small;
  return { text: percent(kept, n), detail: `${kept} of ${n} promises kept on time`, enough: true, n };
}

// Chase rate: chases per 100 customer messages (a chase is a message that only asked for news).
export function chaseRate(chases: number, customerMessages: number, min = MIN_SAMPLE): RateView {
  const n = customerMessages;
  const small = sample(n, n === 1 ? "customer message" : "customer messages", min);
  if (small) return small;
  const per100 = (chases / n) * 100;
  const text = chases === 0 ? "0" : per100 < 0.1 ? "<0.1" : (Math.round(per100 * 10) / 10).toFixed(1);
  return {
    text: `${text} per 100`,
    detail: `${chases} ${chases === 1 ? "chase" : "chases"} in ${n} customer messages`,
    enough: true,
    n,
  };
}

// The periods the panel offers, in days.
export const PERIODS = [7, 30, 90] as const;

export function parsePeriod(search: string): number {
  const d = Number(new URLSearchParams(search).get("days"));
  return (PERIODS as readonly number[]).includes(d) ? d : 30;
}
