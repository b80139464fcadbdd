import { type Tags, tagsProblem } from './tags';

/** Tags as values: none, our own (checked), and equality. The rule that moves them is in peer-tags.ts. */
export const NO_TAGS: Tags = Object.freeze({});

/** Our own tags as the protocol keeps them: checked (a host bug otherwise: peers would refuse our frames) and frozen. */
export function ownTags(tags: Tags): Tags {
  const problem = tagsProblem(tags);
  if (problem !== undefined) throw new RangeError(`tags: ${problem}`);
  return Object.keys(tags).length === 0 ? NO_TAGS : Object.freeze({ ...tags });
}

export function sameTags(a: Tags, b: Tags): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && a[key] === b[key]);
}
