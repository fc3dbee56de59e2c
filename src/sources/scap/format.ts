/**
 * Facts of the scap savefile format (falcosecurity/libs userspace/libscap/scap_savefile.h and
 * engine/savefile/scap_savefile.c). See docs/scap.md.
 */

/** Section header block type (`\n\r\r\n`, the same in both byte orders). */
export const SHB_BLOCK_TYPE = 0x0a0d0d0a;
/** Section header magic, as read in the capture's byte order when it matches ours. */
export const SHB_MAGIC = 0x1a2b3c4d;
/** The same magic read from a capture written in the other byte order. */
export const SHB_MAGIC_SWAPPED = 0x4d3c2b1a;
/** The newest major version of the format libscap reads. */
export const CURRENT_MAJOR_VERSION = 1;

export const MI_BLOCK_TYPE = 0x201;
export const MI_BLOCK_TYPE_INT = 0x8002abcd;

export const PL_BLOCK_TYPE_V1 = 0x202;
export const PL_BLOCK_TYPE_V1_INT = 0x8000abcd;
export const PL_BLOCK_TYPE_V2 = 0x207;
export const PL_BLOCK_TYPE_V2_INT = 0x8013abcd;
export const PL_BLOCK_TYPE_V3 = 0x209;
export const PL_BLOCK_TYPE_V3_INT = 0x8014abcd;
export const PL_BLOCK_TYPE_V4 = 0x210;
export const PL_BLOCK_TYPE_V5 = 0x211;
export const PL_BLOCK_TYPE_V6 = 0x212;
export const PL_BLOCK_TYPE_V7 = 0x213;
export const PL_BLOCK_TYPE_V8 = 0x214;
export const PL_BLOCK_TYPE_V9 = 0x215;

export const FDL_BLOCK_TYPE = 0x203;
export const FDL_BLOCK_TYPE_INT = 0x8001abcd;
export const FDL_BLOCK_TYPE_V2 = 0x218;

export const EV_BLOCK_TYPE = 0x204;
export const EV_BLOCK_TYPE_INT = 0x8010abcd;
export const EV_BLOCK_TYPE_V2 = 0x216;
export const EV_BLOCK_TYPE_V2_LARGE = 0x221;
export const EVF_BLOCK_TYPE = 0x208;
export const EVF_BLOCK_TYPE_V2 = 0x217;
export const EVF_BLOCK_TYPE_V2_LARGE = 0x222;

export const IL_BLOCK_TYPE = 0x205;
export const IL_BLOCK_TYPE_INT = 0x8011abcd;
export const IL_BLOCK_TYPE_V2 = 0x219;

export const UL_BLOCK_TYPE = 0x206;
export const UL_BLOCK_TYPE_INT = 0x8012abcd;
export const UL_BLOCK_TYPE_V2 = 0x220;

/** Block header (type, total length) and trailer (total length again). */
export const BLOCK_HEADER_SIZE = 8;
export const BLOCK_TRAILER_SIZE = 4;
/** Section header body: magic u32, major u16, minor u16, section length u64. */
export const SHB_BODY_SIZE = 16;

/** Event header: ts u64, tid u64, len u32, type u16, then (V2 blocks) nparams u32. */
export const EVT_HEADER_SIZE_V1 = 22;
export const EVT_HEADER_SIZE_V2 = 26;
/** libscap's read buffer for non-LARGE event blocks (block length minus the block header). */
export const READER_BUF_SIZE = 1 << 16;

/** The kind of a block type, or undefined for a type libscap does not know. */
export type BlockKind = 'section' | 'machine' | 'proclist' | 'fdlist' | 'event' | 'iflist' | 'userlist';

export function blockKind(type: number): BlockKind | undefined {
  switch (type) {
    case SHB_BLOCK_TYPE:
      return 'section';
    case MI_BLOCK_TYPE:
    case MI_BLOCK_TYPE_INT:
      return 'machine';
    case PL_BLOCK_TYPE_V1:
    case PL_BLOCK_TYPE_V1_INT:
    case PL_BLOCK_TYPE_V2:
    case PL_BLOCK_TYPE_V2_INT:
    case PL_BLOCK_TYPE_V3:
    case PL_BLOCK_TYPE_V3_INT:
    case PL_BLOCK_TYPE_V4:
    case PL_BLOCK_TYPE_V5:
    case PL_BLOCK_TYPE_V6:
    case PL_BLOCK_TYPE_V7:
    case PL_BLOCK_TYPE_V8:
    case PL_BLOCK_TYPE_V9:
      return 'proclist';
    case FDL_BLOCK_TYPE:
    case FDL_BLOCK_TYPE_INT:
    case FDL_BLOCK_TYPE_V2:
      return 'fdlist';
    case EV_BLOCK_TYPE:
    case EV_BLOCK_TYPE_INT:
    case EV_BLOCK_TYPE_V2:
    case EV_BLOCK_TYPE_V2_LARGE:
    case EVF_BLOCK_TYPE:
    case EVF_BLOCK_TYPE_V2:
    case EVF_BLOCK_TYPE_V2_LARGE:
      return 'event';
    case IL_BLOCK_TYPE:
    case IL_BLOCK_TYPE_INT:
    case IL_BLOCK_TYPE_V2:
      return 'iflist';
    case UL_BLOCK_TYPE:
    case UL_BLOCK_TYPE_INT:
    case UL_BLOCK_TYPE_V2:
      return 'userlist';
    default:
      return undefined;
  }
}

/** Event blocks whose events carry nparams in their header. */
export function isV2EventBlock(type: number): boolean {
  return type === EV_BLOCK_TYPE_V2 || type === EV_BLOCK_TYPE_V2_LARGE || type === EVF_BLOCK_TYPE_V2 || type === EVF_BLOCK_TYPE_V2_LARGE;
}

/** Event blocks with 32 bits of flags between the CPU id and the event. */
export function hasEventFlags(type: number): boolean {
  return type === EVF_BLOCK_TYPE || type === EVF_BLOCK_TYPE_V2 || type === EVF_BLOCK_TYPE_V2_LARGE;
}

export function isLargeEventBlock(type: number): boolean {
  return type === EV_BLOCK_TYPE_V2_LARGE || type === EVF_BLOCK_TYPE_V2_LARGE;
}
