/**
 * The scap event source: events are the reader's ScapEvents, and every field is computed
 * from the event and the state engine, as libsinsp computes it. One source serves one
 * capture at a time (`beginCapture` starts fresh state); the evaluator's accessors read the
 * current state, so one compiled engine serves every capture of a run.
 */
import { FieldCatalogue, type ResolvedField } from '../../fields/catalogue.js';
import { STATE_ONLY_ENTER_EVENTS } from '../../fields/events.js';
import type { EventSource, FieldAccessor, FieldValue } from '../../fields/source.js';
import type { ScapEvent } from './event.js';
import { fdTypeChar } from './fields/common.js';
import { l4proto } from './fields/fd.js';
import { type Extractor, extractor, type ParamRenderer } from './fields/index.js';
import { fixSocketsComingFromProc, type InterfaceInfo, type MachineInfo, type MetadataHandler } from './metadata.js';
import { type FdRef, paramIndex, type RenderContext, renderArg, renderArgs, renderRawArg } from './render.js';
import { type EngineOptions, ScapStateEngine, type SeedThread } from './state/engine.js';
import type { FdInfo, GroupInfo, StateView, ThreadInfo, UserInfo } from './state/model.js';
import { ERRNO_NAMES, EVENTS } from './tables.js';

const L4_CHAR: Record<string, string> = { tcp: 't', udp: 'u', icmp: 'i', raw: 'r' };

/** scap_dump_flags SCAP_DF_STATE_ONLY, in an event block's flags. */
const SCAP_DF_STATE_ONLY = 1;
/** The enter events sinsp_evt_filter always filters out once parsed (STATE_ONLY_ENTER_EVENTS), by code. */
const STATE_ONLY_TYPES = Uint8Array.from(EVENTS, (e) => (e.direction === 'enter' && STATE_ONLY_ENTER_EVENTS.has(e.name) ? 1 : 0));
const latin1 = new TextDecoder('latin1');

export class ScapEventSource implements EventSource<ScapEvent> {
  readonly name = 'syscall';
  /** The state of the capture being read. */
  state: ScapStateEngine;
  private readonly accessors = new Map<string, FieldAccessor<ScapEvent>>();
  private readonly renderer: ParamRenderer;
  private readonly typeOf: Extractor;

  constructor(private readonly options: EngineOptions = {}) {
    this.state = new ScapStateEngine(options);
    this.renderer = new StateRenderer();
    const typeField = FieldCatalogue.syscall().resolve('evt.type');
    if (!typeField.ok) throw new Error('the catalogue has no evt.type');
    this.typeOf = extractor(typeField.field);
  }

  /**
   * Starts a new capture: fresh state, as libsinsp opening a file. With `lightEvents`
   * (read-plan.ts), the state engine does only the thread bookkeeping of those events.
   */
  beginCapture(lightEvents?: Uint8Array): void {
    this.state = new ScapStateEngine(lightEvents === undefined ? this.options : { ...this.options, lightEvents });
  }

  /** Updates the state with an event: called for every event, before rules see it. */
  update(event: ScapEvent): void {
    this.state.update(event);
  }

  /**
   * Whether the event, once it has updated the state, goes on to the rules (and filters,
   * outputs, conversions), as sinsp::next decides (sinsp_evt_filter in sinsp.cpp, libs HEAD):
   * not an event a capture marked SCAP_DF_STATE_ONLY (a "fatfile" capture keeps the events
   * its filter dropped for their state only), and not the enter events libsinsp parses for
   * its own use and then drops (open, openat, openat2, creat, connect, execve, execveat).
   */
  delivered(event: ScapEvent): boolean {
    return (event.flags & SCAP_DF_STATE_ONLY) === 0 && STATE_ONLY_TYPES[event.type] !== 1;
  }

  accessor(field: ResolvedField): FieldAccessor<ScapEvent> {
    let read = this.accessors.get(field.key);
    if (read === undefined) {
      const extract = extractor(field, { renderer: this.renderer });
      read = (event) => extract(event, this.state);
      this.accessors.set(field.key, read);
    }
    return read;
  }

  eventType(event: ScapEvent): string | undefined {
    const t = this.typeOf(event, this.state);
    return typeof t === 'string' ? t : undefined;
  }

  eventCode(event: ScapEvent): number {
    return event.type;
  }

