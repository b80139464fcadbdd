/**
 * Bytes of `text` in UTF-8, without encoding it (limits are checked on every
 * ping and tag set that arrives, so this must not allocate). A lone surrogate
 * counts 3 bytes, as TextEncoder writes it (U+FFFD).
 */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
