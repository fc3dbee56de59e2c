/** Golden alert lines: text and JSON, with strings that need escaping and invalid UTF-8 input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKestrel } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kestrel-golden-'));
const rules = path.join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `- rule: Odd command line
  desc: d
  condition: evt.type = execve and proc.name = sh
  output: "Command (cmd=%proc.cmdline pid=%proc.pid tty=%proc.tty parent=%proc.pname)"
  priority: CRITICAL
  tags: [b, a]
`,
);
// Quotes, backslash, newline, tab, a control character, non-ASCII, then raw invalid UTF-8 bytes.
const line = Buffer.concat([
  Buffer.from(
    '{"evt.type":"execve","evt.rawtime":1700000000123456789,"proc.name":"sh","proc.pid":7,"proc.cmdline":"sh -c \\"echo \\\\\\\\ x\\"\\n\\t\\u0001 caf\u00e9 ',
  ),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('"}\n'),
]);
const capture = path.join(dir, 'capture.jsonl');
writeFileSync(capture, line);

describe('alert output', () => {
  it('text line', async () => {
    const run = await runKestrel(['replay', '-r', rules, capture, '--no-suggested-output']);
    expect(run.stdout).toBe('22:13:20.123456789: Critical Command (cmd=sh -c "echo \\\\ x"\n\t\u0001 café \ufffd\ufffd pid=7 tty=<NA> parent=<NA>)\n');
  });

  it('JSON line', async () => {
    const run = await runKestrel(['replay', '-r', rules, capture, '--json', '--no-suggested-output'], { env: { FALCO_HOSTNAME: 'h' } });
    expect(run.stdout).toBe(
      '{"hostname":"h","output":"22:13:20.123456789: Critical Command (cmd=sh -c \\"echo \\\\\\\\ x\\"\\n\\t\\u0001 café \ufffd\ufffd pid=7 tty=<NA> parent=<NA>)",' +
        '"output_fields":{"proc.cmdline":"sh -c \\"echo \\\\\\\\ x\\"\\n\\t\\u0001 café \ufffd\ufffd","proc.pid":7,"proc.pname":null,"proc.tty":null},' +
        '"priority":"Critical","rule":"Odd command line","source":"syscall","tags":["a","b"],"time":"2023-11-14T22:13:20.123456789Z"}\n',
    );
    const parsed = JSON.parse(run.stdout);
    expect(parsed.output_fields['proc.cmdline']).toBe('sh -c "echo \\\\ x"\n\t\u0001 café \ufffd\ufffd');
  });

  it('appends the container plugin suggested fields by default, as Falco does', async () => {
    const run = await runKestrel(['replay', '-r', rules, capture]);
    expect(run.stdout).toMatch(
      / parent=<NA>\) container_id=<NA> container_name=<NA> container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>\n$/,
    );
  });
});
