/**
 * A fast look for damage in a SQLite file, for `debug health`: the 100-byte header, then a
 * bounded, evenly spaced sample of pages read straight from the file and checked against the
 * file format (https://www.sqlite.org/fileformat2.html): every b-tree page's header, cell
 * pointers, cells, child and overflow links and free blocks must be in range. SQLite's
 * `quick_check` reads every page (4.4 s on a 100,000-conversation store); this reads at most
 * `maxPages` (all of them in a file up to that size), so its cost does not grow with the store.
 *
 * It can only suspect: a page read while a checkpoint rewrites it, or a link to a page that
 * is still only in the write-ahead log, looks wrong for a moment. So a finding is a reason to
 * ask SQLite (`quick_check`), never a verdict of its own; a clean sample is not proof either
 * (`debug diagnose --test-database` checks everything).
 */

const MAGIC = "SQLite format 3\0";
/** Page types of b-tree pages: index interior, table interior, index leaf, table leaf. */
const INDEX_INTERIOR = 2;
const TABLE_INTERIOR = 5;
const INDEX_LEAF = 10;
const TABLE_LEAF = 13;
const MAX_FREELIST_TRUNKS = 100_000;

/** Options for {@link samplePages}. */
export interface PageSampleOptions {
  /** Pages read at most (evenly spaced; all of them in a smaller file). Default 8192. */
  maxPages?: number;
  /** Where in its stride the sample starts, in [0, 1) (a random one finds a wound between the
   * pages of another sample). Default 0. */
  offset?: number;
}

/** What {@link samplePages} found. */
export interface PageSample {
  pageSize: number;
  /** Pages in the file. */
  pageCount: number;
  /** Pages read and checked. */
  checked: number;
  /** One line per suspect page (or header problem), at most 20; empty when all looked sound. */
  problems: string[];
}

interface Layout {
  pageSize: number;
  usable: number;
  /** Highest page number a link may name (the file's pages plus those the WAL may add). */
  maxPage: number;
  lockBytePage: number;
  /** Pages that are free-list leaves (any content is valid there). */
  freeLeaves: Set<number>;
  /** First pointer-map page and the distance between them; 0 when the file has none. */
  ptrmapEvery: number;
}

