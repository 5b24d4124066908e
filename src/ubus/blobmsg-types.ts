// blobmsg types and the two shapes data takes here: plain JS values, and typed entries that
// keep what JS values lose (INT8 vs bool, INT16, names inside arrays, duplicate keys).

export const BlobmsgType = {
  UNSPEC: 0,
  ARRAY: 1,
  TABLE: 2,
  STRING: 3,
  INT64: 4,
  INT32: 5,
  INT16: 6,
  INT8: 7,
  DOUBLE: 8,
} as const;
export type BlobmsgType = (typeof BlobmsgType)[keyof typeof BlobmsgType];
export const BLOBMSG_TYPE_LAST = BlobmsgType.DOUBLE;

/** What blobmsg data decodes to. INT64 outside the safe integer range is a bigint. */
export type BlobmsgValue = null | boolean | number | bigint | string | BlobmsgValue[] | BlobmsgTable;
export interface BlobmsgTable {
  [key: string]: BlobmsgValue;
}

/** One blobmsg element with its exact type. A table's children are in wire order, duplicates kept. */
export type BlobmsgEntry =
  | { type: typeof BlobmsgType.UNSPEC; name: string }
  | { type: typeof BlobmsgType.ARRAY | typeof BlobmsgType.TABLE; name: string; children: BlobmsgEntry[] }
  | { type: typeof BlobmsgType.STRING; name: string; value: string }
  | { type: typeof BlobmsgType.INT64; name: string; value: bigint }
  | {
      type: typeof BlobmsgType.INT32 | typeof BlobmsgType.INT16 | typeof BlobmsgType.INT8 | typeof BlobmsgType.DOUBLE;
      name: string;
      value: number;
    };