  /**
   * Receives the capture's metadata blocks and seeds the state with them once they are read
   * (the process list with its fd tables, users, groups, interfaces, machine).
   */
  metadataHandler(): MetadataHandler {
    let threads = new Map<number, SeedThread>();
    let users: UserInfo[] = [];
    let groups: GroupInfo[] = [];
    let interfaces: InterfaceInfo[] = [];
    let machine: MachineInfo | undefined;
    return {
      onMachine: (info) => (machine = info),
      onThread: (t) => threads.set(t.tid, t),
      onFd: (tid, fd) => {
        const t = threads.get(tid);
        if (t === undefined) return;
        t.fds ??= new Map();
        t.fds.set(fd.fd, fd);
      },
      onUser: (u) => users.push(u),
      onGroup: (g) => groups.push(g),
      onInterface: (i) => interfaces.push(i),
      onMetadataEnd: (serverPorts) => {
        const all: FdInfo[] = [];
        for (const t of threads.values()) if (t.fds) all.push(...t.fds.values());
        fixSocketsComingFromProc(all, serverPorts);
        this.state.seed({
          threads: [...threads.values()],
          users,
          groups,
          ...(machine ? { machine: { hostname: machine.hostname, bootTime: machine.bootTime, numCpus: machine.numCpus } } : {}),
          interfaces: {
            ipv4: interfaces.filter((i) => i.family === 4).map((i) => ({ addr: i.addr, netmask: i.netmask })),
            ipv6: interfaces.filter((i) => i.family === 6).map((i) => ({ addr: i.addr })),
          },
        });
        threads = new Map();
        users = [];
        groups = [];
        interfaces = [];
      },
    };
  }
}

/**
 * Parameter rendering with what the state knows of the event's thread (fd names, cwd, user
 * and group names, the comm of pids), as libsinsp resolves parameters.
 */
class StateRenderer implements ParamRenderer {
  private state: StateView | undefined;
  private thread: ThreadInfo | undefined;
  private readonly known: RenderContext = {
    threadKnown: true,
    fd: (fd) => this.fdRef(fd),
    comm: (tid) => this.state?.thread(tid)?.comm,
    user: (uid) => this.state?.user(uid, this.thread?.containerId ?? '')?.name,
    group: (gid) => this.state?.group(gid, this.thread?.containerId ?? '')?.name,
    cwd: () => (this.thread && this.state?.cwd ? this.state.cwd(this.thread) : undefined),
    dirPath: (fd) => this.fdInfo(fd)?.name,
  };
  private readonly unknown: RenderContext = { threadKnown: false };

  arg(ev: ScapEvent, state: StateView, key: string | number): string | undefined {
    const i = typeof key === 'number' ? key : paramIndex(ev, key);
    return renderArg(ev, i, this.context(ev, state));
  }

  rawArg(ev: ScapEvent, _state: StateView, name: string): FieldValue {
    return renderRawArg(ev, name);
  }

  errno(ev: ScapEvent): string | undefined {
    if (ev.paramCount === 0) return undefined;
    const res = ev.paramInt(0);
    return res < 0 ? ERRNO_NAMES.get(-res) : undefined;
  }

  buffer(ev: ScapEvent): FieldValue {
    const i = paramIndex(ev, 'data');
    return i < 0 ? undefined : latin1.decode(ev.paramBytes(i));
  }

  args(ev: ScapEvent, state: StateView): string {
    return renderArgs(ev, this.context(ev, state));
  }

  private context(ev: ScapEvent, state: StateView): RenderContext {
    this.state = state;
    this.thread = state.thread(ev.tid);
    return this.thread === undefined ? this.unknown : this.known;
  }

  private fdInfo(fd: number): FdInfo | undefined {
    const t = this.thread;
    if (t === undefined || this.state === undefined) return undefined;
    // The engine knows which table a thread uses (its own, or its process's when it shares files).
    return this.state instanceof ScapStateEngine ? this.state.fdTable(t)?.get(fd) : t.fds.get(fd);
  }

  private fdRef(fd: number): FdRef | undefined {
    const f = this.fdInfo(fd);
    if (f === undefined) return undefined;
    // libsinsp prints the fd's get_l4proto: none for a socket without a role yet
    const l4 = l4proto(f);
    return { typechar: fdTypeChar(f), name: f.name, ...(l4 !== undefined ? { l4: L4_CHAR[l4] ?? l4 } : {}) };
  }
}
