/**
 * fd.* extraction. States reproduce curl_google.scap by hand; expectations are sysdig's:
 *   TZ=UTC sysdig -r ../shared/captures/scap/curl_google.scap -p '*%evt.num %evt.type %evt.dir
 *     fd=%fd.num type=%fd.type tc=%fd.typechar name=%fd.name dir=%fd.directory fn=%fd.filename
 *     cip=%fd.cip sip=%fd.sip lip=%fd.lip rip=%fd.rip cport=%fd.cport sport=%fd.sport
 *     lport=%fd.lport rport=%fd.rport l4=%fd.l4proto fam=%fd.sockfamily srv=%fd.is_server
 *     conn=%fd.connected cproto=%fd.cproto sproto=%fd.sproto uid=%fd.uid' 'fd.type in (ipv4,ipv6)'
 *   1189 connect < fd=4 type=ipv6 tc=6 name=2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53
 *     cip=2600:1f18:262c:6542:9aa6:df7a:9a47:d29e sip=2001:4860:4860::8888 lip=2600:1f18:262c:6542:9aa6:df7a:9a47:d29e
 *     rip=2001:4860:4860::8888 cport=40251 sport=53 lport=40251 rport=53 l4=udp fam=ip srv=false conn=true
 *     cproto=40251 sproto=53 uid=174984
 *   1010 socket < fd=4 type=ipv6 tc=6 name= cip=<NA> ... l4=<NA> fam=ip srv=true conn=false cproto=<NA> sproto=<NA> uid=174974
 * and for files ('evt.type in (open,read,close) and evt.num < 300'):
 *   218 open > fd=-1 ... name=<NA> uid=17497-1
 *   219 open < fd=3 type=file tc=f name=/etc/ld.so.cache dir=/etc fn=ld.so.cache ... dev=0 maj=0 min=0
 *   212 brk > fd=<NA> type=<NA> tc=<NA> ... (not an fd event; the libs mirror, unlike sysdig 0.29, flags mmap EF_USES_FD)
 */
import { describe, expect, it } from 'vitest';
import { fakeEvent, fakeState, fd, i64, ip, read, thread } from './helpers.js';

const client = ip('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e');
const dns = ip('2001:4860:4860::8888');
/** The capture's interface: 2600:1f18:262c::/48 (libsinsp compares IPv6 interfaces on 48 bits). */
const isLocal = (a: Uint8Array) => a.length === 16 && (a.subarray(0, 6).every((b, i) => b === client[i]) || a.subarray(0, 6).every((b) => b === 0));

const udp = fd({
  fd: 4,
  type: 'ipv6',
  name: '2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53',
  role: 'client',
  connected: true,
  tuple: { family: 6, sip: client, sport: 40251, dip: dns, dport: 53, l4proto: 'udp' },
});
const file = fd({ fd: 3, type: 'file', name: '/etc/ld.so.cache', nameRaw: '/etc//ld.so.cache', dev: 0x803, ino: 131_000n });

function curlWith(...fds: ReturnType<typeof fd>[]) {
  return thread({ tid: 17497, ptid: 3200, comm: 'curl', cwd: '/home/ubuntu/', fds: new Map(fds.map((f) => [f.fd, f])) });
}

