/**
 * Loading rules files as Falco does: each file is read into one shared collector, then
 * everything collected so far is compiled; each file gets its own result (errors and
 * warnings), and a file's first error stops loading.
 */
import { readFileSync } from 'node:fs';
import { FieldCatalogue } from '../fields/catalogue.js';
import { Collector } from './collector.js';
import { CompileCache } from './compile-cache.js';
import { DEPRECATED_FIELDS, RuleCompiler } from './compiler.js';
import { type Diagnostic, type FileLoadResult, LoadError } from './diagnostics.js';
import { expandRulesPaths } from './files.js';
import type { CompileOutput } from './model.js';
import { RulesFileReader } from './reader.js';
import type { Semver } from './semver.js';
import { positionAt, readYaml } from './yaml-source.js';

export interface LoadOptions {
  cwd?: string;
  catalogue?: FieldCatalogue;
  /** Append the container plugin's suggested fields to outputs, as Falco does by default (true). */
  suggestedOutput?: boolean;
}

export interface RulesContent {
  name: string;
  text: string;
}

export interface LoadedRules {
  results: FileLoadResult[];
  /** Every file loaded without error. */
  successful: boolean;
  /** The compiled rule set after the last successful file; undefined if none compiled. */
  output?: CompileOutput;
  /** File name → content, for code frames. */
  contents: Map<string, string>;
  /** The highest required_engine_version seen. */
  requiredEngineVersion: Semver;
}

/** Loads rules from paths (files, directories, globs). Never throws for bad input. */
export function loadRulesFiles(paths: string[], options: LoadOptions = {}): LoadedRules {
  const contents: RulesContent[] = [];
  const readFailures: FileLoadResult[] = [];
  for (const entry of expandRulesPaths(paths, options.cwd ?? process.cwd())) {
    if ('missing' in entry) {
      readFailures.push(fileReadFailure(entry.missing, `Could not open file ${entry.missing} for reading`, 'no such file or directory'));
      continue;
    }
    if ('empty' in entry) {
      readFailures.push(
        entry.kind === 'directory'
          ? fileReadFailure(
              entry.empty,
              `No rules file found in directory ${entry.empty}`,
              'Falco reads the files of a rules directory whose names end in .yaml or .yml',
            )
          : fileReadFailure(entry.empty, `No rules file matches ${entry.empty}`),
      );
      continue;
    }
    try {
      contents.push({ name: entry.file, text: readFileSync(entry.file, 'utf8') });
    } catch (error) {
      readFailures.push(fileReadFailure(entry.file, `Could not open file ${entry.file} for reading`, (error as Error).message));
    }
  }
  const loaded = loadRulesContents(contents, options);
  loaded.results.unshift(...readFailures);
  loaded.successful &&= readFailures.length === 0;
  return loaded;
}

/** Loads rules given as text (name is used in positions). */
export function loadRulesContents(files: RulesContent[], options: LoadOptions = {}): LoadedRules {
  const catalogue = options.catalogue ?? FieldCatalogue.syscall();
  const collector = new Collector(catalogue);
  // Each file's compile recompiles everything collected so far: they share what is unchanged.
  const cache = new CompileCache(catalogue, DEPRECATED_FIELDS);
  const results: FileLoadResult[] = [];
  const contents = new Map<string, string>();
  let output: CompileOutput | undefined;
  for (const file of files) {
    contents.set(file.name, file.text);
    const result: FileLoadResult = { name: file.name, successful: true, errors: [], warnings: [] };
    results.push(result);
    const { source, error } = readYaml(file.name, file.text);
    if (error) {
      result.errors.push({
        severity: 'error',
        code: 'LOAD_ERR_YAML_PARSE',
        message: error.message,
        locations: [{ itemType: 'rules content', itemName: '', position: positionAt(source, error.offset) }],
      });
      result.successful = false;
      continue;
    }
    const reader = new RulesFileReader(source, collector);
    const readError = reader.read();
    result.warnings.push(...reader.warnings);
    if (readError) {
      result.errors.push(readError);
      result.successful = false;
      continue;
    }
    const compiler = new RuleCompiler(collector, catalogue, { suggestedOutput: options.suggestedOutput ?? true }, cache);
    try {
      output = compiler.compile();
    } catch (error) {
      if (!(error instanceof LoadError)) throw error;
      result.errors.push(error.toDiagnostic());
      result.successful = false;
    }
    result.warnings.push(...compiler.warnings);
  }
  const successful = results.every((r) => r.successful);
  const requiredEngineVersion = collector.requiredEngineVersion;
  return successful && output ? { results, successful, output, contents, requiredEngineVersion } : { results, successful, contents, requiredEngineVersion };
}

/** A path that gave no rules file: Falco's message where it has one (app/actions/helpers.h read_files). */
function fileReadFailure(name: string, message: string, hint?: string): FileLoadResult {
  const error: Diagnostic = {
    severity: 'error',
    code: 'LOAD_ERR_FILE_READ',
    message,
    locations: [{ itemType: 'rules content', itemName: '', position: { name, line: 1, column: 1, offset: 0 } }],
  };
  if (hint) error.hint = hint;
  return { name, successful: false, errors: [error], warnings: [] };
}
