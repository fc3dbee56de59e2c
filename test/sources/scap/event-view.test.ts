/**
 * EventView's text parameters: libsinsp reads them as C strings (up to the first NUL), UTF-8.
 * ASCII text takes a native path of its own; each case is checked against a plain TextDecoder.
 */
import { describe, expect, it } from 'vitest';
import { EventView } from '../../../src/sources/scap/event-view.js';

/** A V2 event (26-byte header, u16 lengths) of type 1 holding `params`, at offset `at` of a fresh buffer. */
function eventBytes(params: Uint8Array[], at = 0): { buf: Uint8Array; lensOff: number } {
  const header = 26;
  const size = at + header + params.length * 2 + params.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  dv.setUint32(at + 16, size - at, true);
  dv.setUint16(at + 20, 1, true);
  dv.setUint32(at + 22, params.length, true);
  let data = at + header + params.length * 2;
  params.forEach((p, i) => {
    dv.setUint16(at + header + i * 2, p.length, true);
    buf.set(p, data);
    data += p.length;
  });
  return { buf, lensOff: at + header };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
/** What libsinsp's C-string reading gives, decoded as the reference decoder does. */
const expected = (b: Uint8Array) => {
  const nul = b.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? b : b.subarray(0, nul));
};

describe('EventView text parameters', () => {
  const params = [
    utf8('/etc/passwd\0'),
    utf8(`/${'a'.repeat(300)}`),
    utf8('/tmp/été/ü\0'),
    Uint8Array.from([0x2f, 0xff, 0x41, 0xc3]), // invalid UTF-8
    utf8('ab\0cd'),
    new Uint8Array(0),
    utf8('\0'),
  ];

  it('reads each parameter up to its first NUL, as UTF-8', () => {
    const view = new EventView();
    const { buf, lensOff } = eventBytes(params, 5);
    view.set(buf, new DataView(buf.buffer), 5, lensOff, 2, params.length);
    for (const [i, p] of params.entries()) expect(view.paramString(i), `parameter ${i}`).toBe(expected(p));
    expect(view.paramString(params.length)).toBe('');
  });

  it('reads the text of the buffer it is set to, when set to one buffer and another in turn', () => {
    const view = new EventView();
    const a = eventBytes([utf8('/etc/aaaa\0')]);
    const b = eventBytes([utf8('/etc/bbbb\0')]);
    for (const [{ buf, lensOff }, text] of [
      [a, '/etc/aaaa'],
      [b, '/etc/bbbb'],
      [a, '/etc/aaaa'],
    ] as const) {
      view.set(buf, new DataView(buf.buffer), 0, lensOff, 2, 1);
      expect(view.paramString(0)).toBe(text);
    }
  });
});
