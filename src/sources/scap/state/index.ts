/** The scap state engine and the model it writes (see docs/scap-state.md). */

export { containerFromJson, matchCgroup } from './containers.js';
export { type EngineOptions, MAX_FD_TABLE_SIZE, ScapStateEngine, type Seed, type SeedThread } from './engine.js';
export { cloneFd, newFd } from './fd-flags.js';
export type * from './model.js';
export { concatenatePaths } from './paths.js';
export { DEFAULT_MAX_THREADS, DEFAULT_PURGE_INTERVAL_NS, DEFAULT_THREAD_TIMEOUT_NS, newThread } from './threads.js';
