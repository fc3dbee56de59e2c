/**
 * The syscall-source field catalogue: every field libsinsp and the container plugin
 * offer, with its type and argument rules, and name resolution as libsinsp does it
 * (`proc.aname[2]`, `evt.arg.flags`, `container.mount.dest[/var/run/docker.sock]`).
 */

import { eventArgumentMatch } from './event-params.js';
import { isEventTableName } from './events.js';
import data from './field-catalogue.json' with { type: 'json' };

/**
 * A number as libsinsp's sinsp_numparser reads one (sscanf of a decimal integer, then nothing):
 * blanks before it and a sign allowed, the digits captured. Field indexes and numeric constants.
 */
export const SSCANF_INTEGER = /^[\t\n\v\f\r ]*([+-]?[0-9]+)$/;

/** libsinsp value types, lower-cased `PT_*` names. */
export type FieldType =
  | 'charbuf'
  | 'bytebuf'
  | 'bool'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'double'
  | 'reltime'
  | 'abstime'
  | 'ipaddr'
  | 'ipnet'
  | 'port'
  | 'dyn';

export type FieldFlag =
  | 'arg_required'
  | 'arg_allowed'
  | 'arg_index'
  | 'arg_key'
  | 'filter_only'
  | 'no_rhs'
  | 'no_transformer'
  | 'is_list'
  | 'deprecated'
  | 'table_only'
  | 'print_only'
  | 'no_ptr_stability';

export interface FieldDef {
  name: string;
  type: FieldType;
  flags: ReadonlySet<FieldFlag>;
  /** libsinsp's print format (ppm_print_format without PF_): dec, hex, id, 10_padded_dec, dir, na. */
  printFormat: string;
  /** The libsinsp field class or plugin that provides the field. */
  provider: string;
}

/** A field reference resolved against the catalogue. */
export interface ResolvedField {
  def: FieldDef;
  /** The argument, from `[arg]` or from the dotted form (`evt.arg.flags`). */
  arg?: string;
  /** Canonical spelling: `name` or `name[arg]`. */
  key: string;
}

export type FieldLookup = { ok: true; field: ResolvedField } | { ok: false; unknown: boolean; message: string };

/** Fields whose argument may also be written after a dot, as libsinsp's event fields allow. */
const DOTTED_ARGUMENT_FIELDS = new Set(['evt.arg', 'evt.rawarg', 'evt.type.is']);
const NUMERIC_ARGUMENT = /^[+-]?[0-9]+$/;

export class FieldCatalogue {
  private readonly byName = new Map<string, FieldDef>();

  constructor(defs: readonly FieldDef[]) {
    for (const def of defs) this.byName.set(def.name, def);
  }

  /** The catalogue of the syscall source (libsinsp plus the container plugin). */
  static syscall(): FieldCatalogue {
    return (defaultCatalogue ??= new FieldCatalogue(
      data.fields.map((f) => ({
        name: f.name,
        type: f.type as FieldType,
        flags: new Set(f.flags as FieldFlag[]),
        printFormat: f.print_format,
        provider: f.provider,
      })),
    ));
  }

  all(): FieldDef[] {
    return [...this.byName.values()];
  }

  get(name: string): FieldDef | undefined {
    return this.byName.get(name);
  }

  /**
   * Resolves a field as written in a condition or output: a name plus an optional
   * bracketed argument. Reports unknown fields and argument misuse.
   */
  resolve(name: string, arg?: string): FieldLookup {
    let def = this.byName.get(name);
    let argument = arg;
    if (!def) {
      const dotted = this.dottedArgument(name);
      if (!dotted) return { ok: false, unknown: true, message: `unknown field '${name}'` };
      if (arg !== undefined) {
        return { ok: false, unknown: false, message: `field '${name}' already has an argument; it cannot take [${arg}] too` };
      }
      def = dotted.def;
      argument = dotted.arg;
      if (def.name === 'evt.arg' || def.name === 'evt.rawarg') {
        // sinsp_filter_check_event::extract_arg
        const match = eventArgumentMatch(argument);
        if (match === 'none') return { ok: false, unknown: false, message: `unknown event argument ${argument}` };
        if (match === 'prefix') return { ok: false, unknown: true, message: `unknown field '${name}'` };
      }
      // sinsp_filter_check_event::extract_type parses nothing of a name that is no event's
      if (def.name === 'evt.type.is' && !isEventTableName(argument)) return { ok: false, unknown: true, message: `unknown field '${name}'` };
    }
    const takesArg = def.flags.has('arg_required') || def.flags.has('arg_allowed');
    if (argument === undefined) {
      if (def.flags.has('arg_required')) {
        return { ok: false, unknown: false, message: `field '${def.name}' requires an argument, e.g. ${def.name}[${exampleArgument(def)}]` };
      }
      return { ok: true, field: { def, key: def.name } };
    }
    if (!takesArg) {
      return { ok: false, unknown: false, message: `field '${def.name}' does not take an argument` };
    }
    const indexOnly = def.flags.has('arg_index') && !def.flags.has('arg_key');
    const ancestorIndex = /^proc\.a(name|exe|exepath|cmdline|pid)$/.test(def.name);
    if ((indexOnly || ancestorIndex) && !NUMERIC_ARGUMENT.test(argument)) {
      return { ok: false, unknown: false, message: `the argument of '${def.name}' must be a number, found '${argument}'` };
    }
    return { ok: true, field: { def, arg: argument, key: `${def.name}[${argument}]` } };
  }

