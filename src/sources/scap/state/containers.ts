/**
 * Container ids from cgroup paths, as the container plugin matches them
 * (falcosecurity/plugins, plugins/container/src/matchers/: podman, docker, cri (cri-o and
 * containerd via CRI), containerd (ctr namespaces), lxc, libvirt-lxc, tried in that order on
 * each cgroup of the thread, the first match wins), and container metadata from the
 * capture's container events (plugins/container/src/container_info_json.cpp).
 */
import type { ContainerInfo } from './model.js';

const ID_LENGTH = 64;
const REPORTED_ID_LENGTH = 12;
const HEX = /^[0-9a-fA-F]$/;

/** Index of the first non-hex character at or after `from`, or Infinity (std::string::npos). */
function firstNonHex(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (!HEX.test(s[i]!)) return i;
  return Infinity;
}

/**
 * The runc-style layouts: the id sits between the last `prefix` and the last `suffix`. A
 * 64-hex id is reported as its first 12 characters; shorter ids only for containerd
 * (and never for systemd units ending in .service/.slice/.scope).
 */
function matchLayout(cgroup: string, prefix: string, suffix: string, containerd: boolean): string | undefined {
  const p = cgroup.lastIndexOf(prefix);
  if (p < 0) return undefined;
  const start = p + prefix.length;
  const end = cgroup.lastIndexOf(suffix);
  if (end < 0) return undefined;
  const len = end - start;
  // The plugin compares the absolute position of the first non-hex character with 64:
  // reproduced as is.
  if (len === ID_LENGTH && firstNonHex(cgroup, start) >= ID_LENGTH) return cgroup.substr(start, REPORTED_ID_LENGTH);
  if (len > ID_LENGTH || len <= 0) return undefined;
  if (containerd && !cgroup.endsWith('.service') && !cgroup.endsWith('.slice') && !cgroup.endsWith('.scope')) {
    return cgroup.substr(start, Math.min(len, REPORTED_ID_LENGTH));
  }
  return undefined;
}

function matchLayouts(cgroup: string, layouts: readonly (readonly [string, string])[], containerd = false): string | undefined {
  for (const [prefix, suffix] of layouts) {
    const id = matchLayout(cgroup, prefix, suffix, containerd);
    if (id !== undefined) return id;
  }
  return undefined;
}

