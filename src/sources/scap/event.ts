/**
 * One syscall event of a scap capture, as the reader hands it to the state engine and the
 * field extractors. The reader reuses one object per stream (nothing is allocated per event
 * unless a consumer asks for a value that needs it): a consumer must copy what it keeps.
 *
 * Parameters stay as bytes until something asks for them (lazy decoding): the accessors
 * below decode one parameter at a time, in the byte order of the capture.
 */
export interface ScapEvent {
  /** 1-based position of the event in the capture (libsinsp's `evt.num`). */
  readonly num: number;
  /** The PPME event code (index into the event table). */
  readonly type: number;
  /** The thread that produced the event (libsinsp's `evt.tid`, the kernel's thread id). */
  readonly tid: number;
  /** CPU that produced the event. */
  readonly cpu: number;
  /** EVF flags of the event block (0 for blocks without flags). */
  readonly flags: number;
  /** Timestamp in nanoseconds since the epoch (exact: a 64-bit value). */
  ts(): bigint;
  /** Number of parameters present in this event (older layouts may have fewer than the table). */
  readonly paramCount: number;
  /** Length in bytes of parameter `i` (0 for an empty parameter). */
  paramLength(i: number): number;
  /** The raw bytes of parameter `i` (a view into the reader's buffer: copy to keep). */
  paramBytes(i: number): Uint8Array;
  /** Parameter `i` as an unsigned integer of its width (1, 2, 4 or 8 bytes); 64-bit values above 2^53 lose precision: use paramBigInt. */
  paramUint(i: number): number;
  /** Parameter `i` as a signed integer of its width (same caveat as paramUint). */
  paramInt(i: number): number;
  /** Parameter `i` as an exact 64-bit value, signed if `signed`. */
  paramBigInt(i: number, signed?: boolean): bigint;
  /** Parameter `i` as text (UTF-8, without its terminating NUL). */
  paramString(i: number): string;
}