describe('fd fields of sockets (curl_google.scap)', () => {
  const s = fakeState({ threads: [curlWith(udp, file)], isLocal });
  const connect = fakeEvent({ id: 'PPME_SOCKET_CONNECT_X', tid: 17497, num: 1189, params: { res: i64(0), fd: i64(4) } });

  it('reads both ends, local and remote as libsinsp decides (event 1189)', () => {
    const v = (f: string) => read(f, connect, s);
    expect(v('fd.num')).toBe(4);
    expect(v('fd.type')).toBe('ipv6');
    expect(v('fd.typechar')).toBe('6');
    expect(v('fd.name')).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53');
    expect(v('fd.cip')).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e');
    expect(v('fd.sip')).toBe('2001:4860:4860::8888');
    expect(v('fd.lip')).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e');
    expect(v('fd.rip')).toBe('2001:4860:4860::8888');
    expect([v('fd.cport'), v('fd.sport'), v('fd.lport'), v('fd.rport')]).toEqual([40251, 53, 40251, 53]);
    expect(v('fd.l4proto')).toBe('udp');
    expect(v('fd.sockfamily')).toBe('ip');
    expect(v('fd.is_server')).toBe(false);
    expect(v('fd.connected')).toBe(true);
    expect(v('fd.cproto')).toBe('40251');
    expect(v('fd.sproto')).toBe('53');
    expect(v('fd.lproto')).toBe('40251');
    expect(v('fd.rproto')).toBe('53');
    expect(v('fd.uid')).toBe('174974');
    // Filter-only fields: either end.
    expect(v('fd.ip')).toEqual(['2600:1f18:262c:6542:9aa6:df7a:9a47:d29e', '2001:4860:4860::8888']);
    expect(v('fd.port')).toEqual([40251, 53]);
    expect(v('fd.proto')).toEqual([40251, 53]);
    expect(v('fd.net')).toEqual(['2600:1f18:262c:6542:9aa6:df7a:9a47:d29e', '2001:4860:4860::8888']);
    expect(v('fd.snet')).toBe('2001:4860:4860::8888');
    expect(v('fd.lnet')).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e');
    // DNS names come from a live cache a replay does not have.
    expect(v('fd.sip.name')).toBeUndefined();
  });

  it('swaps local and remote when the client end is not this machine (a server)', () => {
    const accepted = fd({
      fd: 5,
      type: 'ipv4',
      role: 'server',
      tuple: { family: 4, sip: ip('1.2.3.4'), sport: 50000, dip: ip('10.0.0.79'), dport: 22, l4proto: 'tcp' },
    });
    const srv = fakeState({ threads: [curlWith(accepted)], localAddresses: ['10.0.0.79'] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_READ_X', tid: 17497, params: { res: i64(10), fd: i64(5) } });
    expect(read('fd.lip', ev, srv)).toBe('10.0.0.79');
    expect(read('fd.rip', ev, srv)).toBe('1.2.3.4');
    expect(read('fd.lport', ev, srv)).toBe(22);
    expect(read('fd.rport', ev, srv)).toBe(50000);
    expect(read('fd.is_server', ev, srv)).toBe(true);
    expect(read('fd.l4proto', ev, srv)).toBe('tcp');
  });

  it('leaves the ends of a socket without role NA (event 1010)', () => {
    const fresh = fd({ fd: 4, type: 'ipv6', tuple: { family: 6, sip: new Uint8Array(16), sport: 0, dip: new Uint8Array(16), dport: 0, l4proto: 'udp' } });
    const st = fakeState({ threads: [curlWith(fresh)], isLocal });
    const ev = fakeEvent({ id: 'PPME_SOCKET_SOCKET_X', tid: 17497, num: 1010, params: [i64(4)] });
    const v = (f: string) => read(f, ev, st);
    expect(v('fd.name')).toBe('');
    expect([v('fd.cip'), v('fd.sip'), v('fd.lip'), v('fd.rip')]).toEqual([undefined, undefined, undefined, undefined]);
    expect([v('fd.cport'), v('fd.sport'), v('fd.cproto'), v('fd.sproto')]).toEqual([undefined, undefined, undefined, undefined]);
    // get_l4proto: no role, no protocol; the field prints libsinsp's "<NA>" text.
    expect(v('fd.l4proto')).toBe('<NA>');
    expect(v('fd.sockfamily')).toBe('ip');
    // The unset server end (::) is on this machine, so sysdig calls it a server.
    expect(v('fd.is_server')).toBe(true);
    expect(v('fd.connected')).toBe(false);
    expect(v('fd.uid')).toBe('174974');
  });

  it('reads a listening socket by its bound address', () => {
    const listen = fd({
      fd: 6,
      type: 'ipv4_server',
      role: 'server',
      tuple: { family: 4, sip: new Uint8Array(4), sport: 0, dip: ip('0.0.0.0'), dport: 8080, l4proto: 'tcp' },
    });
    // An event without its fd parameter (an older layout): the thread's last event fd names it.
    const ev = fakeEvent({ id: 'PPME_SOCKET_LISTEN_X', tid: 17497, params: [i64(0)] });
    const t = curlWith(listen);
    t.lastEventFd = 6;
    const st2 = fakeState({ threads: [t] });
    expect(read('fd.sport', ev, st2)).toBe(8080);
    expect(read('fd.sip', ev, st2)).toBe('0.0.0.0');
    expect(read('fd.cip', ev, st2)).toBeUndefined();
    expect(read('fd.port', ev, st2)).toEqual([8080]);
    expect(read('fd.is_server', ev, st2)).toBe(true);
    expect(read('fd.typechar', ev, st2)).toBe('4');
    expect(read('fd.type', ev, st2)).toBe('ipv4');
    expect(read('fd.lip', ev, st2)).toBeUndefined();
  });
});

describe('fd fields of files (curl_google.scap)', () => {
  const s = fakeState({ threads: [curlWith(file)] });

  it('reads the opened file (event 219)', () => {
    const ev = fakeEvent({ id: 'PPME_SYSCALL_OPEN_X', tid: 17497, num: 219, params: { fd: i64(3), name: '/etc/ld.so.cache', flags: { int: 1, width: 4 } } });
    const v = (f: string) => read(f, ev, s);
    expect(v('fd.num')).toBe(3);
    expect(v('fd.type')).toBe('file');
    expect(v('fd.typechar')).toBe('f');
    expect(v('fd.name')).toBe('/etc/ld.so.cache');
    expect(v('fd.directory')).toBe('/etc');
    expect(v('fd.filename')).toBe('ld.so.cache');
    expect(v('fd.nameraw')).toBe('/etc/ld.so.cache');
    expect(v('fd.ino')).toBe(131_000);
    // The container plugin calls the host "host" (sysdig 0.29, without it, prints ":/etc/ld.so.cache").
    expect(v('fd.containername')).toBe('host:/etc/ld.so.cache');
    expect(v('fd.containerdirectory')).toBe('host:/etc');
    expect(v('fd.dev')).toBe(0x803);
    expect(v('fd.dev.major')).toBe(8);
    expect(v('fd.dev.minor')).toBe(3);
    expect(v('fd.sockfamily')).toBeUndefined();
    expect(v('fd.is_server')).toBe(false);
    expect(v('fd.cip')).toBeUndefined();
    expect(v('fd.l4proto')).toBe('<NA>');
    expect(v('fd.types')).toEqual(['file']);
    expect(v('fd.types[3]')).toBe('file');
    expect(v('fd.types[9]')).toBeUndefined();
  });

  it('has no fd on the open enter and none on non-fd events (events 218, 212)', () => {
    const enter = fakeEvent({ id: 'PPME_SYSCALL_OPEN_E', tid: 17497, num: 218, params: { name: '/etc/ld.so.cache' } });
    expect(read('fd.num', enter, s)).toBe(-1);
    expect(read('fd.name', enter, s)).toBeUndefined();
    expect(read('fd.uid', enter, s)).toBe('17497-1');
    // libs mirror extract_typechar: open is not among the events it types ('o'); sysdig 0.29 said 'f'.
    expect(read('fd.typechar', enter, s)).toBe('o');
    const brk = fakeEvent({ id: 'PPME_SYSCALL_BRK_4_E', tid: 17497, num: 212 });
    for (const f of ['fd.num', 'fd.name', 'fd.typechar', 'fd.uid', 'fd.types']) expect(read(f, brk, s), f).toBeUndefined();
  });

  it('names a file the table lacks from the event (a failed open)', () => {
    const st = fakeState({ threads: [curlWith()] });
    const open = fakeEvent({ id: 'PPME_SYSCALL_OPEN_X', tid: 17497, params: { fd: i64(-2), name: 'x/../lib.so' } });
    expect(read('fd.name', open, st)).toBe('/home/ubuntu/lib.so');
    expect(read('fd.directory', open, st)).toBe('/home/ubuntu');
    expect(read('fd.filename', open, st)).toBeUndefined();
    const openat = fakeEvent({ id: 'PPME_SYSCALL_OPENAT_2_X', tid: 17497, params: { fd: i64(-2), dirfd: i64(-100), name: 'a//b' } });
    expect(read('fd.name', openat, st)).toBe('/home/ubuntu/a/b');
    expect(read('fd.nameraw', openat, st)).toBe('a/b');
    expect(read('fd.typechar', openat, st)).toBe('f');
    expect(read('fd.type', openat, st)).toBeUndefined();
    // A failed connect: the tuple parameter's text, which the parameter renderer makes.
    const connect = fakeEvent({ id: 'PPME_SOCKET_CONNECT_X', tid: 17497, params: { res: i64(-111), fd: i64(8) } });
    expect(read('fd.name', connect, st)).toBeUndefined();
    const renderer = {
      arg: (_e: unknown, _s: unknown, key: string | number) => (key === 1 ? '1.2.3.4:5->6.7.8.9:80' : undefined),
      rawArg: () => undefined,
      args: () => '',
      errno: () => undefined,
      buffer: () => undefined,
    };
    expect(read('fd.name', connect, st, { renderer })).toBe('1.2.3.4:5->6.7.8.9:80');
    // libsinsp's extract_typechar (event.h) types no connect event: 'o'.
    expect(read('fd.typechar', connect, st)).toBe('o');
  });

  it('dedupes separators of the raw name and reads overlay flags', () => {
    const f = fd({ fd: 3, type: 'file', name: '/a/b', nameRaw: '//a//b', overlayUpper: true, overlayLower: false });
    const st = fakeState({ threads: [curlWith(f)] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_READ_X', tid: 17497, params: { res: i64(1), fd: i64(3) } });
    expect(read('fd.nameraw', ev, st)).toBe('/a/b');
    expect(read('fd.is_upper_layer', ev, st)).toBe(true);
    expect(read('fd.is_lower_layer', ev, st)).toBe(false);
  });

  it('prefers the fd the state engine names for the event (a close that removed it)', () => {
    const closed = fd({ fd: 7, type: 'directory', name: '/tmp' });
    const t = curlWith();
    t.lastEventFd = 7;
    const st = fakeState({ threads: [t], eventFd: closed });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_CLOSE_X', tid: 17497, params: { res: i64(0), fd: i64(7) } });
    expect(read('fd.name', ev, st)).toBe('/tmp');
    expect(read('fd.directory', ev, st)).toBe('/tmp');
    expect(read('fd.filename', ev, st)).toBeUndefined();
    expect(read('fd.typechar', ev, st)).toBe('d');
  });
});

describe('fdlist fields', () => {
  it('lists the polled fds', () => {
    const list = new Uint8Array(2 + 10 * 3);
    const dv = new DataView(list.buffer);
    dv.setUint16(0, 3, true);
    [3, 4, 9].forEach((n, i) => {
      dv.setBigInt64(2 + 10 * i, BigInt(n), true);
    });
    const s = fakeState({ threads: [curlWith(file, udp)] });
    const ev = fakeEvent({ id: 'PPME_SYSCALL_POLL_X', tid: 17497, params: { res: i64(1), fds: list } });
    expect(read('fdlist.nums', ev, s)).toBe('3,4,9');
    expect(read('fdlist.names', ev, s)).toBe('/etc/ld.so.cache,2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53,<NA>');
    expect(read('fdlist.cips', ev, s)).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e');
    expect(read('fdlist.sports', ev, s)).toBe('53');
    expect(read('fdlist.nums', fakeEvent({ id: 'PPME_SYSCALL_READ_X', tid: 17497 }), s)).toBeUndefined();
  });
});
