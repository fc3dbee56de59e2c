/**
 * The transformers of the condition and output languages (`tolower(proc.name)`,
 * `join(",", proc.args)`, `val(proc.pname)`), one entry each: the type of what it yields and
 * how it computes it from its arguments' values. The parser's word list, the loader's type
 * checks, the output format reader and the check planner all read this table.
 */
import type { FieldType } from '../fields/catalogue.js';
import type { FieldValue } from '../fields/source.js';
import { asciiLower, asciiUpper } from './ascii-case.js';
import { asString } from './values.js';

/** A transformer argument as the planner compiles it: how to read it, and what it yields. */
export interface TransformerInput<E> {
  read: (event: E) => FieldValue;
  type: FieldType;
  isList: boolean;
}

export interface TransformerSpec {
  /**
   * `transformer` may stand anywhere a field does; `reference` (`val`) only on the
   * right-hand side of a comparison, naming another field of the same event.
   */
  readonly kind: 'transformer' | 'reference';
  /** What it yields: its first argument's type, or a fixed type. */
  readonly output: FieldType | 'input';
  /** The read of its value from its arguments' reads; `arg` is the `[arg]` after it (getopt). */
  build<E>(args: TransformerInput<E>[], arg: string | undefined): TransformerInput<E>;
}

function mapStrings(v: FieldValue, f: (s: string) => string): FieldValue {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => f(asString(x) ?? ''));
  const s = asString(v);
  return s === undefined ? undefined : f(s);
}

/** A multi-valued argument read as one string: its values joined by blanks. */
function scalarString(v: FieldValue): string | undefined {
  return Array.isArray(v) ? v.map((x) => asString(x) ?? '').join(' ') : asString(v);
}

/**
 * b64 of every value; libsinsp's decoder (decodeWithoutPadding) fails on anything but the
 * standard alphabet with at most two trailing `=`, and one failure makes the value NA.
 */
function decodeAll(v: FieldValue): FieldValue {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return base64(asString(v));
  const out: string[] = [];
  for (const x of v) {
    const d = base64(asString(x));
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out;
}

const BASE64_BODY = /^[A-Za-z0-9+/]*$/;

function base64(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const body = s.endsWith('==') ? s.slice(0, -2) : s.endsWith('=') ? s.slice(0, -1) : s;
  if (body.length % 4 === 1 || !BASE64_BODY.test(body)) return undefined;
  // The decoded bytes as UTF-8 text, byte for byte what constants (UTF-8 in rules files) are compared with.
  return Buffer.from(body, 'base64').toString('utf8');
}

/** The value of option `-o` in a command line (`-o value` or `-ovalue`). */
function getopt(cmdline: string, option: string): string | undefined {
  const words = cmdline.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === `-${option}`) return words[i + 1] ?? '';
    if (w.startsWith(`-${option}`) && w.length > option.length + 1) return w.slice(option.length + 1);
  }
  return undefined;
}

/** A transformer that maps each string of its argument, keeping the argument's shape. */
function stringMap(output: FieldType | 'input', f: (s: string) => string): TransformerSpec {
  return {
    kind: 'transformer',
    output,
    build: ([first]) => ({
      read: (e) => mapStrings(first!.read(e), f),
      type: output === 'input' ? first!.type : output,
      isList: first!.isList,
    }),
  };
}

/**
 * len() of text: the bytes of its UTF-8 form (libsinsp's strnlen; text read from a capture ends
 * at its first NUL already, and a JSONL value with one inside is compared whole everywhere).
 */
function textLength(v: FieldValue): number {
  return Buffer.byteLength(asString(v) ?? '', 'utf8');
}

/** len() of a byte buffer (held as Latin-1 text, a character a byte): all its bytes. */
function bufferLength(v: FieldValue): number {
  return (asString(v) ?? '').length;
}

export const TRANSFORMERS = {
  tolower: stringMap('input', asciiLower),
  toupper: stringMap('input', asciiUpper),
  // libsinsp's decoder fails on anything but the standard alphabet (one failure: NA); b64 yields its input's type.
  b64: {
    kind: 'transformer',
    output: 'input',
    build: ([first]) => ({ read: (e) => decodeAll(first!.read(e)), type: first!.type, isList: first!.isList }),
  },
  basename: stringMap('input', (s) => s.slice(s.lastIndexOf('/') + 1)),
  len: {
    kind: 'transformer',
    output: 'int64',
    build: ([first]) => ({
      read: (e) => {
        const v = first!.read(e);
        if (v === undefined) return undefined;
        const length = first!.type === 'bytebuf' ? bufferLength : textLength;
        // A list field's length is its number of values; several values of another field each have theirs.
        if (Array.isArray(v)) return first!.isList ? v.length : v.map(length);
        return length(v);
      },
      type: 'int64',
      isList: false,
    }),
  },
  join: {
    kind: 'transformer',
    output: 'charbuf',
    build: ([separator, list]) => ({
      read: (e) => {
        const sep = scalarString(separator!.read(e)) ?? '';
        const v = list?.read(e);
        if (v === undefined) return undefined;
        return Array.isArray(v) ? v.map((x) => asString(x) ?? '').join(sep) : asString(v);
      },
      type: 'charbuf',
      isList: false,
    }),
  },
  concat: {
    kind: 'transformer',
    output: 'charbuf',
    build: (args) => ({
      read: (e) => {
        let out = '';
        for (const a of args) {
          const s = scalarString(a.read(e));
          if (s === undefined) return undefined;
          out += s;
        }
        return out;
      },
      type: 'charbuf',
      isList: false,
    }),
  },
  getopt: {
    kind: 'transformer',
    output: 'charbuf',
    build: ([first], option) => ({
      read: (e) => {
        const s = scalarString(first!.read(e));
        return s === undefined || option === undefined ? undefined : getopt(s, option);
      },
      type: 'charbuf',
      isList: false,
    }),
  },
  val: { kind: 'reference', output: 'input', build: ([first]) => first! },
} as const satisfies Record<string, TransformerSpec>;

export type TransformerName = keyof typeof TRANSFORMERS;
type NamesOfKind<K> = { [N in TransformerName]: (typeof TRANSFORMERS)[N]['kind'] extends K ? N : never }[TransformerName];
export type FieldTransformerName = NamesOfKind<'transformer'>;

/** The transformers that may stand where a field does (all but `val`), in table order. */
export const FIELD_TRANSFORMERS = (Object.keys(TRANSFORMERS) as TransformerName[]).filter(
  (n) => TRANSFORMERS[n].kind === 'transformer',
) as FieldTransformerName[];

/** Every transformer name, `val` included. */
export const TRANSFORMER_NAMES: readonly TransformerName[] = Object.keys(TRANSFORMERS) as TransformerName[];

export function transformerSpec(name: string): TransformerSpec | undefined {
  return Object.hasOwn(TRANSFORMERS, name) ? TRANSFORMERS[name as TransformerName] : undefined;
}

/** `name(`, for any transformer name: what a value or output token starting a transformer looks like. */
export const TRANSFORMER_CALL_PREFIX = new RegExp(`^(${TRANSFORMER_NAMES.join('|')})\\(`);
