/** The scap state engine and the model it writes (see docs/scap-state.md). */
export { ScapStateEngine, MAX_FD_TABLE_SIZE, type EngineOptions, type Seed, type SeedThread } from './engine.js';
export { newFd, cloneFd } from './fd-flags.js';
export { newThread, DEFAULT_MAX_THREADS, DEFAULT_PURGE_INTERVAL_NS, DEFAULT_THREAD_TIMEOUT_NS } from './threads.js';
export { matchCgroup, containerFromJson } from './containers.js';
export { concatenatePaths } from './paths.js';
export type * from './model.js';
