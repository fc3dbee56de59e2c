/**
 * Splits a byte stream into text lines a chunk at a time. Each chunk's complete lines come
 * out as one batch, so a consumer pays one asynchronous step per chunk rather than per line
 * (node:readline's per-line iteration costs more than the evaluation of an event). Lines
 * break at `\n`, a `\r` before it is dropped; bytes are decoded as UTF-8 only up to the last
 * line break of a chunk, so a character split across chunks is decoded whole.
 */
export async function* lineBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  let carry: Buffer | undefined;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const data = carry ? Buffer.concat([carry, bytes]) : bytes;
    const last = data.lastIndexOf(10);
    if (last < 0) {
      carry = data;
      continue;
    }
    carry = last + 1 < data.length ? data.subarray(last + 1) : undefined;
    yield splitLines(data.toString('utf8', 0, last));
  }
  if (carry && carry.length > 0) yield splitLines(carry.toString('utf8'));
}

function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    lines.push(withoutCarriageReturn(text, start, end));
    start = end + 1;
  }
  lines.push(withoutCarriageReturn(text, start, text.length));
  return lines;
}

function withoutCarriageReturn(text: string, start: number, end: number): string {
  return end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
}
