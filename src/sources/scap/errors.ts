/**
 * Errors of the scap reader: values, never exceptions. Each names the byte offset (in the
 * uncompressed stream) of the block or field at fault.
 */
export type ScapErrorCode =
  | 'SCAP_BAD_MAGIC' // not a scap capture, or written in the other byte order
  | 'SCAP_VERSION' // a major version newer than the format kestrel reads
  | 'SCAP_TRUNCATED' // the input ends inside a block
  | 'SCAP_BAD_BLOCK_LENGTH' // a block length too short, too long, or not matching its trailer
  | 'SCAP_BAD_BLOCK' // the content of a metadata block overruns it or is inconsistent
  | 'SCAP_BAD_EVENT' // an event whose length or parameter lengths do not fit
  | 'SCAP_UNEXPECTED_BLOCK' // a non-event block among events (other than a new section)
  | 'SCAP_NO_EVENTS' // the capture ends before its first event block
  | 'SCAP_CONVERSION' // libscap's converter would refuse this event
  | 'SCAP_IO'; // the file or stream could not be read (including bad gzip data)

export interface ScapReadError {
  readonly code: ScapErrorCode;
  /** What went wrong and, where it helps, what to do. */
  readonly message: string;
  /** Byte offset in the uncompressed capture. */
  readonly offset: number;
  /** The capture's file name, when reading a file. */
  readonly file: string | undefined;
}

export function scapError(code: ScapErrorCode, message: string, offset: number, file: string | undefined): ScapReadError {
  return { code, message, offset, file };
}

/** `FILE: byte N: message (CODE)`, the form the CLI prints. */
export function formatScapError(e: ScapReadError): string {
  return `${e.file ?? '<stream>'}: byte ${e.offset}: ${e.message} (${e.code})`;
}
