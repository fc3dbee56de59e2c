import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** sysdig (Debian package) embeds libsinsp: the reference for filter semantics. CI installs it. */
export function requireSysdig(): string {
  try {
    return execFileSync('sysdig', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('sysdig is not installed: run `apt-get install -y sysdig` (the CI script does)');
  }
}

/** The evt.num values of the events sysdig selects with `condition`, or the error it gives. */
export async function sysdigSelect(capture: string, condition: string): Promise<{ nums: number[] } | { error: string }> {
  try {
    const { stdout } = await run('sysdig', ['-r', capture, '-p', '%evt.num', condition], { maxBuffer: 64 * 1024 * 1024 });
    return { nums: stdout.split('\n').filter(Boolean).map(Number) };
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr ?? error) };
  }
}

/** Converts a capture into JSONL events with the given sysdig -p format. */
export async function sysdigJson(capture: string, format: string): Promise<string> {
  const { stdout } = await run('sysdig', ['-r', capture, '-j', '-p', format], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** Runs async jobs with a small concurrency limit. */
export async function mapLimit<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Field names sysdig knows (`sysdig -l`), to keep conversions within them. */
export function sysdigKnownFields(): Set<string> {
  return new Set(
    execFileSync('sysdig', ['-l'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => /^([a-z0-9_]+\.[a-z0-9_.]+)/.exec(l)?.[1])
      .filter((x): x is string => Boolean(x)),
  );
}
