import assert from "node:assert/strict";
import { RequestFraming } from "../../lib/mcp/http_framing.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

function fed(...pieces: string[]): RequestFraming {
  const framing = new RequestFraming({ maxHeadBytes: 256 });
  for (const piece of pieces) framing.feed(bytes(piece));
  return framing;
}

Deno.test("RequestFraming follows heads, Content-Length bodies and keep-alive requests", () => {
  const cases: [string[], { state: string; completed: number }][] = [
    [[], { state: "between", completed: 0 }],
    [["GET / HTTP/1.1\r\nHost: a\r\n"], { state: "head", completed: 0 }],
    [["GET / HTTP/1.1\r\nHost: a\r\n\r\n"], { state: "between", completed: 1 }],
    [["GET / HTTP/1.1\r\n", "Host: a\r\n", "\r", "\n"], { state: "between", completed: 1 }],
    [["POST /mcp HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"], { state: "body", completed: 0 }],
    [["POST /mcp HTTP/1.1\r\ncontent-length: 5\r\n\r\nab", "cde"], {
      state: "between",
      completed: 1,
    }],
    // two requests in one packet, then the head of a third
    [
      ["GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET /c HTTP/1.1\r\n"],
      {
        state: "head",
        completed: 2,
      },
    ],
    [["\r\n\r\nGET / HTTP/1.0\n\n"], { state: "between", completed: 1 }],
  ];
  for (const [pieces, expected] of cases) {
    const framing = fed(...pieces);
    assert.equal(framing.error, null, JSON.stringify(pieces));
    assert.deepEqual(
      { state: framing.state, completed: framing.completed },
      expected,
      JSON.stringify(pieces),
    );
  }
});

Deno.test("RequestFraming follows chunked bodies, split anywhere", () => {
  const request = "POST /mcp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (let split = 0; split <= request.length; split++) {
    const framing = fed(request.slice(0, split), request.slice(split));
    assert.equal(framing.error, null);
    assert.equal(framing.completed, 1, `split at ${split}`);
    assert.equal(framing.state, "between");
  }
  const partial = fed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
  assert.equal(partial.state, "body");
  assert.equal(partial.completed, 0);
});

Deno.test("RequestFraming reports what is not HTTP/1.x, and oversized heads", () => {
  const cases: [string, RegExp][] = [
    ["\x16\x03\x01\x02\x00", /not an HTTP\/1\.x request/], // a TLS ClientHello
    ["PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", /not an HTTP\/1\.x request/],
    ["GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", /invalid Content-Length/],
    [`GET / HTTP/1.1\r\nX: ${"a".repeat(300)}\r\n\r\n`, /larger than 256 bytes/],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", /invalid chunk size/],
  ];
  for (const [text, error] of cases) {
    assert.match(fed(text).error ?? "", error, JSON.stringify(text));
  }
});
