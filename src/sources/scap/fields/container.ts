/**
 * container.* fields and the k8s.* ones the container plugin derives from container labels.
 * Threads outside containers belong to the plugin's "host" container (id, full id and
 * name "host", type "host"). Without metadata for a thread's container only container.id,
 * container.start_ts and container.duration have values, as with the plugin.
 *
 * Metadata the model does not name is read from ContainerInfo.extra under these keys:
 * fullId, mounts ({source, dest, mode, rdwr, propagation}[]), labels (Record), ip, cniJson,
 * hostPid, hostNetwork, hostIpc, podSandboxId, podSandboxLabels (Record).
 */
import type { ResolvedField } from '../../../fields/catalogue.js';
import type { ContainerInfo, StateView, ThreadInfo } from '../state/model.js';
import { u64, wrapU64 } from './common.js';
import type { Extractor, FieldValue } from './types.js';

interface Mount {
  source: string;
  dest: string;
  mode: string;
  rdwr: boolean;
  propagation: string;
}

const HOST: ContainerInfo = {
  id: 'host',
  type: 'host',
  name: 'host',
  image: '',
  imageId: '',
  imageRepository: '',
  imageTag: '',
  imageDigest: '',
  privileged: false,
  extra: { fullId: 'host' },
};

function containerId(t: ThreadInfo): string {
  return t.containerId === '' ? 'host' : t.containerId;
}

function infoOf(t: ThreadInfo, s: StateView): ContainerInfo | undefined {
  const id = containerId(t);
  return s.container(id) ?? (id === 'host' ? HOST : undefined);
}

/** A field read from the container's metadata: NA without a thread or metadata. */
function onContainer(read: (c: ContainerInfo, t: ThreadInfo, s: StateView) => FieldValue): Extractor {
  return (ev, s) => {
    const t = s.thread(ev.tid);
    if (t === undefined) return undefined;
    const c = infoOf(t, s);
    return c === undefined ? undefined : read(c, t, s);
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function record(v: unknown): Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
}

function mounts(c: ContainerInfo): Mount[] {
  const m = c.extra['mounts'];
  return Array.isArray(m) ? (m as Mount[]) : [];
}

function mountText(m: Mount): string {
  return `${m.source}:${m.dest}:${m.mode}:${m.rdwr ? 'true' : 'false'}:${m.propagation}`;
}

/** The plugin's label list: `key:value` pairs, comma-space separated, without annotations or Kubernetes' own labels. */
function labelsText(labels: Record<string, string>): string {
  const parts: string[] = [];
  for (const key of Object.keys(labels).sort()) {
    if (key.startsWith('annotation.') || key.startsWith('io.kubernetes.')) continue;
    const v = labels[key] ?? '';
    parts.push(v === '' ? key : `${key}:${v}`);
  }
  return parts.join(', ');
}

/** fnmatch-style glob (`*`, `?`, `[...]`) as a regular expression, for mount lookups. */
function globRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's');
}

/** container.mount*: by index, or by a glob on the source (on the destination for mount.source). */
function mountField(field: ResolvedField, read: (m: Mount) => string): Extractor {
  const arg = field.arg ?? '';
  const byDest = field.def.name === 'container.mount.source';
  const index = /^[0-9]+$/.test(arg) ? Number(arg) : -1;
  const glob = index < 0 ? globRegExp(arg) : undefined;
  return onContainer((c) => {
    const list = mounts(c);
    const m = glob === undefined ? list[index] : list.find((x) => glob.test(byDest ? x.dest : x.source));
    return m === undefined ? undefined : read(m);
  });
}

/** Pod-level values the plugin reads from the pod sandbox's container when this one lacks the CNI result. */
function sandbox(c: ContainerInfo, s: StateView): ContainerInfo | undefined {
  if (str(c.extra['cniJson'])) return undefined;
  const id = str(c.extra['podSandboxId']);
  return id === undefined ? undefined : s.container(id.slice(0, 12));
}

function sinceStart(read: (pidnsStart: bigint, ts: bigint) => FieldValue): Extractor {
  return (ev, s) => {
    const t = s.thread(ev.tid);
    if (t === undefined || t.pidnsInitStartTs === 0n) return undefined;
    return read(t.pidnsInitStartTs, ev.ts());
  };
}

