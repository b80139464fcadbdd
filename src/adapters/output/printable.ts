/**
 * Text that came from the network (ping messages, reasons) must not drive the
 * reader's terminal: control characters are shown escaped, and one event stays one line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => {
    const escaped = JSON.stringify(character);
    return escaped.length > 3 ? escaped.slice(1, -1) : `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