/** Reads the header and a sample of pages of the SQLite file at `path`. */
export function samplePages(path: string, options: PageSampleOptions = {}): PageSample {
  const maxPages = Math.max(1, options.maxPages ?? 8192);
  using file = Deno.openSync(path, { read: true });
  const size = file.statSync().size;
  const header = readAt(file, 0, 100);
  const problems: string[] = [];
  const headerProblem = checkHeader(header, size);
  if (headerProblem !== null) {
    return { pageSize: 0, pageCount: 0, checked: 0, problems: [headerProblem] };
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const rawSize = view.getUint16(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  const pageCount = Math.floor(size / pageSize);
  const layout: Layout = {
    pageSize,
    usable: pageSize - header[20]!,
    maxPage: pageCount + walPages(path, pageSize),
    lockBytePage: Math.floor(1073741824 / pageSize) + 1,
    freeLeaves: new Set(),
    ptrmapEvery: view.getUint32(52) === 0 ? 0 : Math.floor((pageSize - header[20]!) / 5) + 1,
  };
  const free = readFreelist(file, view.getUint32(32), layout);
  if (free !== null) problems.push(free);
  const stride = pageCount <= maxPages ? 1 : pageCount / maxPages;
  const offset = Math.min(Math.max(options.offset ?? 0, 0), 0.999999);
  let checked = 0;
  for (let i = 0; i < Math.min(pageCount, maxPages); i++) {
    const pageNo = 1 + Math.floor((i + offset) * stride);
    if (pageNo > pageCount) break;
    if (skipped(pageNo, layout)) continue;
    const page = readAt(file, (pageNo - 1) * pageSize, pageSize);
    checked++;
    const problem = checkPage(page, pageNo, layout);
    if (problem !== null && problems.length < 20) problems.push(`page ${pageNo}: ${problem}`);
  }
  return { pageSize, pageCount, checked, problems };
}

function readAt(file: Deno.FsFile, offset: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  file.seekSync(offset, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = file.readSync(buffer.subarray(read));
    if (n === null) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

function walPages(path: string, pageSize: number): number {
  try {
    return Math.ceil(Deno.statSync(`${path}-wal`).size / (pageSize + 24));
  } catch {
    return 0;
  }
}

/** The header's own rules; null when they hold. */
export function checkHeader(header: Uint8Array, fileSize: number): string | null {
  if (header.length < 100 || new TextDecoder().decode(header.subarray(0, 16)) !== MAGIC) {
    return "the file does not start with the SQLite header";
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const raw = view.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    return `the header names an impossible page size (${raw})`;
  }
  if (pageSize - header[20]! < 480) return "the header reserves too much of each page";
  if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) {
    return "the header's payload fractions are not SQLite's fixed values";
  }
  if (fileSize % pageSize !== 0) {
    return `the file size (${fileSize} bytes) is not a whole number of ${pageSize}-byte pages`;
  }
  return null;
}

function skipped(pageNo: number, layout: Layout): boolean {
  if (pageNo === layout.lockBytePage || layout.freeLeaves.has(pageNo)) return true;
  if (layout.ptrmapEvery === 0 || pageNo < 2) return false;
  return (pageNo - 2) % layout.ptrmapEvery === 0;
}

/** Collects the free-list leaves (pages whose content means nothing); a problem or null. */
function readFreelist(file: Deno.FsFile, first: number, layout: Layout): string | null {
  let trunk = first;
  for (let n = 0; trunk !== 0 && n < MAX_FREELIST_TRUNKS; n++) {
    if (trunk < 2 || trunk > layout.maxPage) {
      return `free-list link to page ${trunk} is out of range`;
    }
    const page = readAt(file, (trunk - 1) * layout.pageSize, layout.pageSize);
    if (page.length < 8) return null; // the trunk is still only in the WAL
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    const leaves = view.getUint32(4);
    if (leaves > layout.usable / 4 - 2) return `free-list page ${trunk} claims ${leaves} leaves`;
    layout.freeLeaves.add(trunk); // a trunk's content is checked here, not as a b-tree page
    for (let i = 0; i < leaves; i++) layout.freeLeaves.add(view.getUint32(8 + 4 * i));
    trunk = view.getUint32(0);
  }
  return null;
}

/** One page against the format; null when it looks sound. */
export function checkPage(page: Uint8Array, pageNo: number, layout: Layout): string | null {
  if (page.length < layout.pageSize) return null; // past the end while the file grows
  const h = pageNo === 1 ? 100 : 0;
  const type = page[h]!;
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  if (type === INDEX_INTERIOR || type === TABLE_INTERIOR) return checkBtree(view, h, type, layout);
  if (type === INDEX_LEAF || type === TABLE_LEAF) return checkBtree(view, h, type, layout);
  if (pageNo === 1) return `the schema page has page type ${type}`;
  // The last page of an overflow chain may start with a zero link, but text never leaves a
  // whole page of zeros: a zeroed page is a page wiped or never written.
  if (page.every((byte) => byte === 0)) return "the page is all zeros";
  // Not a b-tree page: an overflow page or a free-list trunk, both starting with a page link.
  const next = view.getUint32(0);
  if (next > layout.maxPage) {
    return `page type ${type} is not a b-tree page, and as an overflow page it links to ` +
      `page ${next} past the end`;
  }
  return null;
}

function linkOk(page: number, layout: Layout): boolean {
  return page >= 2 && page <= layout.maxPage;
}

/** Reads a SQLite varint at `at`: [value, bytes used]. Values past 2^53 lose precision. */
function varint(view: DataView, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = view.getUint8(at + i);
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [value, i + 1];
  }
  return [value * 256 + view.getUint8(at + 8), 9];
}

function checkBtree(view: DataView, h: number, type: number, layout: Layout): string | null {
  const { usable } = layout;
  const interior = type === INDEX_INTERIOR || type === TABLE_INTERIOR;
  const headerSize = interior ? 12 : 8;
  const cells = view.getUint16(h + 3);
  const content = view.getUint16(h + 5) || 65536;
  const pointers = h + headerSize;
  if (view.getUint8(h + 7) > 60) return "more than 60 fragmented bytes";
  if (pointers + 2 * cells > Math.min(content, usable)) {
    return `${cells} cells do not fit before the content area at ${content}`;
  }
  if (content > usable) return `the content area starts at ${content}, past the page`;
  if (interior && !linkOk(view.getUint32(h + 8), layout)) {
    return `right child link to page ${view.getUint32(h + 8)} is out of range`;
  }
  let lastRowid = -Infinity;
  for (let i = 0; i < cells; i++) {
    const at = view.getUint16(pointers + 2 * i);
    if (at < content || at > usable - 4) return `cell ${i} at ${at} is outside the content area`;
    let cell: Cell | string;
    try {
      cell = checkCell(view, at, type, layout);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      cell = "runs past the page";
    }
    if (typeof cell === "string") return `cell ${i}: ${cell}`;
    if (cell.rowid !== null) {
      // a table page holds its rows in ascending rowid order
      if (cell.rowid <= lastRowid) return `cell ${i}: rowids out of order`;
      lastRowid = cell.rowid;
    }
  }
  return checkFreeblocks(view, view.getUint16(h + 1), content, usable);
}

/** A cell's key when it has a rowid (table pages), else null. */
interface Cell {
  rowid: number | null;
}

/** One cell: its key, or what is wrong with it. */
function checkCell(view: DataView, at: number, type: number, layout: Layout): Cell | string {
  const { usable } = layout;
  let offset = at;
  if (type === INDEX_INTERIOR || type === TABLE_INTERIOR) {
    const child = view.getUint32(offset);
    if (!linkOk(child, layout)) return `child link to page ${child} is out of range`;
    offset += 4;
  }
  if (type === TABLE_INTERIOR) return { rowid: signed(varint(view, offset)[0]) };
  const [payload, used] = varint(view, offset);
  offset += used;
  let rowid: number | null = null;
  if (type === TABLE_LEAF) {
    const [key, keyBytes] = varint(view, offset);
    rowid = signed(key);
    offset += keyBytes;
  }
  // a record is at least its header-size byte
  if (payload < 1) return "an empty record";
  const table = type === TABLE_LEAF;
  const maxLocal = table ? usable - 35 : Math.floor((usable - 12) * 64 / 255) - 23;
  const minLocal = Math.floor((usable - 12) * 32 / 255) - 23;
  let local = payload;
  let overflow = false;
  if (payload > maxLocal) {
    const k = minLocal + ((payload - minLocal) % (usable - 4));
    local = k <= maxLocal ? k : minLocal;
    overflow = true;
  }
  const end = offset + local + (overflow ? 4 : 0);
  if (end > usable) return `its ${payload}-byte payload runs past the page`;
  if (overflow) {
    const link = view.getUint32(offset + local);
    if (!linkOk(link, layout)) return `overflow link to page ${link} is out of range`;
  }
  return { rowid };
}

/** A 64-bit varint as the signed rowid it stores (approximate past 2^53, enough for order). */
function signed(value: number): number {
  return value >= 2 ** 63 ? value - 2 ** 64 : value;
}

function checkFreeblocks(
  view: DataView,
  first: number,
  content: number,
  usable: number,
): string | null {
  let at = first;
  for (let n = 0; at !== 0; n++) {
    if (n > usable / 4 || at < content || at > usable - 4) {
      return `free block at ${at} is outside the content area`;
    }
    const size = view.getUint16(at + 2);
    const next = view.getUint16(at);
    if (size < 4 || at + size > usable) return `free block at ${at} has an impossible size`;
    if (next !== 0 && next <= at + size) return `free blocks at ${at} and ${next} overlap`;
    at = next;
  }
  return null;
}
