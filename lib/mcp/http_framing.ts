/**
 * Where HTTP/1.x requests begin and end in the bytes a client sends, without buffering them:
 * enough for the connection guard to time a request's head and body and to know when the
 * client waits for the server. Heads are scanned for `Content-Length` and
 * `Transfer-Encoding: chunked`; chunked bodies are followed through their framing. Anything
 * that is not HTTP/1.x (an HTTP/2 preface, TLS) or a head larger than the limit is an error.
 */

/** Where the client is in its stream of requests. */
export type FramingState = "between" | "head" | "body";

/** Options of {@link RequestFraming}. */
export interface RequestFramingOptions {
  /** Longest request head accepted, in bytes. Default 32 KiB. */
  maxHeadBytes?: number;
}

const CR = 13;
const LF = 10;
const decoder = new TextDecoder("latin1");

type ChunkStep = "size" | "data" | "data_end" | "trailer";

/** Follows the request framing of one connection's client bytes; see the module comment. */
export class RequestFraming {
  /** The current position in the request stream. */
  state: FramingState = "between";
  /** Requests whose head and body have fully arrived. */
  completed = 0;
  /** Why the stream is not HTTP/1.x, once it is known; no more bytes are examined then. */
  error: string | null = null;

  readonly #maxHead: number;
  #head: number[] = [];
  #bodyLeft = 0;
  #chunked = false;
  #chunkStep: ChunkStep = "size";
  #line: number[] = [];

  constructor(options: RequestFramingOptions = {}) {
    this.#maxHead = options.maxHeadBytes ?? 32 * 1024;
  }

  /** Examines the next bytes the client sent. */
  feed(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length && this.error === null) {
      if (this.state === "between") {
        const b = bytes[i]!;
        // empty lines between requests are allowed (RFC 9112 §2.2)
        if (b === CR || b === LF) {
          i++;
          continue;
        }
        this.state = "head";
        this.#head = [];
      }
      if (this.state === "head") i = this.#feedHead(bytes, i);
      else i = this.#chunked ? this.#feedChunked(bytes, i) : this.#feedBody(bytes, i);
    }
  }

  #feedHead(bytes: Uint8Array, start: number): number {
    for (let i = start; i < bytes.length; i++) {
      const b = bytes[i]!;
      this.#head.push(b);
      const n = this.#head.length;
      if (b === LF && n >= 2 && (this.#head[n - 2] === LF || endsWithCrlfCrlf(this.#head))) {
        this.#headDone();
        return i + 1;
      }
      if (n > this.#maxHead) {
        this.error = `request head larger than ${this.#maxHead} bytes`;
        return bytes.length;
      }
      if (n === 1 && (b < 0x41 || b > 0x5a)) {
        // every HTTP/1.x method starts with an upper-case letter; TLS and binary do not
        this.error = "not an HTTP/1.x request";
        return bytes.length;
      }
    }
    return bytes.length;
  }

  #headDone(): void {
    const text = decoder.decode(Uint8Array.from(this.#head));
    this.#head = [];
    const lines = text.split(/\r?\n/);
    if (!/^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(lines[0] ?? "")) {
      this.error = "not an HTTP/1.x request";
      return;
    }
    let length = 0;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") {
        if (!/^\d{1,15}$/.test(value)) {
          this.error = "invalid Content-Length";
          return;
        }
        length = Number(value);
      } else if (name === "transfer-encoding") {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      }
    }
    this.#chunked = chunked;
    this.#bodyLeft = chunked ? 0 : length;
    this.#chunkStep = "size";
    this.#line = [];
    if (!chunked && length === 0) this.#requestDone();
    else this.state = "body";
  }

  #feedBody(bytes: Uint8Array, start: number): number {
    const take = Math.min(this.#bodyLeft, bytes.length - start);
    this.#bodyLeft -= take;
    if (this.#bodyLeft === 0) this.#requestDone();
    return start + take;
  }

  #feedChunked(bytes: Uint8Array, start: number): number {
    let i = start;
    while (i < bytes.length && this.state === "body" && this.error === null) {
      if (this.#chunkStep === "data") {
        const take = Math.min(this.#bodyLeft, bytes.length - i);
        this.#bodyLeft -= take;
        i += take;
        if (this.#bodyLeft === 0) this.#chunkStep = "data_end";
        continue;
      }
      const b = bytes[i++]!;
      if (b !== LF) {
        if (this.#line.length < 4096) this.#line.push(b);
        continue;
      }
      const line = decoder.decode(Uint8Array.from(this.#line)).replace(/\r$/, "");
      this.#line = [];
      this.#chunkLine(line);
    }
    return i;
  }

  #chunkLine(line: string): void {
    switch (this.#chunkStep) {
      case "size": {
        const size = /^([0-9a-fA-F]{1,12})(?:;.*)?$/.exec(line.trim());
        if (size === null) {
          this.error = "invalid chunk size";
          return;
        }
        this.#bodyLeft = parseInt(size[1]!, 16);
        this.#chunkStep = this.#bodyLeft === 0 ? "trailer" : "data";
        return;
      }
      case "data_end":
        this.#chunkStep = "size";
        return;
      case "trailer":
        if (line === "") this.#requestDone();
        return;
      case "data":
        return;
    }
  }

  #requestDone(): void {
    this.state = "between";
    this.completed++;
  }
}

function endsWithCrlfCrlf(head: number[]): boolean {
  const n = head.length;
  return n >= 4 && head[n - 4] === CR && head[n - 3] === LF && head[n - 2] === CR &&
    head[n - 1] === LF;
}
