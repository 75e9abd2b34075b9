/** Identifies an evidence file by its first bytes (magic numbers), whatever its Content-Type header claims. */
import type { EvidenceType } from '../../contract/log.js';

const startsWith = (data: Buffer, bytes: number[], offset = 0) =>
  data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);

/** The allowed type these bytes are, or null for anything else. */
export function sniffEvidenceType(data: Buffer): EvidenceType | null {
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(data, [0x4f, 0x67, 0x67, 0x53])) return 'audio/ogg'; // OggS
  // EBML header whose DocType is "webm" (Matroska files say "matroska").
  if (startsWith(data, [0x1a, 0x45, 0xdf, 0xa3]) && data.subarray(0, 64).includes('webm', 0, 'latin1')) return 'audio/webm';
  // ISO base media: a box of type `ftyp` at offset 4.
  if (startsWith(data, [0x66, 0x74, 0x79, 0x70], 4)) return 'audio/mp4';
  return null;
}
