/**
 * The tests' reference material: found at ../shared or KESTREL_SHARED, and when it is not
 * there, the failure says what is missing and how to provide it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the shared reference material', () => {
  const saved = process.env['KESTREL_SHARED'];
  afterEach(() => {
    if (saved === undefined) delete process.env['KESTREL_SHARED'];
    else process.env['KESTREL_SHARED'] = saved;
    vi.resetModules();
  });

  it('is found where KESTREL_SHARED says, or the tests fail naming the missing path', async () => {
    process.env['KESTREL_SHARED'] = '/nonexistent/kestrel-shared';
    vi.resetModules();
    await expect(import('./helpers/upstream.js')).rejects.toThrow(
      /missing reference material: \/nonexistent\/kestrel-shared\/falcosecurity-rules does not exist.*KESTREL_SHARED=\/nonexistent\/kestrel-shared.*set KESTREL_SHARED/,
    );
  });

  it('is found by default or through KESTREL_SHARED when present', async () => {
    vi.resetModules();
    const helper = await import('./helpers/upstream.js');
    expect(helper.UPSTREAM_RULE_FILES).toHaveLength(3);
    expect(helper.sharedPath('fields/syscall-fields.json')).toMatch(/fields\/syscall-fields\.json$/);
  });
});
