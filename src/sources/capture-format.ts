/**
 * What a capture file is, decided from its first bytes rather than its name: gzip (then the
 * inflated bytes decide), a scap savefile, JSON Lines, or none of these. Opening a capture
 * is "sniff the head, then pick a reader", for files and stdin alike.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export type CaptureFormat = 'gzip' | 'scap' | 'jsonl' | 'unknown';

/** Bytes read before deciding (less when the input ends first, or enough lines have come). */
export const SNIFF_BYTES = 64 * 1024;
/** Lines looked at: a capture has a JSON object line among its first SNIFF_LINES non-blank lines. */
export const SNIFF_LINES = 16;
/** Bytes scanned for NUL, the mark of binary content. */
const BINARY_SCAN_BYTES = 1024;

/** The scap section header block type (0x0A0D0D0A), the same in either byte order. */
const SCAP_BLOCK_TYPE = [0x0a, 0x0d, 0x0d, 0x0a];
/** The scap byte-order magic 0x1A2B3C4D, after the 4-byte block length: little- or big-endian. */
const SCAP_MAGIC_LE = [0x4d, 0x3c, 0x2b, 0x1a];
const SCAP_MAGIC_BE = [0x1a, 0x2b, 0x3c, 0x4d];

/** What the first bytes can say when they do not look like a capture. */
export interface FormatGuess {
  format: CaptureFormat;
  /** For `unknown`: what was found instead, in a few words. */
  found?: string;
}

/**
 * Classifies the first bytes of a capture (up to SNIFF_BYTES or SNIFF_LINES lines of them).
 *
 * JSON Lines is recognised by elimination, cheaply and without parsing: no NUL byte in the
 * first BINARY_SCAN_BYTES bytes and no control byte first (text never holds NUL, and JSON
 * text holds no raw control byte, even in strings), and among the first SNIFF_LINES
 * non-blank lines at least one starts with `{` (an event line must be a JSON object). An
 * empty or blank input is a capture of no events. Anything else is `unknown`. A capture
 * with a few bad lines among good ones is a capture: its bad lines are reported one by one.
 */
export function classifyCapture(head: Uint8Array): FormatGuess {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { format: 'gzip' };
  if (startsWith(head, SCAP_BLOCK_TYPE, 0) && (startsWith(head, SCAP_MAGIC_LE, 8) || startsWith(head, SCAP_MAGIC_BE, 8))) return { format: 'scap' };
  const nul = head.subarray(0, BINARY_SCAN_BYTES).indexOf(0);
  if (nul >= 0) return { format: 'unknown', found: `binary data: a NUL byte at offset ${nul}` };
  let lines = 0;
  let i = 0;
  while (i < head.length && lines < SNIFF_LINES) {
    while (i < head.length && isBlank(head[i]!)) i++;
    if (i >= head.length) break;
    if (lines === 0 && (head[i]! < 0x20 || head[i] === 0x7f)) {
      return { format: 'unknown', found: `binary data: starts with byte 0x${head[i]!.toString(16).padStart(2, '0')}` };
    }
    if (head[i] === 0x7b) return { format: 'jsonl' };
    lines++;
    const end = head.indexOf(0x0a, i);
    if (end < 0) break;
    i = end + 1;
  }
  // Blank so far: nothing says it is not a capture (an empty capture has no events).
  if (lines === 0) return { format: 'jsonl' };
  return { format: 'unknown', found: `text whose first ${lines === 1 ? 'line is' : `${lines} non-blank lines are`} not JSON objects` };
}

function startsWith(bytes: Uint8Array, prefix: number[], at: number): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** Whether enough of the input has been read to classify it. */
function enough(head: Buffer): boolean {
  if (head.length >= SNIFF_BYTES) return true;
  let lines = 0;
  for (let at = head.indexOf(0x0a); at >= 0; at = head.indexOf(0x0a, at + 1)) if (++lines >= SNIFF_LINES) return true;
  return false;
}

/** An opened capture: its format and its bytes (inflated when it was gzipped). */
export interface OpenedCapture {
  format: Exclude<CaptureFormat, 'gzip'>;
  gzipped: boolean;
  found?: string;
  bytes: AsyncIterable<Buffer>;
}

/**
 * Reads the head of a byte stream, classifies it and gives back the whole stream (head
 * included) with its format; gzip is inflated and its content classified in turn (gzip
 * within gzip is `unknown`).
 */
export async function openCapture(input: AsyncIterable<Buffer | string>, chunkSize: number): Promise<OpenedCapture> {
  const outer = await sniff(input);
  const guess = classifyCapture(outer.head);
  if (guess.format !== 'gzip') return { ...guess, format: guess.format, gzipped: false, bytes: outer.bytes };
  const gunzip = createGunzip({ chunkSize });
  // pipeline passes a read error of the source on to the inflated stream.
  pipeline(Readable.from(outer.bytes), gunzip, () => {});
  const inner = await sniff(gunzip);
  const content = classifyCapture(inner.head);
  if (content.format === 'gzip') return { format: 'unknown', found: 'gzip data within gzip data', gzipped: true, bytes: inner.bytes };
  return { ...content, format: content.format, gzipped: true, bytes: inner.bytes };
}

/** Reads chunks until the head can be classified; the bytes given back start with the head. */
async function sniff(input: AsyncIterable<Buffer | string>): Promise<{ head: Buffer; bytes: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let head: Buffer = Buffer.alloc(0);
  let complete = false;
  while (!enough(head)) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    head = chunks.length === 1 ? chunk : Buffer.concat([head, chunk]);
  }
  async function* bytes(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (complete) return;
    let done = false;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      }
      done = true;
    } finally {
      // A reader that stops early closes the input (a file stream releases its descriptor).
      if (!done) await iterator.return?.();
    }
  }
  return { head, bytes: bytes() };
}