type Builder = (field: ResolvedField) => Extractor;

export const CONTAINER_FIELDS: Record<string, Builder> = {
  'container.id': () => (ev, s) => {
    const t = s.thread(ev.tid);
    if (t === undefined) return undefined;
    return infoOf(t, s)?.id ?? containerId(t);
  },
  'container.full_id': () => onContainer((c) => str(c.extra['fullId']) ?? c.id),
  'container.name': () => onContainer((c) => c.name),
  'container.image': () => onContainer((c) => c.image),
  'container.image.id': () => onContainer((c) => c.imageId),
  'container.type': () => onContainer((c) => c.type),
  'container.privileged': () => onContainer((c) => c.privileged ?? false),
  'container.mounts': () => onContainer((c) => mounts(c).map(mountText).join(',')),
  'container.mount': (f) => mountField(f, mountText),
  'container.mount.source': (f) => mountField(f, (m) => m.source),
  'container.mount.dest': (f) => mountField(f, (m) => m.dest),
  'container.mount.mode': (f) => mountField(f, (m) => m.mode),
  'container.mount.rdwr': (f) => mountField(f, (m) => (m.rdwr ? 'true' : 'false')),
  'container.mount.propagation': (f) => mountField(f, (m) => m.propagation),
  'container.image.repository': () => onContainer((c) => c.imageRepository),
  'container.image.tag': () => onContainer((c) => c.imageTag),
  'container.image.digest': () => onContainer((c) => c.imageDigest),
  'container.start_ts': () => sinceStart((start) => u64(start)),
  'container.duration': () => sinceStart((start, ts) => u64(wrapU64(ts - start))),
  'container.ip': () => onContainer((c) => str(c.extra['ip']) ?? ''),
  'container.cni.json': () => onContainer((c) => str(c.extra['cniJson']) ?? ''),
  'container.host_pid': () => onContainer((c) => bool(c.extra['hostPid']) ?? false),
  'container.host_network': () => onContainer((c) => bool(c.extra['hostNetwork']) ?? false),
  'container.host_ipc': () => onContainer((c) => bool(c.extra['hostIpc']) ?? false),
  'container.label': (f) => {
    const key = f.arg ?? '';
    return onContainer((c) => record(c.extra['labels'])[key]);
  },
  'container.labels': () => onContainer((c) => labelsText(record(c.extra['labels']))),
  'k8s.pod.name': () => onContainer((c) => record(c.extra['labels'])['io.kubernetes.pod.name']),
  'k8s.ns.name': () => onContainer((c) => record(c.extra['labels'])['io.kubernetes.pod.namespace']),
  'k8s.pod.id': () => onContainer((c) => record(c.extra['labels'])['io.kubernetes.pod.uid']),
  'k8s.pod.uid': () => onContainer((c) => record(c.extra['labels'])['io.kubernetes.pod.uid']),
  'k8s.pod.sandbox_id': () => onContainer((c) => (str(c.extra['podSandboxId']) ?? '').slice(0, 12)),
  'k8s.pod.full_sandbox_id': () => onContainer((c) => str(c.extra['podSandboxId']) ?? ''),
  'k8s.pod.label': (f) => {
    const key = f.arg ?? '';
    return onContainer((c, _t, s) => {
      const sb = sandbox(c, s);
      return (sb && record(sb.extra['podSandboxLabels'])[key]) ?? record(c.extra['podSandboxLabels'])[key];
    });
  },
  'k8s.pod.labels': () => onContainer((c, _t, s) => labelsText(record((sandbox(c, s) ?? c).extra['podSandboxLabels']))),
  'k8s.pod.ip': () =>
    onContainer((c, _t, s) => {
      if (str(c.extra['cniJson'])) return str(c.extra['ip']) ?? '';
      const sb = sandbox(c, s);
      return sb === undefined ? undefined : (str(sb.extra['ip']) ?? '');
    }),
  'k8s.pod.cni.json': () =>
    onContainer((c, _t, s) => {
      const own = str(c.extra['cniJson']);
      if (own) return own;
      const sb = sandbox(c, s);
      return sb === undefined ? undefined : (str(sb.extra['cniJson']) ?? '');
    }),
};
