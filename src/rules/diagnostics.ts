/**
 * Load diagnostics with Falco's codes. Each carries the chain of locations Falco reports
 * (the item, then the key or token inside it), each with file, line, column and offset.
 * Lines and columns are 1-based.
 */

/** Error codes and Falco's short description of each (`codedesc`). */
export const LOAD_ERRORS = {
  LOAD_ERR_FILE_READ: 'File read error',
  LOAD_ERR_YAML_PARSE: 'YAML parse error',
  LOAD_ERR_YAML_VALIDATE: 'Error validating internal structure of YAML file',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item',
} as const;

/** Warning codes and Falco's short description of each (`codedesc`). */
export const LOAD_WARNINGS = {
  LOAD_UNKNOWN_SOURCE: 'Unknown event source',
  LOAD_UNSAFE_NA_CHECK: 'Unsafe <NA> comparison in condition',
  LOAD_NO_EVTTYPE: 'Condition has no event-type restriction',
  LOAD_UNKNOWN_FILTER: 'Unknown field or event-type in condition or output',
  LOAD_UNUSED_MACRO: 'Unused macro',
  LOAD_UNUSED_LIST: 'Unused list',
  LOAD_UNKNOWN_ITEM: 'Unknown rules file item',
  LOAD_DEPRECATED_ITEM: 'Used deprecated item',
  LOAD_WARNING_EXTENSION: 'Warning in extension item',
  LOAD_APPEND_NO_VALUES: 'Overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'Multiple exceptions defined with the same name',
  LOAD_INVALID_MACRO_NAME: 'Invalid macro name',
  LOAD_INVALID_LIST_NAME: 'Invalid list name',
  LOAD_COMPILE_CONDITION: 'Warning in rule condition',
  LOAD_UNKNOWN_KEY: 'Unknown key in item definition',
} as const;

export type LoadErrorCode = keyof typeof LOAD_ERRORS;
export type LoadWarningCode = keyof typeof LOAD_WARNINGS;

/** What a location points at, with Falco's names for them. */
export type ItemType =
  | 'value for'
  | 'exceptions'
  | 'exception'
  | 'exception values'
  | 'exception value'
  | 'rules content'
  | 'rules content item'
  | 'required_engine_version'
  | 'required plugin versions'
  | 'required plugin versions entry'
  | 'required plugin versions alternative'
  | 'list'
  | 'list item'
  | 'macro'
  | 'macro condition'
  | 'rule'
  | 'rule condition'
  | 'condition expression'
  | 'rule output'
  | 'rule output expression'
  | 'rule priority'
  | 'overrides';

export interface FilePosition {
  /** The rules file. */
  name: string;
  line: number;
  column: number;
  offset: number;
}

export interface Location {
  itemType: ItemType;
  itemName: string;
  position: FilePosition;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: LoadErrorCode | LoadWarningCode;
  /** Falco's (or libsinsp's) message, word for word where it has one. */
  message: string;
  /** Outermost first; the last location is the most precise. */
  locations: Location[];
  /** kestrel's explanation, printed after Falco's message (never in Falco's JSON). */
  hint?: string;
}

/** The outcome of loading one rules file, as Falco reports it per file. */
export interface FileLoadResult {
  name: string;
  successful: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function codeDescription(code: LoadErrorCode | LoadWarningCode): string {
  return (LOAD_ERRORS as Record<string, string>)[code] ?? (LOAD_WARNINGS as Record<string, string>)[code] ?? code;
}

/** The most precise position of a diagnostic. */
export function primaryPosition(d: Diagnostic): FilePosition {
  return d.locations[d.locations.length - 1]!.position;
}

/** A stop in loading one file: Falco stops at a file's first error. */
export class LoadError extends Error {
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly locations: Location[],
    readonly hint?: string,
  ) {
    super(message);
  }

  toDiagnostic(): Diagnostic {
    const d: Diagnostic = { severity: 'error', code: this.code, message: this.message, locations: this.locations };
    if (this.hint) d.hint = this.hint;
    return d;
  }
}
