/**
 * The floor of reading a scap file in a Node process: opens the file, reads it in 16 MB pieces
 * and steps from block to block by their length fields, touching each event's type and nothing
 * else (no check, no decoding, no converter, no state, no condition; gzip not handled).
 *   node dist/bench/scap-walk.js FILE
 * The scap-native suite times it as a process beside `sysdig -r` and `kestrel replay --filter`:
 * no JavaScript reader of the file, kestrel's or another, can start and finish faster.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: scap-walk FILE');
const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 24);
let carried = 0;
let blocks = 0;
let types = 0;
for (;;) {
  const got = readSync(fd, buf, carried, buf.length - carried, null);
  const end = carried + got;
  let at = 0;
  while (end - at >= 8) {
    const total = buf.readUInt32LE(at + 4);
    if (total < 8 || end - at < total) break;
    // an event block's event type (block header 8, cpu 2, then ts 8, tid 8, len 4)
    if (total >= 32) types += buf.readUInt16LE(at + 30);
    blocks++;
    at += total;
  }
  buf.copy(buf, 0, at, end);
  carried = end - at;
  if (got === 0) break;
}
closeSync(fd);
process.stderr.write(`${JSON.stringify({ blocks, types })}\n`);
