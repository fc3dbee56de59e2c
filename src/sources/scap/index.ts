/**
 * Reading scap captures (the savefile format of falcosecurity/libs): the public surface for
 * the commands and the state engine. See docs/scap.md.
 */
export type { ScapEvent } from './event.js';
export { ScapReader, STEP_END, STEP_ERROR, STEP_EVENT, STEP_NEED_MORE, type ScapReaderOptions, type ScapReaderStats, type Step } from './reader.js';
export { readScap, readScapBytes, type EventCallback, type ScapReadResult, type ScapSource } from './stream.js';
export { formatScapError, type ScapErrorCode, type ScapReadError } from './errors.js';
export { fixSocketsComingFromProc, type InterfaceInfo, type MachineInfo, type MetadataHandler } from './metadata.js';
export { paramIndex, renderArg, renderArgs, renderParam, renderRawArg, type FdRef, type RenderContext, type Rendered } from './render.js';
export { EVENTS, PPM_EVENT_MAX, type EventInfo, type ParamInfo } from './tables.js';
