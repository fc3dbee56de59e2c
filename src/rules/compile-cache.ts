/**
 * What the compiles of one load share. Falco recompiles everything collected so far after
 * each file, and most of it is unchanged since the previous compile, so each piece of work
 * is done once per distinct input: parsing a text from a given place, expanding macros in
 * a tree when the macros it meets are the same trees, checking an expanded condition,
 * parsing an output. Every cached value is a pure function of what it is keyed or
 * validated by, and trees are never mutated, so the compiles' results are unchanged.
 */
import type { FieldCatalogue } from '../fields/catalogue.js';
import { type Expr, type FieldExpr, type Node, visit } from '../parser/index.js';
import { type ConditionProblem, ConditionValidator, type ConditionWarning } from './condition-validator.js';
import type { Location } from './diagnostics.js';
import { conditionEventTypes, type EventTypeSet } from './evttypes.js';
import { type MacroResolution, resolveMacros } from './macros.js';
import type { TextSegment } from './model.js';
import { type ParsedFormat, parseFormat } from './output-format.js';
import type { OffsetMap } from './positions.js';

/** Where a parsed text came from: its segments, the rewrites made to it, a prefix added before it. */
export interface TextRecord {
  segments: TextSegment[];
  offsets: OffsetMap;
  context: Location[];
  prefix: number;
}

/** What the compiler needs to know about an expanded condition. */
export interface ConditionFacts {
  problems: readonly ConditionProblem[];
  warnings: readonly ConditionWarning[];
  /** Fields read, canonical spelling, in first-use order. */
  fields: readonly string[];
  eventTypes: EventTypeSet;
  /** The first use of each deprecated field, in tree order. */
  deprecated: readonly FieldExpr[];
}

/** What the compiler needs to know about an output. */
export interface OutputFacts {
  format: ParsedFormat;
  /** The fields printed, in order. */
  fields: readonly string[];
  /** The deprecated fields the output mentions. */
  deprecated: readonly string[];
}

/** An expansion and the macro trees it looked up (undefined: no such visible macro). */
interface Expansion {
  lookedUp: Map<string, Expr | undefined>;
  resolution: MacroResolution;
}

export class CompileCache {
  /** Trees by a key naming the text and where it was written (see RuleCompiler.parse). */
  private readonly trees = new Map<string, Expr>();
  /** Where each node of a parsed tree was written. */
  private readonly origins = new Map<Node, TextRecord>();
  private readonly expansions = new WeakMap<Expr, Expansion>();
  private readonly facts = new WeakMap<Expr, ConditionFacts>();
  private readonly outputs = new Map<string, OutputFacts>();

  constructor(
    private readonly catalogue: FieldCatalogue,
    private readonly deprecatedFields: readonly string[],
  ) {}

  /** The tree parsed for `key`, parsing it (and recording its nodes' origin) the first time. */
  tree(key: string, record: TextRecord, parse: () => Expr): Expr {
    let ast = this.trees.get(key);
    if (!ast) {
      ast = parse();
      // A copy: later appends extend the collector's segment arrays in place.
      const own = { ...record, segments: [...record.segments] };
      visit(ast, {
        enter: (node) => {
          this.origins.set(node, own);
        },
      });
      this.trees.set(key, ast);
    }
    return ast;
  }

  origin(node: Node): TextRecord | undefined {
    return this.origins.get(node);
  }

  /** resolveMacros, reused while every macro name it looked up still yields the same tree. */
  expand(ast: Expr, lookup: (name: string) => Expr | undefined): MacroResolution {
    const cached = this.expansions.get(ast);
    if (cached && [...cached.lookedUp].every(([name, tree]) => lookup(name) === tree)) return cached.resolution;
    const lookedUp = new Map<string, Expr | undefined>();
    const resolution = resolveMacros(ast, (name) => {
      const tree = lookup(name);
      lookedUp.set(name, tree);
      return tree;
    });
    this.expansions.set(ast, { lookedUp, resolution });
    return resolution;
  }

  conditionFacts(condition: Expr): ConditionFacts {
    let facts = this.facts.get(condition);
    if (!facts) {
      const validator = new ConditionValidator(this.catalogue);
      validator.validate(condition);
      facts = {
        problems: validator.problems,
        warnings: validator.warnings,
        fields: validator.fields,
        eventTypes: conditionEventTypes(condition),
        deprecated: this.deprecatedUses(condition),
      };
      this.facts.set(condition, facts);
    }
    return facts;
  }

  /** Throws parseFormat's FormatError; only successes are kept. */
  outputFacts(output: string): OutputFacts {
    let facts = this.outputs.get(output);
    if (!facts) {
      const format = parseFormat(output, this.catalogue);
      facts = {
        format,
        fields: format.tokens.flatMap((t) => (t.kind === 'field' ? [t.text] : [])),
        deprecated: this.deprecatedFields.filter((field) => output.includes(field)),
      };
      this.outputs.set(output, facts);
    }
    return facts;
  }

  private deprecatedUses(condition: Expr): FieldExpr[] {
    const seen = new Set<string>();
    const uses: FieldExpr[] = [];
    visit(condition, {
      enter: (node) => {
        if (node.kind === 'field' && this.deprecatedFields.includes(node.name) && !seen.has(node.name)) {
          seen.add(node.name);
          uses.push(node);
        }
      },
    });
    return uses;
  }
}