  /**
   * What libsinsp says of a field written with a bracketed argument that it refuses, where
   * kestrel's keys use that form for dotted arguments too (`evt.arg.fd` is `evt.arg[fd]`): so
   * this is checked on what a condition or an output wrote, not in resolve. evt.arg takes an
   * index read with sscanf; evt.rawarg takes a name only; evt.type.is an event name after a dot.
   */
  static writtenArgumentProblem(name: string, arg: string | undefined): string | undefined {
    if (arg === undefined) return undefined;
    if (name === 'evt.rawarg') return 'evt.arg fields must be expressed explicitly';
    if (name === 'evt.arg' && !SSCANF_INTEGER.test(arg)) return `${arg} is not a valid number`;
    if (name === 'evt.type.is') return `filter syntax error: ${name}[${arg}]`;
    return undefined;
  }

  /**
   * A field as libsinsp's parser spells it: an argument after a dot for the fields that name
   * one that way (`evt.arg.flags`, `evt.type.is.open`), in brackets otherwise (`proc.aname[2]`,
   * `evt.arg[0]`). Keys always use brackets; sysdig formats and conversions need this form.
   */
  static spelling(name: string, arg: string | undefined): string {
    if (arg === undefined) return name;
    return DOTTED_ARGUMENT_FIELDS.has(name) && !/^[0-9]+$/.test(arg) ? `${name}.${arg}` : `${name}[${arg}]`;
  }

  /** `evt.arg.flags` → evt.arg with argument `flags`. */
  private dottedArgument(name: string): { def: FieldDef; arg: string } | undefined {
    for (const base of DOTTED_ARGUMENT_FIELDS) {
      if (name.startsWith(`${base}.`) && name.length > base.length + 1) {
        const def = this.byName.get(base);
        if (def) return { def, arg: name.slice(base.length + 1) };
      }
    }
    return undefined;
  }
}

let defaultCatalogue: FieldCatalogue | undefined;

function exampleArgument(def: FieldDef): string {
  if (def.name.startsWith('container.mount')) return '/var/run/docker.sock';
  if (def.flags.has('arg_key')) return 'app';
  if (def.name === 'evt.arg' || def.name === 'evt.rawarg') return 'fd';
  return '1';
}

/** The numeric field types: compared as numbers, written as numbers in captures. */
export const NUMERIC_TYPES: readonly FieldType[] = ['int16', 'int32', 'int64', 'uint32', 'uint64', 'double', 'reltime', 'abstime', 'port'];

export function isNumericType(type: FieldType): boolean {
  return NUMERIC_TYPES.includes(type);
}

/**
 * The ancestry fields (`proc.aname[N]`: N-th ancestor, 0 the process itself), with the
 * field for the process itself and for its parent.
 */
export const ANCESTRY_FIELDS: Readonly<Record<string, { self: string; parent: string }>> = {
  'proc.aname': { self: 'proc.name', parent: 'proc.pname' },
  'proc.aexe': { self: 'proc.exe', parent: 'proc.pexe' },
  'proc.aexepath': { self: 'proc.exepath', parent: 'proc.pexepath' },
  'proc.acmdline': { self: 'proc.cmdline', parent: 'proc.pcmdline' },
  'proc.apid': { self: 'proc.pid', parent: 'proc.ppid' },
};
