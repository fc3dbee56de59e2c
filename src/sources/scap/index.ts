/**
 * Reading scap captures (the savefile format of falcosecurity/libs): the public surface for
 * the commands and the state engine. See docs/scap.md.
 */

export { formatScapError, type ScapErrorCode, type ScapReadError } from './errors.js';
export type { ScapEvent } from './event.js';
export { fixSocketsComingFromProc, type InterfaceInfo, type MachineInfo, type MetadataHandler } from './metadata.js';
export { ScapReader, type ScapReaderOptions, type ScapReaderStats, STEP_END, STEP_ERROR, STEP_EVENT, STEP_NEED_MORE, type Step } from './reader.js';
export { type FdRef, paramIndex, type RenderContext, type Rendered, renderArg, renderArgs, renderParam, renderRawArg } from './render.js';
export { type EventCallback, readScap, readScapBytes, type ScapReadResult, type ScapSource } from './stream.js';
export { EVENTS, type EventInfo, type ParamInfo, PPM_EVENT_MAX } from './tables.js';
