/**
 * What the state engine gives the field extractors beyond the thread and fd tables (the
 * optional StateView members), and the state the field differential found missing: each
 * case states the libsinsp behaviour it follows.
 */
import { describe, expect, it } from 'vitest';
import { ScapStateEngine } from '../../../../src/sources/scap/state/engine.js';
import { IPPROTO_UDP, PPM_AF_INET, SOCK_DGRAM } from '../../../../src/sources/scap/synth/index.js';
import { Host, THREAD_FLAGS } from './host.js';

const ip = (...b: number[]) => new Uint8Array(b);

function proc(): Host {
  const h = new Host();
  h.clone(1, 100);
  h.execve(100, '/usr/bin/app');
  return h;
}

describe('state engine: members the extractors read', () => {
  it('counts the alive threads of a process (get_num_threads), dropping one at its procexit', () => {
    const h = proc();
    expect(h.engine.aliveThreads(h.thread(100))).toBe(1);
    h.clone(100, 101, { flags: THREAD_FLAGS });
    expect(h.engine.aliveThreads(h.thread(101))).toBe(2);
    h.procexit(101);
    expect(h.engine.aliveThreads(h.thread(100))).toBe(1);
  });

  it('finds local addresses as libsinsp does: IPv4 by exact interface address, IPv6 by the first 64 bits', () => {
    const e = new ScapStateEngine();
    e.seed({
      interfaces: {
        ipv4: [{ addr: ip(10, 0, 0, 2), netmask: ip(255, 255, 255, 0) }],
        ipv6: [{ addr: ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5) }],
      },
    });
    expect(e.isLocalAddress(ip(10, 0, 0, 2), undefined)).toBe(true);
    // same subnet is not enough for IPv4 (is_ipv4addr_in_local_machine compares addresses)
    expect(e.isLocalAddress(ip(10, 0, 0, 3), undefined)).toBe(false);
    expect(e.isLocalAddress(ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9), undefined)).toBe(true);
    expect(e.isLocalAddress(ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 5), undefined)).toBe(false);
  });

  it('keeps the time of the first event (m_firstevent_ts) and the event fd', () => {
    const h = proc();
    const first = h.engine.firstEventTs;
    expect(first).toBeGreaterThan(0n);
    h.openat(100, 3, '/etc/passwd');
    expect(h.engine.firstEventTs).toBe(first);
    expect(h.engine.eventFd?.name).toBe('/etc/passwd');
  });
});

describe('state engine: memory, page faults and socket status', () => {
  it('takes page faults and memory sizes from switch events, the sizes on the main thread (parse_context_switch)', () => {
    const h = proc();
    h.clone(100, 101, { flags: THREAD_FLAGS });
    h.enter('switch', 101, { next: 100, pgft_maj: 3n, pgft_min: 77n, vm_size: 356, vm_rss: 228, vm_swap: 1 });
    expect(h.thread(101)).toMatchObject({ pfMajor: 3n, pfMinor: 77n });
    expect(h.thread(100)).toMatchObject({ vmsizeKb: 356, vmrssKb: 228, vmswapKb: 1 });
  });

  it('takes memory sizes from brk exits on the event thread (parse_brk_mmap_mmap2_munmap__exit)', () => {
    const h = proc();
    h.exit('brk', 100, { res: 0x1000n, vm_size: 400, vm_rss: 12, vm_swap: 0, addr: 0n });
    expect(h.thread(100)).toMatchObject({ vmsizeKb: 400, vmrssKb: 12, vmswapKb: 0 });
  });

  it('marks an IP socket connected on a successful write or read (parse_write_exit / parse_read_exit)', () => {
    const h = proc();
    h.socket(100, 3, PPM_AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    expect(h.fd(100, 3)?.connected).toBeFalsy();
    h.exit('write', 100, { res: -9, data: 'x', fd: 3, size: 1 });
    expect(h.fd(100, 3)?.connected).toBeFalsy();
    h.exit('write', 100, { res: 1, data: 'x', fd: 3, size: 1 });
    expect(h.fd(100, 3)?.connected).toBe(true);
  });
});