const PODMAN: readonly (readonly [string, string])[] = [
  ['/libpod-', '.scope'],
  ['/libpod-', '.scope/container'],
  ['/libpod-', ''],
];
const DOCKER: readonly (readonly [string, string])[] = [
  ['/', ''],
  ['/docker-', '.scope'],
];
const CRI: readonly (readonly [string, string])[] = [
  ['/', ''],
  ['/crio-', ''],
  ['/cri-containerd-', '.scope'],
  ['/crio-', '.scope'],
  [':cri-containerd:', ''],
  ['/docker-', '.scope'],
];
const CONTAINERD_NAMESPACE = /\/([A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*)\//;
const LXC = ['/lxc/', '/lxc.payload/', '/lxc.payload.'];

function matchLxc(cgroup: string): string | undefined {
  for (const layout of LXC) {
    const pos = cgroup.indexOf(layout);
    if (pos >= 0) {
      const start = pos + layout.length;
      const end = cgroup.indexOf('/', start);
      return end < 0 ? cgroup.slice(start) : cgroup.slice(start, end);
    }
  }
  return undefined;
}

function matchLibvirtLxc(cgroup: string): string | undefined {
  const suffix = '.libvirt-lxc';
  const pos = cgroup.indexOf(suffix);
  if (pos >= 0 && pos === cgroup.length - suffix.length) {
    const slash = cgroup.lastIndexOf('/');
    if (slash >= 0) return cgroup.slice(slash + 1, pos);
  }
  const marker = '-lxc\\x2';
  const m = cgroup.indexOf(marker);
  if (m >= 0) {
    const delimiter = cgroup.includes('.scope/libvirt') ? '.scope/libvirt' : '.scope';
    const d = cgroup.indexOf(delimiter);
    // The plugin skips the marker plus one more character (the 'd' of \x2d).
    if (d >= 0 && d === cgroup.length - delimiter.length) return cgroup.slice(m + marker.length + 1, d);
  }
  const legacy = '/libvirt/lxc/';
  const l = cgroup.indexOf(legacy);
  if (l >= 0) return cgroup.slice(l + legacy.length);
  return undefined;
}

export interface CgroupMatch {
  readonly id: string;
  /** The engine that matched (container.type for cgroup-only engines). */
  readonly engine: 'podman' | 'docker' | 'cri' | 'containerd' | 'lxc' | 'libvirt-lxc';
}

/** The container a cgroup path belongs to, or undefined (host). */
export function matchCgroup(cgroup: string): CgroupMatch | undefined {
  let id = matchLayouts(cgroup, PODMAN);
  if (id !== undefined) return { id, engine: 'podman' };
  id = matchLayouts(cgroup, DOCKER);
  if (id !== undefined) return { id, engine: 'docker' };
  id = matchLayouts(cgroup, CRI);
  if (id !== undefined) return { id, engine: 'cri' };
  const ns = CONTAINERD_NAMESPACE.exec(cgroup);
  if (ns !== null) {
    id = matchLayouts(cgroup, [[ns[0], '']], true);
    if (id !== undefined) return { id, engine: 'containerd' };
  }
  id = matchLxc(cgroup);
  if (id !== undefined) return { id, engine: 'lxc' };
  id = matchLibvirtLxc(cgroup);
  if (id !== undefined) return { id, engine: 'libvirt-lxc' };
  return undefined;
}

/**
 * matchCgroup's answers by path: a capture's threads share a handful of cgroup paths, and
 * every new thread and exec asks again for each of its ten or so. Bounded: emptied when full.
 */
const MATCHED = new Map<string, CgroupMatch | null>();
const MATCHED_MAX = 4096;

function matchCgroupOnce(path: string): CgroupMatch | undefined {
  let m = MATCHED.get(path);
  if (m === undefined) {
    if (MATCHED.size >= MATCHED_MAX) MATCHED.clear();
    m = matchCgroup(path) ?? null;
    MATCHED.set(path, m);
  }
  return m ?? undefined;
}

/** The container of a thread's cgroups: the first non-empty path that matches, '' for the host. */
export function containerIdOf(cgroups: readonly (readonly [string, string])[]): CgroupMatch | undefined {
  for (const [, path] of cgroups) {
    if (path === '') continue;
    const m = matchCgroupOnce(path);
    // An empty id counts as no match (the plugin keeps looking).
    if (m !== undefined && m.id !== '') return m;
  }
  return undefined;
}

/** container_type values of the container plugin, as container.type prints them. */
const CONTAINER_TYPES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

export function containerTypeName(type: unknown): string {
  if (typeof type === 'number') return CONTAINER_TYPES[type] ?? 'unknown';
  if (typeof type === 'string') return type;
  return 'unknown';
}

/** A ContainerInfo from the plugin's JSON (`{"container": {...}}`); undefined if it is not one. */
export function containerFromJson(text: string): ContainerInfo | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = (doc as { container?: unknown } | null)?.container;
  if (typeof c !== 'object' || c === null) return undefined;
  const o = c as Record<string, unknown>;
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const { id: _id, type: _type, name: _n, image: _i, imageid: _ii, imagerepo: _ir, imagetag: _it, imagedigest: _id2, privileged: _p, ...extra } = o;
  return {
    id: str('id'),
    type: containerTypeName(o['type'] ?? -1),
    name: str('name'),
    image: str('image'),
    imageId: str('imageid'),
    imageRepository: str('imagerepo'),
    imageTag: str('imagetag'),
    imageDigest: str('imagedigest'),
    privileged: typeof o['privileged'] === 'boolean' ? (o['privileged'] as boolean) : false,
    extra,
  };
}

/** A ContainerInfo known only by id and engine (cgroup-only engines, old container events). */
export function bareContainer(id: string, type: string, name = '', image = ''): ContainerInfo {
  return {
    id,
    type,
    name,
    image,
    imageId: '',
    imageRepository: '',
    imageTag: '',
    imageDigest: '',
    privileged: undefined,
    extra: {},
  };
}
