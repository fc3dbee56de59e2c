import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, hasSysdig, scaledScap } from '../data.js';
import type { Registration, Suite } from '../types.js';

const EVENTS = 1_000_000;
const CONDITION = 'evt.type in (open, openat) and fd.name startswith /etc';

function seconds(command: string, args: string[], stdout = 'ignore' as const): number {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { stdio: ['ignore', stdout, 'ignore'], maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** libsinsp (sysdig) filtering a scaled scap, against kestrel filtering its JSONL conversion. */
export const sysdigSuite: Suite = {
  name: 'sysdig',
  register(): Registration {
    if (!hasSysdig()) return { figures: [] };
    const scap = scaledScap(EVENTS);
    const jsonl = path.join(DATA_DIR, `scaled-${EVENTS}.jsonl`);
    if (!existsSync(jsonl)) {
      const fd = openSync(jsonl, 'w');
      execFileSync('sysdig', ['-r', scap, '-j', '-p', '*%evt.num %evt.type %evt.dir %fd.name'], { stdio: ['ignore', fd, 'ignore'] });
      closeSync(fd);
    }
    const sysdig = seconds('sysdig', ['-r', scap, '-p', '%evt.num', CONDITION]);
    const kestrel = seconds(process.execPath, ['dist/src/cli/main.js', 'replay', '--filter', CONDITION, '-p', '%evt.num', jsonl]);
    const ratio = kestrel / sysdig;
    return {
      figures: [
        { name: `sysdig -r (scap, ~${EVENTS} events): ${CONDITION}`, unit: 's', median: sysdig, min: sysdig, max: sysdig, samples: 1 },
        { name: 'kestrel replay --filter (its JSONL conversion)', unit: 's', median: kestrel, min: kestrel, max: kestrel, samples: 1 },
        { name: 'kestrel time / sysdig time', unit: 'ratio', median: ratio, min: ratio, max: ratio, samples: 1 },
      ],
    };
  },
};
