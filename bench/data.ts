/**
 * Benchmark inputs, generated on first use into bench/data/ (ignored by git): a JSONL capture
 * of about a million events built from the bundled recordings and sysdig conversions of the
 * shared scap captures, and a scap capture scaled to about a million events by repeating the
 * event blocks of a real one.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SHARED_DIR } from './shared.js';

export const DATA_DIR = path.resolve(process.cwd(), 'bench/data');
export const REPLAY_EVENTS = 1_000_000;

export function hasSysdig(): boolean {
  try {
    execFileSync('sysdig', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function sourceLines(): string[] {
  const lines: string[] = [];
  const captures = path.resolve(process.cwd(), 'captures');
  for (const group of readdirSync(captures, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(path.join(captures, group.name)).filter((n) => n.endsWith('.jsonl'))) {
      lines.push(
        ...readFileSync(path.join(captures, group.name, f), 'utf8')
          .split('\n')
          .filter(Boolean),
      );
    }
  }
  if (hasSysdig()) {
    const format = execFileSync(process.execPath, ['dist/src/cli/main.js', 'fields', '-r', 'rules/', '--used', '--sysdig-format'], { encoding: 'utf8' }).trim();
    // Only the fields this sysdig knows (older versions lack some).
    const fields = new Set(
      execFileSync('sysdig', ['-l'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => /^([a-z0-9_]+\.[a-z0-9_.]+)/.exec(l)?.[1])
        .filter(Boolean),
    );
    const known = format
      .slice(1)
      .split(' ')
      .filter((t) => fields.has(t.slice(1).replace(/\[.*\]$/, '')) || t.startsWith('%evt.arg.'));
    for (const scap of ['curl_google.scap', 'test_ipv6_client.scap', 'single_ipv6_conn.scap']) {
      const out = execFileSync('sysdig', ['-r', path.join(SHARED_DIR, 'captures/scap', scap), '-j', '-p', `*${known.join(' ')}`], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      lines.push(...out.split('\n').filter(Boolean));
    }
  }
  return lines;
}

/** A JSONL capture of REPLAY_EVENTS events; evt.num renumbered so every line is distinct. */
export async function replayCapture(): Promise<string> {
  const file = path.join(DATA_DIR, 'replay-1m.jsonl');
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const lines = sourceLines();
  const out = createWriteStream(file);
  for (let i = 0; i < REPLAY_EVENTS; i++) {
    const line = lines[i % lines.length]!.replace(/"evt\.num":\s*\d+/, `"evt.num":${i + 1}`);
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return file;
}

/** A scap capture of about `events` events: the blocks of a real capture, event blocks repeated. */
export function scaledScap(events: number): string {
  const file = path.join(DATA_DIR, `scaled-${events}.scap`);
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const raw = gunzipSync(readFileSync(path.join(SHARED_DIR, 'captures/scap/curl_google.scap')));
  const header: Buffer[] = [];
  const body: Buffer[] = [];
  let eventBlocks = 0;
  for (let off = 0; off < raw.length; ) {
    const type = raw.readUInt32LE(off);
    const length = raw.readUInt32LE(off + 4);
    const block = raw.subarray(off, off + length);
    // Blocks before the first event block (section header, machine info, process, fd and
    // user tables) are written once; everything from the first event block on is repeated.
    if (type === 0x204 || body.length > 0) body.push(block);
    else header.push(block);
    if (type === 0x204) eventBlocks++;
    off += length;
  }
  const copies = Math.ceil(events / eventBlocks);
  const chunks = [...header];
  for (let i = 0; i < copies; i++) chunks.push(...body);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}
