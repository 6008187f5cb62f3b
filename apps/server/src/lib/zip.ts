import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { AppError, badRequest } from './errors.ts';

/** One member of a ZIP archive as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the member's compressed data in the archive. */
  dataOffset: number;
}

/** What an entry may inflate to before it is refused unread. */
export interface EntryLimits {
  /** Declared (and actual) uncompressed bytes at most. */
  maxBytes: number;
  /** Declared uncompressed ÷ compressed at most, checked once an entry is over 1 MiB. */
  maxRatio?: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;
const RATIO_FLOOR = 1024 * 1024;
/** Compressed bytes handed to zlib at a time: deflate expands at most ~1,032×, so one step inflates ≤ ~8 MiB. */
const FEED = 8 * 1024;

const broken = () => badRequest('The workbook cannot be read; save it again as .xlsx.');

/**
 * Read an archive's central directory without inflating anything. Refused (400): no directory,
 * ZIP64, encryption, methods other than stored/deflate, members that point outside the file.
 */
export function readZipDirectory(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken();
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
    throw badRequest('The workbook is a ZIP64 archive (over 4 GiB or 65,535 parts); that is not a spreadsheet to import.');
  if (count > MAX_ENTRIES) throw badRequest(`The workbook has more than ${MAX_ENTRIES} parts.`);
  if (offset + size > eocd) throw broken();
  const entries = new Map<string, ZipEntry>();
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw broken();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw badRequest('The workbook is password-protected; save it without a password.');
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || local === 0xffffffff)
      throw badRequest('The workbook is a ZIP64 archive (over 4 GiB or 65,535 parts); that is not a spreadsheet to import.');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw broken();
    const dataOffset = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (dataOffset + compressedSize > buf.length) throw broken();
    if (method !== 0 && method !== 8) throw broken();
    if (method === 0 && compressedSize !== uncompressedSize) throw broken();
    entries.set(name, { name, method, compressedSize, uncompressedSize, dataOffset });
  }
  return entries;
}

/** Refuse an entry whose declared size or compression ratio is over the limits, before inflating a byte. */
export function checkEntry(entry: ZipEntry, limits: EntryLimits): void {
  const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;
  if (entry.uncompressedSize > limits.maxBytes)
    throw badRequest(
      `The workbook part ${entry.name} unpacks to ${mib(entry.uncompressedSize)}, over the ${mib(limits.maxBytes)} allowed.`,
    );
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (limits.maxRatio && entry.uncompressedSize > RATIO_FLOOR && ratio > limits.maxRatio)
    throw badRequest(
      `The workbook part ${entry.name} is compressed ${Math.round(ratio)}:1 (more than ${limits.maxRatio}:1); that is a ZIP bomb, not a spreadsheet.`,
    );
}

/**
 * Inflate one entry as UTF-8 text, a chunk at a time, after `checkEntry`. Inflated bytes are
 * counted: an entry that inflates past its declared size (a lying header) is refused at that
 * moment, so nothing past the limits is ever held. Stopping the iteration stops the inflation.
 */
export async function* inflateText(buf: Buffer, entry: ZipEntry, limits: EntryLimits): AsyncGenerator<string> {
  checkEntry(entry, limits);
  const data = buf.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const decoder = new StringDecoder('utf8');
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += 64 * 1024) yield decoder.write(data.subarray(i, i + 64 * 1024));
    const tail = decoder.end();
    if (tail) yield tail;
    return;
  }
  const inflate = createInflateRaw();
  let feedError: unknown;
  const feed = async () => {
    for (let i = 0; i < data.length; i += FEED) {
      if (inflate.destroyed) return;
      if (!inflate.write(data.subarray(i, i + FEED)))
        await new Promise<void>((resolve) => {
          const done = () => {
            inflate.off('drain', done);
            inflate.off('close', done);
            resolve();
          };
          inflate.on('drain', done);
          inflate.on('close', done);
        });
    }
    inflate.end();
  };
  feed().catch((err) => {
    feedError = err;
  });
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > entry.uncompressedSize)
        throw badRequest(`The workbook part ${entry.name} unpacks to more than its header says.`);
      yield decoder.write(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw broken();
  } finally {
    inflate.destroy();
  }
  if (feedError || total !== entry.uncompressedSize) throw broken();
  const tail = decoder.end();
  if (tail) yield tail;
}
