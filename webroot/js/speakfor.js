// Speak for your parts, not from them: a small, transparent rule set that gently points out
// phrasing that tends to land as blame. The rules are plain data, run in this browser only (no
// service, no model), each with the reason it exists and a "part of me" framing to try instead.
// Nothing here ever blocks sending: it only offers.

/**
 * Each rule: `id`; `label` (what was noticed); `pattern` (a regular expression source, matched
 * case-insensitively on word boundaries); `why` (shown with the hint); `try` (a framing to offer).
 */
export const RULES = [
  {
    id: 'absolute',
    label: 'An "always" or "never"',
    pattern: String.raw`\byou(?:'re| are)?\s+(?:always|never)\b|\b(?:always|never)\s+(?:do|does|did)\b|\bevery\s+single\s+time\b`,
    why: 'Absolutes tend to be heard as a verdict on who your partner is, so they may defend themselves instead of listening. One real moment is easier to hear than "always".',
    try: 'When this happened the other day, a part of me felt…',
  },
  {
    id: 'you-make-me',
    label: '"You make me…"',
    pattern: String.raw`\byou\s+(?:make|made|making)\s+me\b`,
    why: 'It puts your feeling in your partner\'s hands, which can land as blame. Naming the feeling as yours keeps the door open.',
    try: 'A part of me felt … when …',
  },
  {
    id: 'label',
    label: 'A label for a whole person',
    pattern: String.raw`\b(?:selfish|lazy|crazy|insane|stupid|useless|pathetic|heartless|childish|ridiculous|cold|dramatic|hysterical|toxic|narcissist(?:ic)?)\b`,
    why: 'A label describes a whole person, and people defend their whole selves. Describing what happened, and what it stirred in you, is easier to take in.',
    try: 'A part of me felt alone when …',
  },
  {
    id: 'should',
    label: 'A "you should"',
    pattern: String.raw`\byou\s+(?:should(?:n't| not)?|need to|have to|must)\b`,
    why: 'Instructions can land as criticism. Saying what you would love, and why it matters to you, invites rather than demands.',
    try: 'It would mean a lot to me if … because a part of me …',
  },
  {
    id: 'why-do-you',
    label: 'A "why do you…?"',
    pattern: String.raw`\bwhy\s+(?:do|don't|can't|won't|did|didn't)\s+you\b`,
    why: '"Why do you…" questions often sound like an accusation even when they are meant as curiosity.',
    try: 'I\'d like to understand what … is like for you.',
  },
  {
    id: 'mind-reading',
    label: 'Telling your partner what they feel or want',
    pattern: String.raw`\byou\s+(?:don't|do not|never)\s+(?:care|love|listen|want)\b|\byou\s+just\s+want\b`,
    why: 'Saying what is going on inside your partner leaves them little room. What a part of you fears is yours to say, and easier to hear.',
    try: 'A part of me is afraid that …',
  },
];

/** "A part of me…" framings the composer offers to insert. */
export const FRAMINGS = [
  'A part of me feels ',
  'A part of me is afraid that ',
  'A part of me needs ',
  'Another part of me ',
  'When that happened, a part of me ',
];

/**
 * The hints for a text, in reading order: [{rule, match, index}]. One hint per rule and matched
 * phrase, so a long text is not buried in repeats.
 */
export function hintsFor(text) {
  const out = [];
  if (typeof text !== 'string' || !text) return out;
  for (const rule of RULES) {
    const seen = new Set();
    for (const m of text.matchAll(new RegExp(rule.pattern, 'giu'))) {
      const phrase = m[0].toLowerCase();
      if (seen.has(phrase)) continue;
      seen.add(phrase);
      out.push({ rule, match: m[0], index: m.index });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The Self-energy check: three 0–10 answers; "low" when any is below 4 or their mean below 5. */
export const SELF_ENERGY = [
  { id: 'calm', label: 'How calm do you feel right now?' },
  { id: 'curious', label: 'How curious are you about your partner\'s side?' },
  { id: 'compassionate', label: 'How compassionate do you feel, toward them and toward yourself?' },
];

export function selfEnergyIsLow(values) {
  const nums = SELF_ENERGY.map((q) => Number(values[q.id]));
  if (nums.some((n) => !Number.isFinite(n))) return false;
  const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
  return mean < 5 || nums.some((n) => n < 4);
}
