import { utf8Bytes } from './utf8';

/**
 * Metadata a node attaches to itself (`--tag role=db`); every peer sees it.
 * The limits keep a hello small and a peer's memory bounded: they are checked
 * on the command line, in the admin API and (by the wire schemas) on the network.
 */
export type Tags = Readonly<Record<string, string>>;

export const TAG_LIMITS = {
  keyPattern: /^[A-Za-z0-9_.-]{1,64}$/,
  maxValueBytes: 256,
  maxTags: 32,
  /** Keys and values together, in UTF-8 bytes. */
  maxTotalBytes: 2048,
} as const;


/** What is wrong with a set of tags, in one phrase, or undefined when they are fine. */
export function tagsProblem(tags: Readonly<Record<string, unknown>>): string | undefined {
  const entries = Object.entries(tags);
  if (entries.length > TAG_LIMITS.maxTags) return `at most ${TAG_LIMITS.maxTags} tags (got ${entries.length})`;
  let total = 0;
  for (const [key, value] of entries) {
    // An object key that JavaScript treats as the prototype would be dropped silently.
    if (key === '__proto__') return 'tag key "__proto__" is reserved';
    if (!TAG_LIMITS.keyPattern.test(key)) return `tag key ${JSON.stringify(key.slice(0, 70))} must be 1 to 64 of A-Z a-z 0-9 _ . -`;
    if (typeof value !== 'string') return `tag ${key} must have a text value`;
    const bytes = utf8Bytes(value);
    if (bytes > TAG_LIMITS.maxValueBytes) return `tag ${key}: value must be at most ${TAG_LIMITS.maxValueBytes} bytes of UTF-8 (got ${bytes})`;
    total += utf8Bytes(key) + bytes;
  }
  if (total > TAG_LIMITS.maxTotalBytes) return `tags must be at most ${TAG_LIMITS.maxTotalBytes} bytes in all (got ${total})`;
  return undefined;
}

/** `KEY=VALUE` as on the command line; the value may contain `=` and may be empty. */
export function parseTagAssignment(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}
